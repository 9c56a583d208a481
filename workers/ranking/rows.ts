/**
 * A leaderboard row as the API serialises it and the site renders it: a
 * configuration, its counts and its figures keyed by metric id, read from
 * `configurations` and `configuration_metrics` (never from the runs).
 */
import { type Backend, type Cooling, isMetricId, type MeterScope, type MetricId } from "@edgebench/contract";
import { asc, inArray } from "drizzle-orm";
import {
  type ConfigAcceleratorKind,
  type ConfigurationMetricRow,
  type ConfigurationRow,
  configurationMetrics,
  configurations,
} from "../../db/schema.js";
import type { Db } from "../db.js";
import { isStandardFile } from "../moderation/standard-files.js";

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
  /** The model file is one the registry pins as a suite's standard file (what `standard=1` keeps). */
  standardFile: boolean;
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
  /** Cooling as declared by the contributors; null when not stated. */
  cooling: Cooling | null;
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
  /** With group=setup or board: what the row stands for (absent with group=configuration). */
  group?: RowGroup;
}

/** The configurations a grouped row stands for: it is their best by the sort metric. */
export interface RowGroup {
  /** Matching configurations in the group, the row's own included. */
  configurations: number;
  /** group=setup: every setting of the sweep with its figure of the sort metric, best first (the row's own first). */
  settings?: SetupSetting[];
}

export interface SetupSetting {
  threads: number;
  gpuLayers: number;
  configurationId: string;
  value: number;
}

/** The configuration columns a row needs (everything but the aggregation step's bookkeeping). */
export const ROW_COLUMNS = {
  id: configurations.id,
  suiteId: configurations.suiteId,
  suiteVersion: configurations.suiteVersion,
  boardId: configurations.boardId,
  boardName: configurations.boardName,
  modelId: configurations.modelId,
  modelSlug: configurations.modelSlug,
  modelName: configurations.modelName,
  modelSha256: configurations.modelSha256,
  standardFile: isStandardFile(configurations.modelId),
  quantisation: configurations.quantisation,
  parameters: configurations.parameters,
  acceleratorKind: configurations.acceleratorKind,
  acceleratorName: configurations.acceleratorName,
  backend: configurations.backend,
  runtimeName: configurations.runtimeName,
  threads: configurations.threads,
  gpuLayers: configurations.gpuLayers,
  meterScope: configurations.meterScope,
  cooling: configurations.cooling,
  runCount: configurations.runCount,
  submissionCount: configurations.submissionCount,
  keyCount: configurations.keyCount,
  firstSubmittedAt: configurations.firstSubmittedAt,
  lastSubmittedAt: configurations.lastSubmittedAt,
  latestSubmissionId: configurations.latestSubmissionId,
};

export type RowColumns = Omit<ConfigurationRow, "pendingSeq" | "aggregatedSeq" | "valuesStale"> & { standardFile: boolean };

export function toLeaderboardRow(c: RowColumns, figures: readonly Pick<ConfigurationMetricRow, "metric" | "value" | "stddev">[]): LeaderboardRow {
  const metrics: Partial<Record<MetricId, number>> = {};
  const stddev: Partial<Record<MetricId, number>> = {};
  for (const f of figures) {
    // A metric taken out of the contract's list leaves rows the API no longer defines: skip them.
    if (!isMetricId(f.metric)) continue;
    metrics[f.metric] = f.value;
    if (f.stddev !== null) stddev[f.metric] = f.stddev;
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
    standardFile: Boolean(c.standardFile),
    quantisation: c.quantisation,
    parameters: c.parameters,
    acceleratorKind: c.acceleratorKind,
    acceleratorName: c.acceleratorName,
    backend: c.backend,
    runtime: c.runtimeName,
    threads: c.threads,
    gpuLayers: c.gpuLayers,
    meterScope: c.meterScope === "none" ? null : c.meterScope,
    cooling: c.cooling,
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

/** D1 binds at most 100 parameters per statement. */
const ID_CHUNK = 90;

/** The figures of these configurations, grouped by configuration id (primary-key reads). */
export async function figuresOf(db: Db, ids: readonly string[]): Promise<Map<string, ConfigurationMetricRow[]>> {
  const out = new Map<string, ConfigurationMetricRow[]>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const rows = await db
      .select()
      .from(configurationMetrics)
      .where(inArray(configurationMetrics.configurationId, ids.slice(i, i + ID_CHUNK)))
      .orderBy(asc(configurationMetrics.configurationId));
    for (const r of rows) {
      let list = out.get(r.configurationId);
      if (!list) {
        list = [];
        out.set(r.configurationId, list);
      }
      list.push(r);
    }
  }
  return out;
}

/** Rows for configuration rows already read, in their order. */
export async function withFigures(db: Db, configs: readonly RowColumns[]): Promise<LeaderboardRow[]> {
  const figures = await figuresOf(
    db,
    configs.map((c) => c.id),
  );
  return configs.map((c) => toLeaderboardRow(c, figures.get(c.id) ?? []));
}

/** The configurations with these ids that have a visible submission, in the order asked; unknown ids are left out. */
export async function rowsByIds(db: Db, ids: readonly string[]): Promise<LeaderboardRow[]> {
  const unique = [...new Set(ids)];
  const found: RowColumns[] = [];
  for (let i = 0; i < unique.length; i += ID_CHUNK) {
    found.push(
      ...(await db
        .select(ROW_COLUMNS)
        .from(configurations)
        .where(inArray(configurations.id, unique.slice(i, i + ID_CHUNK)))),
    );
  }
  const listed = new Map(found.filter((c) => c.submissionCount > 0).map((c) => [c.id, c]));
  return withFigures(
    db,
    unique.flatMap((id) => listed.get(id) ?? []),
  );
}
