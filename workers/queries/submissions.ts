/** Reading one stored submission back, with everything needed to verify it offline. */
import { asc, desc, eq } from "drizzle-orm";
import { METRIC_IDS, type ComputedMetrics } from "@edgebench/contract";
import type { Envelope, ResultDocument } from "@edgebench/contract";
import { contributors, runs, submissions, type RunRow, type SubmissionRow } from "../../db/schema.js";
import type { Db } from "../db.js";

export interface SubmissionRunView {
  index: number;
  status: "ok" | "failed";
  /** The configuration (leaderboard row) the run counts towards; null for a failed run. */
  configurationId: string | null;
  modelId: string;
  modelSlug: string;
  modelName: string;
  quantisation: string;
  threads: number;
  gpuLayers: number;
  /** Figures the server computed from the raw samples at ingest (absent = not measured). */
  metrics: ComputedMetrics;
}

export interface SubmissionView {
  id: string;
  /** The document as signed (parsed from the stored canonical JSON). */
  document: ResultDocument;
  /** The stored canonical JSON: SHA-256 of its UTF-8 bytes is the id, and the signature covers them. */
  canonical: string;
  signature: string;
  publicKey: string;
  fingerprint: string;
  displayName: string | null;
  receivedAt: string;
  status: SubmissionRow["status"];
  statusReason: string | null;
  boardId: string;
  /** The envelope the size metric used (declared, or the catalogue's), null when none. */
  envelope: Envelope | null;
  runs: SubmissionRunView[];
}

export function storedMetrics(r: RunRow): ComputedMetrics {
  const out: ComputedMetrics = {};
  for (const id of METRIC_IDS) {
    const value = r[id];
    if (value === null) continue;
    const sd = r[`${id}_sd`];
    out[id] = sd === null ? { value } : { value, stddev: sd };
  }
  return out;
}

function storedEnvelope(s: SubmissionRow): Envelope | null {
  if (s.envelopeWidthMm === null || s.envelopeDepthMm === null || s.envelopeHeightMm === null || !s.envelopeSource) return null;
  return { widthMm: s.envelopeWidthMm, depthMm: s.envelopeDepthMm, heightMm: s.envelopeHeightMm, source: s.envelopeSource };
}

/** One submission by id, or null. Hidden submissions are returned too: the caller decides. */
export async function getSubmission(db: Db, id: string): Promise<SubmissionView | null> {
  const row = await db
    .select({ s: submissions, fingerprint: contributors.fingerprint, displayName: contributors.displayName })
    .from(submissions)
    .innerJoin(contributors, eq(contributors.publicKey, submissions.publicKey))
    .where(eq(submissions.id, id))
    .get();
  if (!row) return null;
  const runRows = await db.select().from(runs).where(eq(runs.submissionId, id)).orderBy(asc(runs.runIndex));
  const s = row.s;
  return {
    id: s.id,
    document: JSON.parse(s.document) as ResultDocument,
    canonical: s.document,
    signature: s.signature,
    publicKey: s.publicKey,
    fingerprint: row.fingerprint,
    displayName: row.displayName,
    receivedAt: s.receivedAt,
    status: s.status,
    statusReason: s.statusReason,
    boardId: s.boardId,
    envelope: storedEnvelope(s),
    runs: runRows.map((r) => ({
      index: r.runIndex,
      status: r.status,
      configurationId: r.configurationId,
      modelId: r.modelId,
      modelSlug: r.modelSlug,
      modelName: r.modelName,
      quantisation: r.quantisation,
      threads: r.threads,
      gpuLayers: r.gpuLayers,
      metrics: storedMetrics(r),
    })),
  };
}

export interface SubmissionSummary {
  id: string;
  receivedAt: string;
  createdAt: string;
  boardId: string;
  boardName: string;
  fingerprint: string;
  displayName: string | null;
  backend: SubmissionRow["backend"];
  runtimeName: string;
  meterScope: SubmissionRow["meterScope"];
  runCount: number;
}

/** The newest visible submissions (for a "latest" list), newest first. */
export async function listRecentSubmissions(db: Db, limit = 20): Promise<SubmissionSummary[]> {
  const rows = await db
    .select({
      id: submissions.id,
      receivedAt: submissions.receivedAt,
      createdAt: submissions.createdAt,
      boardId: submissions.boardId,
      boardName: submissions.boardName,
      fingerprint: contributors.fingerprint,
      displayName: contributors.displayName,
      backend: submissions.backend,
      runtimeName: submissions.runtimeName,
      meterScope: submissions.meterScope,
      runCount: submissions.runCount,
    })
    .from(submissions)
    .innerJoin(contributors, eq(contributors.publicKey, submissions.publicKey))
    .where(eq(submissions.status, "visible"))
    .orderBy(desc(submissions.receivedAt))
    .limit(Math.min(Math.max(1, limit), 200));
  return rows;
}
