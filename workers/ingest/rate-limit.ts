/**
 * Submission rate limits, D1-backed: fixed one-minute windows counted per
 * contributor key and per client address in the `rate_limits` table.
 *
 * Cost per accepted upload: ONE statement that increments both buckets
 * (a two-row INSERT ... ON CONFLICT DO UPDATE ... RETURNING) and one DELETE
 * that prunes windows older than the previous one (a range on the primary
 * key, which leads with window_start). Both ride in the upload's one D1 batch,
 * with the duplicate and revocation look-ups and the guarded writes
 * (workers/ingest/admission.ts), so the limiter adds no round trip.
 *
 * Counted after the signature verifies: a forged upload naming someone else's
 * key cannot use up that key's allowance. Floods of unsigned garbage never
 * reach D1 at all (they cost a JSON parse); the edge's own DDoS/WAF rules are
 * the layer for those.
 *
 * Client address: the CF-Connecting-IP header Cloudflare sets on every request
 * at the edge. When it is absent (local `wrangler dev` without it, a test
 * harness) every such request shares ONE fixed bucket, "addr:unknown", so a
 * missing header never means "unlimited".
 *
 * Fixed windows allow up to twice the limit across a window boundary; that is
 * acceptable for abuse control and keeps the counter to one row per bucket.
 */
import { lt, sql } from "drizzle-orm";
import { rateLimits } from "../../db/schema.js";
import type { Db } from "../db.js";
import type { Env } from "../env.js";

export interface RateLimits {
  perKey: number;
  perAddress: number;
  windowSeconds: number;
}

/** Defaults when the wrangler vars are absent: 60 uploads/min per key, 120/min per address. */
export const DEFAULT_RATE_LIMITS: RateLimits = { perKey: 60, perAddress: 120, windowSeconds: 60 };

/** The bucket every request without CF-Connecting-IP shares. */
export const UNKNOWN_ADDRESS = "unknown";

function positiveInt(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/** Limits from the wrangler vars RATE_LIMIT_PER_KEY, RATE_LIMIT_PER_ADDRESS, RATE_LIMIT_WINDOW_SECONDS. */
export function limitsFromEnv(env: Pick<Env, "RATE_LIMIT_PER_KEY" | "RATE_LIMIT_PER_ADDRESS" | "RATE_LIMIT_WINDOW_SECONDS">): RateLimits {
  return {
    perKey: positiveInt(env.RATE_LIMIT_PER_KEY, DEFAULT_RATE_LIMITS.perKey),
    perAddress: positiveInt(env.RATE_LIMIT_PER_ADDRESS, DEFAULT_RATE_LIMITS.perAddress),
    windowSeconds: positiveInt(env.RATE_LIMIT_WINDOW_SECONDS, DEFAULT_RATE_LIMITS.windowSeconds),
  };
}

/** The client's address as Cloudflare reports it, or the shared fixed bucket. */
export function clientAddress(headers: Headers): string {
  const ip = headers.get("cf-connecting-ip")?.trim();
  // Bounded so a hostile header cannot make a huge bucket name (IPv6 is at most 45 chars).
  return ip && ip.length <= 64 ? ip : UNKNOWN_ADDRESS;
}

export interface RateLimitCheck {
  windowStart: number;
  keyBucket: string;
  addressBucket: string;
  /** Count both buckets (returning their counts), then prune old windows. */
  statements: [ReturnType<typeof countBoth>, ReturnType<typeof pruneBefore>];
}

function countBoth(db: Db, windowStart: number, keyBucket: string, addressBucket: string) {
  return db
    .insert(rateLimits)
    .values([
      { windowStart, bucket: keyBucket, count: 1 },
      { windowStart, bucket: addressBucket, count: 1 },
    ])
    .onConflictDoUpdate({ target: [rateLimits.windowStart, rateLimits.bucket], set: { count: sql`${rateLimits.count} + 1` } })
    .returning({ bucket: rateLimits.bucket, count: rateLimits.count });
}

function pruneBefore(db: Db, windowStart: number) {
  return db.delete(rateLimits).where(lt(rateLimits.windowStart, windowStart));
}

/** The two statements to add to the request's batch: count both buckets, prune windows before the previous one. */
export function rateLimitStatements(db: Db, publicKey: string, address: string, nowMs: number, limits: RateLimits): RateLimitCheck {
  const windowStart = Math.floor(nowMs / 1000 / limits.windowSeconds) * limits.windowSeconds;
  const keyBucket = `key:${publicKey}`;
  const addressBucket = `addr:${address}`;
  return {
    windowStart,
    keyBucket,
    addressBucket,
    statements: [countBoth(db, windowStart, keyBucket, addressBucket), pruneBefore(db, windowStart - limits.windowSeconds)],
  };
}

export interface RateLimitExceeded {
  scope: "key" | "address";
  limit: number;
  windowSeconds: number;
  retryAfterSeconds: number;
}

/** Reads the counts the first statement returned; null when both are within their limit. */
export function rateLimitVerdict(
  check: RateLimitCheck,
  rows: { bucket: string; count: number }[],
  nowMs: number,
  limits: RateLimits,
): RateLimitExceeded | null {
  const countOf = (bucket: string) => rows.find((r) => r.bucket === bucket)?.count ?? 0;
  const retryAfterSeconds = Math.max(1, Math.ceil(check.windowStart + limits.windowSeconds - nowMs / 1000));
  if (countOf(check.keyBucket) > limits.perKey) return { scope: "key", limit: limits.perKey, windowSeconds: limits.windowSeconds, retryAfterSeconds };
  if (countOf(check.addressBucket) > limits.perAddress) {
    return { scope: "address", limit: limits.perAddress, windowSeconds: limits.windowSeconds, retryAfterSeconds };
  }
  return null;
}
