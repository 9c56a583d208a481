/**
 * Moderation actions: change submission statuses (and their runs' visibility),
 * recount the catalogue counts they feed, mark their configurations pending
 * and append to moderation_log, all in ONE D1 batch, so the log and the
 * counts can never disagree; then run the aggregation step on those
 * configurations (the same path as after an upload) before answering, so the
 * moderator's next read already shows the new rankings. Documents are never
 * deleted: every action is reversible.
 *
 * A key's results are found by `submissions_public_key`; hiding a key's
 * results marks them with a reason starting REVOKED_PREFIX so restoring the
 * key brings back exactly those (not results a moderator hid separately, and
 * flagged results stay flagged: they were never in the rankings). A restored
 * result whose runtime build is retired stays out of the rankings.
 */
import { and, eq, inArray, like, type SQL, sql } from "drizzle-orm";
import { configurations, moderationLog, revokedKeys, runs, type SubmissionStatus, submissions } from "../../db/schema.js";
import { recount } from "../aggregate/catalogue-counts.js";
import { aggregateConfigurations } from "../aggregate/configurations.js";
import { bumpRegistryVersion, forgetVersion } from "../cache/version.js";
import type { Db } from "../db.js";

export const REVOKED_PREFIX = "key revoked: ";
export const WITHDRAWN_PREFIX = "withdrawn by its contributor";

export interface LogEntry {
  action: "hide" | "restore" | "revoke-key" | "restore-key" | "withdraw";
  targetKind: "submission" | "key";
  target: string;
  reason: string;
  actor: string;
}

/** D1 binds at most 100 parameters per statement: chunk IN lists. */
const CHUNK = 90;
function chunks<T>(xs: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
}

/**
 * Sets `status`/`reason` on the submissions `where` selects, recounts what
 * they feed, logs the action (one batch), then re-aggregates their
 * configurations. Returns how many changed.
 */
async function changeStatus(
  db: Db,
  where: SQL,
  status: SubmissionStatus,
  reason: string | null,
  log: LogEntry,
  extra: { toSQL(): { sql: string; params: unknown[] } }[] = [],
): Promise<number> {
  const subs = await db.select({ id: submissions.id, publicKey: submissions.publicKey, boardId: submissions.boardId }).from(submissions).where(where);
  const ids = subs.map((s) => s.id);
  const runRows = (
    await Promise.all(
      chunks(ids).map((part) =>
        db
          .select({ configurationId: runs.configurationId, modelId: runs.modelId, modelSlug: runs.modelSlug })
          .from(runs)
          .where(inArray(runs.submissionId, part)),
      ),
    )
  ).flat();
  const configIds = [...new Set(runRows.flatMap((r) => (r.configurationId ? [r.configurationId] : [])))];
  const at = new Date().toISOString();
  const writes = [
    ...extra,
    ...chunks(ids).flatMap((part) => [
      db.update(submissions).set({ status, statusReason: reason }).where(inArray(submissions.id, part)),
      db
        .update(runs)
        // A run counts when its result is visible and its build not retired (workers/moderation/retired-builds.ts):
        // read from the row this batch just wrote, so a rule changed meanwhile is seen.
        .set({
          visible:
            status === "visible"
              ? sql`(SELECT ${submissions.retiredRule} IS NULL FROM ${submissions} WHERE ${submissions.id} = ${runs.submissionId})`
              : false,
        })
        .where(inArray(runs.submissionId, part)),
    ]),
    ...recount(db, {
      keys: new Set(subs.map((s) => s.publicKey)),
      boards: new Set(subs.map((s) => s.boardId)),
      models: new Set(runRows.map((r) => r.modelId)),
      families: new Set(runRows.map((r) => r.modelSlug)),
    }),
    ...chunks(configIds).map((part) =>
      db
        .update(configurations)
        // Which runs count changed: the value lists are rebuilt from the runs by the aggregation step.
        .set({ pendingSeq: sql`${configurations.pendingSeq} + 1`, valuesStale: true })
        .where(inArray(configurations.id, part)),
    ),
    db.insert(moderationLog).values({ ...log, at, affected: ids.length }),
    // Cached reads are keyed by the registry version: this makes them all unreachable (workers/cache).
    bumpRegistryVersion(db),
  ];
  await db.batch(writes as unknown as Parameters<Db["batch"]>[0]);
  forgetVersion();
  await aggregateConfigurations(db, configIds);
  return ids.length;
}

export interface SubmissionRef {
  id: string;
  publicKey: string;
  status: SubmissionStatus;
}

export async function findSubmission(db: Db, id: string): Promise<SubmissionRef | undefined> {
  return db
    .select({ id: submissions.id, publicKey: submissions.publicKey, status: submissions.status })
    .from(submissions)
    .where(eq(submissions.id, id))
    .get();
}

/** Hides one submission (admin). */
export function hideSubmission(db: Db, id: string, reason: string, actor: string): Promise<number> {
  return changeStatus(db, eq(submissions.id, id), "hidden", `hidden by a moderator: ${reason}`, {
    action: "hide",
    targetKind: "submission",
    target: id,
    reason,
    actor,
  });
}

/** Restores one submission to visible: undoes a hide, or accepts a flagged result after review. */
export function restoreSubmission(db: Db, id: string, reason: string, actor: string): Promise<number> {
  return changeStatus(db, eq(submissions.id, id), "visible", null, { action: "restore", targetKind: "submission", target: id, reason, actor });
}

/** A contributor withdraws their own result (signed request checked by the caller). */
export function withdrawSubmission(db: Db, id: string, reason: string, actor: string): Promise<number> {
  return changeStatus(db, eq(submissions.id, id), "hidden", `${WITHDRAWN_PREFIX}: ${reason}`, {
    action: "withdraw",
    targetKind: "submission",
    target: id,
    reason,
    actor,
  });
}

/** Revokes a key: its visible results leave the rankings and its new uploads are refused (403). */
export function revokeKey(db: Db, publicKey: string, reason: string, actor: string): Promise<number> {
  const at = new Date().toISOString();
  return changeStatus(
    db,
    and(eq(submissions.publicKey, publicKey), eq(submissions.status, "visible"))!,
    "hidden",
    `${REVOKED_PREFIX}${reason}`,
    { action: "revoke-key", targetKind: "key", target: publicKey, reason, actor },
    [
      db
        .insert(revokedKeys)
        .values({ publicKey, reason, revokedAt: at })
        .onConflictDoUpdate({ target: revokedKeys.publicKey, set: { reason, revokedAt: at } }),
    ],
  );
}

/** Restores a key: uploads accepted again, and the results its revocation hid come back. */
export function restoreKey(db: Db, publicKey: string, reason: string, actor: string): Promise<number> {
  return changeStatus(
    db,
    and(eq(submissions.publicKey, publicKey), eq(submissions.status, "hidden"), like(submissions.statusReason, `${REVOKED_PREFIX}%`))!,
    "visible",
    null,
    { action: "restore-key", targetKind: "key", target: publicKey, reason, actor },
    [db.delete(revokedKeys).where(eq(revokedKeys.publicKey, publicKey))],
  );
}
