/**
 * Leaderboard rows as CSV (RFC 4180): the configuration fields, then for every
 * metric in METRICS its median and its stddev, headed by the metric ids.
 */
import { METRICS } from "@edgebench/contract";
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

/** One RFC 4180 field: quoted when it holds a quote, comma or line break; empty for no value. */
export function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string[] {
  return [...FIELDS.map(([name]) => name), ...METRICS.flatMap((m) => [m.id, `${m.id}_stddev`])];
}

export function leaderboardCsv(rows: readonly LeaderboardRow[]): string {
  const lines = [csvHeader().join(",")];
  for (const r of rows) {
    const cells = [...FIELDS.map(([, get]) => cell(get(r))), ...METRICS.flatMap((m) => [cell(r.metrics[m.id]), cell(r.stddev[m.id])])];
    lines.push(cells.join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** Whether an Accept header asks for CSV (the read cache keys on this too: workers/cache/read-cache.ts). */
export function acceptsCsv(accept: string | undefined): boolean {
  return /\btext\/csv\b/i.test(accept ?? "");
}
