/** Configurations by id, for the compare page and for links from a submission's runs. */
import { inArray } from "drizzle-orm";
import { configurations } from "../../db/schema.js";
import type { Db } from "../db.js";
import { toLeaderboardRow, type LeaderboardRow } from "./rows.js";

export const MAX_COMPARE = 50;

/** The configurations with these ids, in the order asked; unknown ids are left out. */
export async function getConfigurations(db: Db, ids: readonly string[]): Promise<LeaderboardRow[]> {
  const unique = [...new Set(ids)].slice(0, MAX_COMPARE);
  if (unique.length === 0) return [];
  const rows = await db.select().from(configurations).where(inArray(configurations.id, unique));
  const byId = new Map(rows.map((r) => [r.id, toLeaderboardRow(r)]));
  return unique.flatMap((id) => byId.get(id) ?? []);
}
