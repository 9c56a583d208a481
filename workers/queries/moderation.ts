/**
 * Moderation's data side (the endpoint and who may call it come later): change
 * a submission's status and rewrite, in the same D1 batch, every aggregate its
 * runs feed, so a hidden result leaves the leaderboard medians and counts at
 * once. The document itself is never deleted: hidden is reversible.
 */
import { eq } from "drizzle-orm";
import { runs, submissions, SUBMISSION_STATUSES } from "../../db/schema.js";
import { bumpRegistryVersion, forgetVersion } from "../cache/version.js";
import type { Db } from "../db.js";
import { recomputeBoard, recomputeConfiguration, recomputeContributor, recomputeModel, recomputeModelFamily, statement } from "./ingest.js";

export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/** Sets the status (and its reason); returns false when no such submission exists. */
export async function setSubmissionStatus(db: Db, id: string, status: SubmissionStatus, reason: string | null): Promise<boolean> {
  const sub = await db
    .select({ publicKey: submissions.publicKey, boardId: submissions.boardId })
    .from(submissions)
    .where(eq(submissions.id, id))
    .get();
  if (!sub) return false;
  const runRows = await db
    .select({ configurationId: runs.configurationId, modelId: runs.modelId, modelSlug: runs.modelSlug })
    .from(runs)
    .where(eq(runs.submissionId, id));
  const configIds = new Set(runRows.flatMap((r) => (r.configurationId ? [r.configurationId] : [])));
  const modelIds = new Set(runRows.map((r) => r.modelId));
  const familySlugs = new Set(runRows.map((r) => r.modelSlug));
  const d1 = db.$client;
  await d1.batch([
    statement(d1, db.update(submissions).set({ status, statusReason: reason }).where(eq(submissions.id, id))),
    statement(d1, recomputeContributor(sub.publicKey)),
    statement(d1, recomputeBoard(sub.boardId)),
    ...[...modelIds].map((m) => statement(d1, recomputeModel(m))),
    ...[...familySlugs].map((f) => statement(d1, recomputeModelFamily(f))),
    ...[...configIds].map((c) => statement(d1, recomputeConfiguration(c))),
    // Cached reads are keyed by the registry version (workers/cache); this isolate sees the new one at once.
    statement(d1, bumpRegistryVersion()),
  ]);
  forgetVersion();
  return true;
}
