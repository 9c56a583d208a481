/** Reading one stored submission back, with everything needed to verify it offline. */
import { type ComputedMetrics, type Envelope, type Footprint, isMetricId, type ResultDocument } from "@edgebench/contract";
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { configurations, contributors, retiredBuilds, runs, type SubmissionRow, submissions } from "../../db/schema.js";
import type { Db } from "../db.js";
import { standardAmong } from "../moderation/standard-files.js";
import { type OutlierMark, outlierLists, outlierMarks } from "./outliers.js";

export interface SubmissionRunView {
  index: number;
  status: "ok" | "failed";
  /** The configuration (leaderboard row) the run counts towards; null for a failed run. */
  configurationId: string | null;
  modelId: string;
  modelSlug: string;
  modelName: string;
  quantisation: string;
  /** The model file is one the registry pins as a suite's standard file (workers/moderation/standard-files.ts). */
  standardFile: boolean;
  threads: number;
  gpuLayers: number;
  /** Figures the server computed from the raw samples at ingest (absent = not measured). */
  metrics: ComputedMetrics;
  /** Headline figures far from the configuration's other runs (workers/read/outliers.ts), each with the rule; empty when none. */
  outliers: OutlierMark[];
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
  /** The retirement rule that takes this result's runtime build out of the rankings, null when none. */
  retired: { ruleId: string; reason: string } | null;
  /**
   * "pending" while the aggregation step has not yet folded a change of one of
   * this result's configurations into the leaderboard (seconds at most), else
   * "current"; "none" for a result that ranks nowhere (failed runs only, or a retired build).
   */
  rankings: "pending" | "current" | "none";
  boardId: string;
  /** The envelope the per-litre metric used (declared, or the catalogue's), null when none. */
  envelope: Envelope | null;
  /** The footprint the per-cm² metric used (the declared envelope's, or the catalogue's board size), null when none. */
  footprint: Footprint | null;
  runs: SubmissionRunView[];
}

/** The figures stored for a run, as the contract's metrics (metrics no longer in the list are left out). */
export function storedFigures(figures: ComputedMetrics | Record<string, unknown>): ComputedMetrics {
  const out: ComputedMetrics = {};
  for (const [id, f] of Object.entries(figures)) {
    if (!isMetricId(id) || !f || typeof f !== "object") continue;
    const { value, stddev } = f as { value?: unknown; stddev?: unknown };
    if (typeof value !== "number") continue;
    out[id] = typeof stddev === "number" ? { value, stddev } : { value };
  }
  return out;
}

function storedSize(s: SubmissionRow): { envelope: Envelope | null; footprint: Footprint | null } {
  const envelope =
    s.envelopeWidthMm !== null && s.envelopeDepthMm !== null && s.envelopeHeightMm !== null && s.envelopeSource
      ? { widthMm: s.envelopeWidthMm, depthMm: s.envelopeDepthMm, heightMm: s.envelopeHeightMm, source: s.envelopeSource }
      : null;
  const footprint =
    s.footprintWidthMm !== null && s.footprintDepthMm !== null && s.footprintSource
      ? { widthMm: s.footprintWidthMm, depthMm: s.footprintDepthMm, source: s.footprintSource }
      : null;
  return { envelope, footprint };
}

/** One submission by id, or null. Hidden submissions are returned too: the caller decides. */
export async function getSubmission(db: Db, id: string): Promise<SubmissionView | null> {
  const row = await db
    .select({
      s: submissions,
      fingerprint: contributors.fingerprint,
      displayName: contributors.displayName,
      retiredReason: retiredBuilds.reason,
    })
    .from(submissions)
    .innerJoin(contributors, eq(contributors.publicKey, submissions.publicKey))
    .leftJoin(retiredBuilds, eq(retiredBuilds.id, submissions.retiredRule))
    .where(eq(submissions.id, id))
    .get();
  if (!row) return null;
  const runRows = await db.select().from(runs).where(eq(runs.submissionId, id)).orderBy(asc(runs.runIndex));
  const standard = await standardAmong(
    db,
    runRows.map((r) => r.modelId),
  );
  const runConfigIds = [...new Set(runRows.flatMap((r) => (r.configurationId ? [r.configurationId] : [])))];
  const lists = await outlierLists(db, runConfigIds);
  const retired = row.s.retiredRule ? { ruleId: row.s.retiredRule, reason: row.retiredReason ?? "" } : null;
  const configIds = retired ? [] : runConfigIds;
  const pending = configIds.length
    ? await db
        .select({ id: configurations.id })
        .from(configurations)
        .where(and(inArray(configurations.id, configIds), gt(configurations.pendingSeq, configurations.aggregatedSeq)))
        .limit(1)
    : [];
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
    retired,
    rankings: configIds.length === 0 ? "none" : pending.length ? "pending" : "current",
    boardId: s.boardId,
    ...storedSize(s),
    runs: runRows.map((r) => {
      const metrics = storedFigures(r.figures);
      return {
        index: r.runIndex,
        status: r.status,
        configurationId: r.configurationId,
        modelId: r.modelId,
        modelSlug: r.modelSlug,
        modelName: r.modelName,
        quantisation: r.quantisation,
        standardFile: standard.has(r.modelId),
        threads: r.threads,
        gpuLayers: r.gpuLayers,
        metrics,
        outliers: r.configurationId ? outlierMarks(lists.get(r.configurationId), metrics) : [],
      };
    }),
  };
}
