/**
 * The counts on the catalogue pages: visible submissions and distinct keys
 * per contributor, board, model variant and model family (boards: distinct
 * keys; models and families: distinct keys and boards too).
 *
 * Two ways to the same numbers, kept equal by test/workers/aggregate.test.ts:
 * - `addUpload`: in the upload's own batch, each count moves by what the one
 *   upload adds, under a guard that holds only in the batch whose INSERT stored
 *   the submission as visible (its row carries this request's random ingest
 *   token). So a duplicate, a replayed batch or two identical uploads racing
 *   count once, and the cost does not grow with the registry (a recount of a
 *   model family read ~70,000 runs per upload at 100,000 results).
 * - `recount`: moderation, which can take any number of results out or put
 *   them back, recounts from the stored rows.
 * The configuration aggregates (figures, counts, distinct keys) are the
 * aggregation step's (./configurations.ts), not these.
 */
import { and, countDistinct, eq, exists, isNull, ne, type SQL, sql } from "drizzle-orm";
import { boards, contributors, modelFamilies, models, runs, submissions } from "../../db/schema.js";
import type { Db } from "../db.js";

/** The upload an upload batch writes, as its guards and count updates need it. */
export interface Upload {
  id: string;
  publicKey: string;
  boardId: string;
  /** submissions.ingest_token of this request. */
  token: string;
}

/**
 * True only in the batch whose INSERT stored the upload (its ingest token is the stored one); "visible": and stored
 * visible; "ranked": and its build not retired as well (its runs count in the rankings).
 */
export function storedByThisBatch(db: Db, u: Pick<Upload, "id" | "token">, only: "stored" | "visible" | "ranked"): SQL {
  const mine = [eq(submissions.id, u.id), eq(submissions.ingestToken, u.token)];
  if (only !== "stored") mine.push(eq(submissions.status, "visible"));
  if (only === "ranked") mine.push(isNull(submissions.retiredRule));
  return exists(
    db
      .select({ one: sql`1` })
      .from(submissions)
      .where(and(...mine)),
  );
}

/** Another visible submission than the upload, matching `where`, with a run of the model (runs column `col` = value). */
function otherWithModel(db: Db, u: Upload, where: SQL, col: typeof runs.modelId | typeof runs.modelSlug, value: string): SQL {
  // `+col` keeps SQLite on the submission's own index (the key's or the board's submissions, then each one's runs by
  // primary key) instead of walking every run of the model: it stops at the first hit.
  return exists(
    db
      .select({ one: sql`1` })
      .from(submissions)
      .innerJoin(runs, eq(runs.submissionId, submissions.id))
      .where(and(where, eq(submissions.status, "visible"), ne(submissions.id, u.id), sql`+${col} = ${value}`)),
  );
}

/** The statements that add one upload to every catalogue count it touches (in the upload's batch, after its INSERTs). */
export function addUpload(db: Db, u: Upload, modelIds: readonly string[], familySlugs: readonly string[]) {
  const visible = storedByThisBatch(db, u, "visible");
  const anotherOnBoardByKey = exists(
    db
      .select({ one: sql`1` })
      .from(submissions)
      .where(
        and(eq(submissions.boardId, u.boardId), eq(submissions.status, "visible"), eq(submissions.publicKey, u.publicKey), ne(submissions.id, u.id)),
      ),
  );
  const forModel = <T extends typeof models | typeof modelFamilies>(
    table: T,
    key: T extends typeof models ? typeof models.id : typeof modelFamilies.slug,
    col: typeof runs.modelId | typeof runs.modelSlug,
    value: string,
  ) =>
    db
      .update(table)
      .set({
        submissionCount: sql`${table.submissionCount} + 1`,
        keyCount: sql`${table.keyCount} + (NOT ${otherWithModel(db, u, eq(submissions.publicKey, u.publicKey), col, value)})`,
        boardCount: sql`${table.boardCount} + (NOT ${otherWithModel(db, u, eq(submissions.boardId, u.boardId), col, value)})`,
      } as never)
      .where(and(eq(key, value), visible));
  return [
    db
      .update(contributors)
      .set({ submissionCount: sql`${contributors.submissionCount} + 1` })
      .where(and(eq(contributors.publicKey, u.publicKey), visible)),
    db
      .update(boards)
      .set({ submissionCount: sql`${boards.submissionCount} + 1`, keyCount: sql`${boards.keyCount} + (NOT ${anotherOnBoardByKey})` })
      .where(and(eq(boards.id, u.boardId), visible)),
    ...modelIds.map((m) => forModel(models, models.id, runs.modelId, m)),
    ...familySlugs.map((f) => forModel(modelFamilies, modelFamilies.slug, runs.modelSlug, f)),
  ];
}

/** What a set of changed submissions touches, for `recount`. */
export interface Touched {
  keys: Iterable<string>;
  boards: Iterable<string>;
  models: Iterable<string>;
  families: Iterable<string>;
}

/** Visible submissions, keys and boards with a run where `runsWhere` holds (the join reads submissions_id_status, covering). */
function runCounts(db: Db, runsWhere: SQL) {
  const from = (field: SQL | typeof runs.submissionId | typeof runs.publicKey | typeof submissions.boardId) =>
    db
      .select({ n: countDistinct(field) })
      .from(runs)
      .innerJoin(submissions, eq(submissions.id, runs.submissionId))
      .where(and(runsWhere, eq(submissions.status, "visible")));
  return {
    submissionCount: sql`(${from(runs.submissionId)})`,
    keyCount: sql`(${from(runs.publicKey)})`,
    boardCount: sql`(${from(submissions.boardId)})`,
  };
}

/** Full recounts of every catalogue count the touched submissions feed (moderation). */
export function recount(db: Db, t: Touched) {
  const visibleBy = (where: SQL) => and(where, eq(submissions.status, "visible"));
  return [
    ...[...t.keys].map((k) =>
      db
        .update(contributors)
        .set({
          submissionCount: sql`(${db
            .select({ n: sql`count(*)` })
            .from(submissions)
            .where(visibleBy(eq(submissions.publicKey, k)))})`,
        })
        .where(eq(contributors.publicKey, k)),
    ),
    ...[...t.boards].map((b) =>
      db
        .update(boards)
        .set({
          submissionCount: sql`(${db
            .select({ n: sql`count(*)` })
            .from(submissions)
            .where(visibleBy(eq(submissions.boardId, b)))})`,
          keyCount: sql`(${db
            .select({ n: countDistinct(submissions.publicKey) })
            .from(submissions)
            .where(visibleBy(eq(submissions.boardId, b)))})`,
        })
        .where(eq(boards.id, b)),
    ),
    ...[...t.models].map((m) =>
      db
        .update(models)
        .set(runCounts(db, eq(runs.modelId, m)))
        .where(eq(models.id, m)),
    ),
    ...[...t.families].map((f) =>
      db
        .update(modelFamilies)
        .set(runCounts(db, eq(runs.modelSlug, f)))
        .where(eq(modelFamilies.slug, f)),
    ),
  ];
}
