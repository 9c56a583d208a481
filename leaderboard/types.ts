/**
 * What the pages render. A leaderboard row is exactly what the ranking module
 * returns to the API (workers/ranking/rows.ts), so the site and the API can
 * never disagree on a figure.
 */
import type { LeaderboardRow } from "../workers/ranking/rows.js";

export type ConfigRow = LeaderboardRow;
