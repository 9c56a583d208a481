/**
 * The shapes the data-access functions return: plain objects keyed by METRICS
 * ids, built from the configurations table. The API serialises them as they
 * are and the leaderboard pages render them.
 */
import { METRIC_IDS, type MetricId } from "@edgebench/contract";
import type { Backend, MeterScope } from "@edgebench/contract";
import type { ConfigurationRow } from "../../db/schema.js";
import type { ConfigAcceleratorKind } from "../../db/configuration.js";

/** One leaderboard row: a configuration and its aggregates over visible submissions. */
export interface LeaderboardRow {
  /** Configuration id (24 hex digits): stable, used by compare links. */
  id: string;
  suiteId: string;
  suiteVersion: string;
  boardId: string;
  boardName: string;
  /** Model variant id (sha256, or "<name>~<quantisation>" slugs). */
  modelId: string;
  /** Model family slug (all quantisations of one model name). */
  modelSlug: string;
  modelName: string;
  modelSha256: string | null;
  quantisation: string;
  parameters: number | null;
  acceleratorKind: ConfigAcceleratorKind;
  acceleratorName: string | null;
  backend: Backend;
  runtime: string;
  threads: number;
  gpuLayers: number;
  /** Scope of the primary meter; null when nothing was measured. */
  meterScope: Exclude<MeterScope, "none"> | null;
  /** Median over the configuration's runs, per metric (absent = not measured). */
  metrics: Partial<Record<MetricId, number>>;
  /** Median of the runs' sample stddevs (spread over repetitions), where the metric has one. */
  stddev: Partial<Record<MetricId, number>>;
  /** Distinct submissions and distinct contributor keys behind the row. */
  submissions: number;
  contributors: number;
  runs: number;
  firstSubmittedAt: string | null;
  lastSubmittedAt: string | null;
  /** The newest submission behind the row. */
  latestSubmissionId: string | null;
}

export function toLeaderboardRow(c: ConfigurationRow): LeaderboardRow {
  const metrics: Partial<Record<MetricId, number>> = {};
  const stddev: Partial<Record<MetricId, number>> = {};
  for (const id of METRIC_IDS) {
    const v = c[id];
    if (v !== null) metrics[id] = v;
    const sd = c[`${id}_sd`];
    if (sd !== null) stddev[id] = sd;
  }
  return {
    id: c.id,
    suiteId: c.suiteId,
    suiteVersion: c.suiteVersion,
    boardId: c.boardId,
    boardName: c.boardName,
    modelId: c.modelId,
    modelSlug: c.modelSlug,
    modelName: c.modelName,
    modelSha256: c.modelSha256,
    quantisation: c.quantisation,
    parameters: c.parameters,
    acceleratorKind: c.acceleratorKind,
    acceleratorName: c.acceleratorName,
    backend: c.backend,
    runtime: c.runtimeName,
    threads: c.threads,
    gpuLayers: c.gpuLayers,
    meterScope: c.meterScope === "none" ? null : c.meterScope,
    metrics,
    stddev,
    submissions: c.submissionCount,
    contributors: c.keyCount,
    runs: c.runCount,
    firstSubmittedAt: c.firstSubmittedAt,
    lastSubmittedAt: c.lastSubmittedAt,
    latestSubmissionId: c.latestSubmissionId,
  };
}
