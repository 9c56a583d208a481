/**
 * The registry version: the token every cached read is keyed by.
 *
 * Writes bump it in their own D1 batch (bumpRegistryVersion: the upload
 * batch, the aggregation step, every moderation batch), so the bump commits with the data or not at
 * all. Readers take it from a copy held in this isolate for at most
 * VERSION_TTL_MS, else from D1 (one primary-key read, shared by the requests
 * that arrive while it is in flight).
 *
 * Staleness bound: a write made through another isolate is seen here at most
 * VERSION_TTL_MS later (plus the D1 read replica's lag once reads go through
 * the Sessions API). A write made through this isolate is seen at once:
 * forgetVersion() runs after every non-GET request (workers/cache/read-cache.ts),
 * so the uploader's next read in the same isolate re-reads the version.
 */
import { and, eq, type SQL, sql } from "drizzle-orm";
import { registryVersion as versionRow } from "../../db/schema.js";
import type { Db } from "../db.js";

/** How long an isolate trusts its copy of the version (the cross-isolate staleness bound). */
export const VERSION_TTL_MS = 1000;

/**
 * The statement a write batch includes: next version, fresh salt. `when`
 * limits it to batches that changed something (ingest: only the batch that
 * stored the upload), so duplicates and refused uploads leave every cached
 * entry valid.
 */
export function bumpRegistryVersion(db: Db, when?: SQL) {
  return db
    .update(versionRow)
    .set({ version: sql`${versionRow.version} + 1`, salt: sql`lower(hex(randomblob(8)))` })
    .where(and(eq(versionRow.id, 1), when));
}

let held: { token: string; at: number } | null = null;
let inFlight: Promise<string | null> | null = null;
/** Moves on every forgetVersion(): a read that started before it must not install its (older) result. */
let epoch = 0;
/** The token seen last (survives forgetVersion), to tell a real change from a refresh. */
let lastToken: string | null = null;

/** Called after a write in this isolate: the next read asks D1 again. */
export function forgetVersion(): void {
  held = null;
  inFlight = null;
  epoch++;
}

/**
 * The current version token ("<version>.<salt>"), or null when the row is
 * missing (then nothing may be cached: no write could invalidate it).
 * `onChange` runs when the token differs from the last one this isolate held.
 */
export async function registryVersion(db: Db, onChange?: () => void): Promise<string | null> {
  const now = Date.now();
  if (held && now - held.at < VERSION_TTL_MS) return held.token;
  if (inFlight) return inFlight;
  const started = epoch;
  const previous = held?.token ?? lastToken;
  const read = (async () => {
    const row = await db.select({ version: versionRow.version, salt: versionRow.salt }).from(versionRow).where(eq(versionRow.id, 1)).get();
    const token = row ? `${row.version}.${row.salt}` : null;
    if (started === epoch) {
      // Only a read that no write in this isolate overtook may be trusted for the TTL.
      held = token === null ? null : { token, at: now };
      inFlight = null;
    }
    if (token !== previous) {
      lastToken = token;
      onChange?.();
    }
    return token;
  })();
  inFlight = read;
  try {
    return await read;
  } catch (e) {
    if (inFlight === read) inFlight = null;
    throw e;
  }
}
