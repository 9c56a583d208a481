/**
 * Leaderboard rows as CSV (RFC 4180): the configuration fields, then for every
 * metric in METRICS its median and its stddev, headed by the metric ids.
 */
import { METRICS } from "@edgebench/contract";
// The browser build: the package's default entry reads Node's global Buffer at load, which workerd lacks without nodejs_compat.
import { stringify } from "csv-stringify/browser/esm/sync";
import type { LeaderboardRow } from "../ranking/rows.js";

const FIELDS = [
  ["configuration_id", (r) => r.id],
  ["suite_id", (r) => r.suiteId],
  ["suite_version", (r) => r.suiteVersion],
  ["board_id", (r) => r.boardId],
  ["board", (r) => r.boardName],
  ["model_id", (r) => r.modelId],
  ["model", (r) => r.modelName],
  ["quantisation", (r) => r.quantisation],
  ["accelerator_kind", (r) => r.acceleratorKind],
  ["accelerator", (r) => r.acceleratorName],
  ["backend", (r) => r.backend],
  ["runtime", (r) => r.runtime],
  ["threads", (r) => r.threads],
  ["gpu_layers", (r) => r.gpuLayers],
  ["meter_scope", (r) => r.meterScope],
  ["cooling", (r) => r.cooling],
  ["submissions", (r) => r.submissions],
  ["contributors", (r) => r.contributors],
  ["latest_submission_id", (r) => r.latestSubmissionId],
] as const satisfies readonly (readonly [string, (r: LeaderboardRow) => string | number | null])[];

export type CsvValue = string | number | null | undefined;

/**
 * RFC 4180 records, each ended by CRLF: a field is quoted when it holds a quote, comma or line break (CR or LF
 * alone too, which csv-stringify leaves bare once the record delimiter is set, hence quote_record_delimiter);
 * no value is an empty field.
 */
export function csvRecords(rows: readonly (readonly CsvValue[])[]): string {
  return stringify(rows as CsvValue[][], { record_delimiter: "windows", quote_record_delimiter: true });
}

export function csvHeader(): string[] {
  return [...FIELDS.map(([name]) => name), ...METRICS.flatMap((m) => [m.id, `${m.id}_stddev`])];
}

export function leaderboardCsv(rows: readonly LeaderboardRow[]): string {
  return csvRecords([
    csvHeader(),
    ...rows.map((r) => [...FIELDS.map(([, get]) => get(r)), ...METRICS.flatMap((m) => [r.metrics[m.id], r.stddev[m.id]])]),
  ]);
}

/** Whether an Accept header asks for CSV (the read cache keys on this too: workers/cache/read-cache.ts). */
export function acceptsCsv(accept: string | undefined): boolean {
  return /\btext\/csv\b/i.test(accept ?? "");
}
