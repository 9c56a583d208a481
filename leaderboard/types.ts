/**
 * What the pages render. A leaderboard row is exactly what workers/queries
 * returns to the API (same D1 table, same METRICS ids), so the site and the
 * API can never disagree on a figure.
 */
import type { LeaderboardRow } from "../workers/queries/rows.js";

export type ConfigRow = LeaderboardRow;
export type AcceleratorKind = ConfigRow["acceleratorKind"];

export const ACCELERATOR_KINDS_ALL: readonly AcceleratorKind[] = ["cpu", "gpu", "npu", "tpu"];
