/**
 * The site's leaderboard read: every ranked configuration at once (not one
 * page), because the site's Pareto front, chart and filter lists need the whole
 * set. Same table and same row mapping (toLeaderboardRow) as the API's
 * queryLeaderboard, so a figure on the page is the figure the API serves.
 */
import { gt } from "drizzle-orm";
import { configurations } from "../../db/schema.js";
import type { Db } from "../db.js";
import { toLeaderboardRow, type LeaderboardRow } from "./rows.js";

/** A hard ceiling so a huge registry degrades (truncated set) instead of timing out. */
export const SITE_MAX_CONFIGURATIONS = 20_000;

export async function listRankedConfigurations(db: Db): Promise<LeaderboardRow[]> {
  const rows = await db.select().from(configurations).where(gt(configurations.submissionCount, 0)).limit(SITE_MAX_CONFIGURATIONS);
  return rows.map(toLeaderboardRow);
}
