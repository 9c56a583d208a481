/** Configurations by id, for the compare page and for links from a submission's runs. */
import type { Db } from "../db.js";
import { type LeaderboardRow, rowsByIds } from "../ranking/rows.js";

export const MAX_COMPARE = 50;

/** The configurations with these ids, in the order asked; unknown ids (and rows with no visible result) are left out. */
export function getConfigurations(db: Db, ids: readonly string[]): Promise<LeaderboardRow[]> {
  return rowsByIds(db, [...new Set(ids)].slice(0, MAX_COMPARE));
}
