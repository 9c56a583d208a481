/**
 * Writing a submission: one D1 batch (one round trip, one transaction) that
 * inserts the document and its runs and rewrites every aggregate they touch.
 *
 * Configuration, board and contributor aggregates are recomputed from the
 * stored rows rather than incremented, so the batch is idempotent: two racing
 * uploads of one document insert it once (INSERT ... ON CONFLICT DO NOTHING)
 * and leave the same counts. Model and model-family counts, whose recount
 * grows with the whole registry, are incremented under a guard that keeps
 * them exact and idempotent too (addUploadTo). Moderation re-runs the full
 * recompute statements after changing a submission's status.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { METRIC_IDS } from "../../uploader/src/contract/metrics.js";
import { boards, configurations, contributors, modelFamilies, models, runs, submissions } from "../../db/schema.js";
import type { Db } from "../db.js";
import { bumpRegistryVersion } from "../cache/version.js";
import type { IngestPlan } from "../ingest.js";

/** Runs of visible submissions, alias r (with s for the submission). */
const visibleRuns = (where: SQL) =>
  sql`FROM runs r JOIN submissions s ON s.id = r.submission_id WHERE s.status = 'visible' AND ${where}`;

/** The configuration being recomputed, bound once in a CTE (D1 binds at most 100 parameters). */
const THIS_CONFIG = sql`r.configuration_id = (SELECT id FROM cfg)`;

/**
 * The configuration's visible runs, read once per recompute into a
 * materialized CTE `v` (with the submission's received_at): every median and
 * count below reads this small temporary table instead of walking the runs
 * index and the runs rows again (twenty metric columns times three
 * subqueries each would otherwise read every run sixty-odd times).
 */
const CONFIG_RUNS = (configId: string) =>
  sql`WITH cfg(id) AS (SELECT ${configId}), v AS MATERIALIZED (SELECT r.*, s.received_at AS received_at ${visibleRuns(THIS_CONFIG)})`;

/**
 * Median of one column over the configuration's visible runs (CTE v). SQLite
 * has no MEDIAN: take the middle one or two values of the ordered list.
 */
function medianOf(column: string): SQL {
  const col = sql.raw(`v.${column}`);
  const from = sql`FROM v WHERE ${col} IS NOT NULL`;
  return sql`(SELECT AVG(x) FROM (SELECT ${col} AS x ${from} ORDER BY x
    LIMIT 2 - (SELECT COUNT(*) ${from}) % 2
    OFFSET (SELECT (COUNT(*) - 1) / 2 ${from})))`;
}

/** The statement that rewrites one configuration's medians and counts. */
export function recomputeConfiguration(configId: string): SQL {
  const sets: SQL[] = [];
  for (const id of METRIC_IDS) {
    sets.push(sql`${sql.raw(id)} = ${medianOf(id)}`);
    sets.push(sql`${sql.raw(`${id}_sd`)} = ${medianOf(`${id}_sd`)}`);
  }
  sets.push(sql`run_count = (SELECT COUNT(*) FROM v)`);
  sets.push(sql`submission_count = (SELECT COUNT(DISTINCT v.submission_id) FROM v)`);
  sets.push(sql`key_count = (SELECT COUNT(DISTINCT v.public_key) FROM v)`);
  sets.push(sql`first_submitted_at = (SELECT MIN(v.received_at) FROM v)`);
  sets.push(sql`last_submitted_at = (SELECT MAX(v.received_at) FROM v)`);
  sets.push(sql`latest_submission_id = (SELECT v.submission_id FROM v ORDER BY v.received_at DESC, v.submission_id LIMIT 1)`);
  return sql`${CONFIG_RUNS(configId)} UPDATE configurations SET ${sql.join(sets, sql`, `)} WHERE id = (SELECT id FROM cfg)`;
}

export function recomputeContributor(publicKey: string): SQL {
  return sql`UPDATE contributors SET
    submission_count = (SELECT COUNT(*) FROM submissions WHERE public_key = ${publicKey} AND status = 'visible')
    WHERE public_key = ${publicKey}`;
}

export function recomputeBoard(boardId: string): SQL {
  return sql`UPDATE boards SET
    submission_count = (SELECT COUNT(*) FROM submissions WHERE board_id = ${boardId} AND status = 'visible'),
    key_count = (SELECT COUNT(DISTINCT public_key) FROM submissions WHERE board_id = ${boardId} AND status = 'visible')
    WHERE id = ${boardId}`;
}

/** Visible submissions, keys and boards behind the runs matching `runs`, written to one row of `table`. */
function recomputeRunCounts(table: "models" | "model_families", where: SQL, runs: SQL): SQL {
  const from = visibleRuns(runs);
  return sql`UPDATE ${sql.identifier(table)} SET
    submission_count = (SELECT COUNT(DISTINCT r.submission_id) ${from}),
    key_count = (SELECT COUNT(DISTINCT r.public_key) ${from}),
    board_count = (SELECT COUNT(DISTINCT s.board_id) ${from})
    WHERE ${where}`;
}

export function recomputeModel(modelId: string): SQL {
  return recomputeRunCounts("models", sql`id = ${modelId}`, sql`r.model_id = ${modelId}`);
}

export function recomputeModelFamily(slug: string): SQL {
  return recomputeRunCounts("model_families", sql`slug = ${slug}`, sql`r.model_slug = ${slug}`);
}

/** The upload an ingest batch writes, as the incremental count statements need it. */
interface Upload {
  id: string;
  publicKey: string;
  boardId: string;
  receivedAt: string;
}

/**
 * Ingest only: add one upload to a model's (or model family's) counts instead
 * of recounting every run of the model, which grows with the registry (at
 * 100,000 results the family recount read ~70,000 runs per upload: 0.7 s).
 * Exact, and still safe to repeat: the counts move only when this batch's own
 * INSERT stored the submission as visible (same id and this batch's
 * received_at; a duplicate upload inserts nothing, a flagged one is not
 * visible). A key or board counts once: only when no other visible submission
 * of that key / on that board has a run of the model (probed through the
 * key's or the board's submissions, `+` keeping SQLite off the model index).
 * Moderation keeps using the full recompute (recomputeModel/-Family).
 */
function addUploadTo(table: "models" | "model_families", keyColumn: "id" | "slug", runColumn: "model_id" | "model_slug", value: string, u: Upload): SQL {
  const col = sql.raw(`r.${runColumn}`);
  const other = (where: SQL) =>
    sql`EXISTS (SELECT 1 FROM submissions s JOIN runs r ON r.submission_id = s.id WHERE ${where} AND s.status = 'visible' AND s.id <> ${u.id} AND +${col} = ${value})`;
  return sql`UPDATE ${sql.raw(table)} SET
    submission_count = submission_count + 1,
    key_count = key_count + (NOT ${other(sql`s.public_key = ${u.publicKey}`)}),
    board_count = board_count + (NOT ${other(sql`s.board_id = ${u.boardId}`)})
    WHERE ${sql.raw(keyColumn)} = ${value}
      AND EXISTS (SELECT 1 FROM submissions WHERE id = ${u.id} AND received_at = ${u.receivedAt} AND status = 'visible')`;
}

/** True when a submission with this id is already stored. */
export async function submissionExists(db: Db, id: string): Promise<boolean> {
  const row = await db.select({ id: submissions.id }).from(submissions).where(eq(submissions.id, id)).get();
  return row !== undefined;
}

const dialect = new SQLiteAsyncDialect();

/** A drizzle query builder or raw SQL as a D1 statement (drizzle's own batch cannot carry raw SQL). */
export function statement(d1: D1Database, q: { toSQL(): { sql: string; params: unknown[] } } | SQL): D1PreparedStatement {
  const { sql: text, params } = "toSQL" in q ? q.toSQL() : dialect.sqlToQuery(q);
  return d1.prepare(text).bind(...params);
}

/** Stores a planned submission in one D1 batch (one round trip, one transaction). Safe to repeat. */
export async function storeSubmission(db: Db, plan: IngestPlan): Promise<void> {
  const at = plan.receivedAt;
  const families = new Map([...plan.models.values()].map((m) => [m.slug, m.name]));
  const upload: Upload = { id: plan.id, publicKey: plan.publicKey, boardId: plan.board.id, receivedAt: at };
  const writes = [
    db
      .insert(contributors)
      .values({ publicKey: plan.publicKey, fingerprint: plan.fingerprint, displayName: plan.displayName, firstSeenAt: at, lastSeenAt: at })
      .onConflictDoUpdate({
        target: contributors.publicKey,
        // The key holder signed the new name; keep the old one when the document carries none.
        set: { lastSeenAt: at, displayName: sql`COALESCE(excluded.display_name, ${contributors.displayName})` },
      }),
    db
      .insert(boards)
      .values({ id: plan.board.id, name: plan.board.name, inCatalogue: plan.board.inCatalogue, firstSeenAt: at, lastSeenAt: at })
      .onConflictDoUpdate({ target: boards.id, set: { lastSeenAt: at } }),
    ...[...plan.models.values()].map((m) =>
      db.insert(models).values(m).onConflictDoUpdate({ target: models.id, set: { lastSeenAt: at } }),
    ),
    ...[...families.entries()].map(([slug, name]) => db.insert(modelFamilies).values({ slug, name }).onConflictDoNothing()),
    ...[...plan.configurations.values()].map((c) => db.insert(configurations).values(c).onConflictDoNothing()),
    db.insert(submissions).values(plan.submission).onConflictDoNothing(),
    // One statement per run: a run row has ~40 columns and D1 binds at most 100 parameters per statement.
    ...plan.runs.map((r) => db.insert(runs).values(r).onConflictDoNothing()),
    recomputeContributor(plan.publicKey),
    recomputeBoard(plan.board.id),
    ...[...plan.models.keys()].map((m) => addUploadTo("models", "id", "model_id", m, upload)),
    ...[...families.keys()].map((f) => addUploadTo("model_families", "slug", "model_slug", f, upload)),
    ...[...plan.configurations.keys()].map(recomputeConfiguration),
    bumpRegistryVersion(),
  ];
  await db.$client.batch(writes.map((w) => statement(db.$client, w)));
}
