/**
 * Admitting a verified upload, in the SAME D1 batch (one round trip, one
 * transaction) as the writes that store it: count the rate-limit buckets,
 * prune old windows, and look up whether the document is already stored and
 * whether its key is revoked; every write of the upload is guarded by
 * `guard` (both buckets within their limits and the key not revoked), so a
 * refused upload writes nothing but its rate-limit count. The verdict is read
 * from the first statements' results afterwards: it throws the 429 (with
 * Retry-After) or 403 in the API's one error shape, or says whether the
 * upload was a duplicate (answered 200; its writes were no-ops).
 */
import { sql, type SQL } from "drizzle-orm";
import type { Env } from "../env.js";
import { ApiError } from "../errors.js";
import { clientAddress, limitsFromEnv, rateLimitStatements, rateLimitVerdict } from "./rate-limit.js";

export interface Admission {
  /** Run first in the batch, in this order. */
  statements: D1PreparedStatement[];
  /** True when the upload may be written (evaluated after the statements above, in the same transaction). */
  guard: SQL;
  /** Reads the statements' results: throws 429/403, else whether the document was already stored. */
  verdict(results: D1Result[]): { duplicate: boolean };
}

export function admission(env: Env, headers: Headers, publicKey: string, id: string, nowMs: number): Admission {
  const d1 = env.DB;
  const limits = limitsFromEnv(env);
  const check = rateLimitStatements(d1, publicKey, clientAddress(headers), nowMs, limits);
  const within = (bucket: string, limit: number) =>
    sql`COALESCE((SELECT count FROM rate_limits WHERE window_start = ${check.windowStart} AND bucket = ${bucket}), 0) <= ${limit}`;
  return {
    statements: [
      ...check.statements,
      d1.prepare("SELECT 1 AS found FROM submissions WHERE id = ?1").bind(id),
      d1.prepare("SELECT reason FROM revoked_keys WHERE public_key = ?1").bind(publicKey),
    ],
    guard: sql`(${within(check.keyBucket, limits.perKey)} AND ${within(check.addressBucket, limits.perAddress)}
      AND NOT EXISTS (SELECT 1 FROM revoked_keys WHERE public_key = ${publicKey}))`,
    verdict(results) {
      const [counted, , existing, revoked] = results;
      const exceeded = rateLimitVerdict(check, (counted!.results ?? []) as { bucket: string; count: number }[], nowMs, limits);
      if (exceeded) {
        throw new ApiError(
          429,
          "rate_limited",
          `too many submissions from this ${exceeded.scope}: at most ${exceeded.limit} per ${exceeded.windowSeconds} s; retry after ${exceeded.retryAfterSeconds} s`,
          exceeded,
          { "Retry-After": String(exceeded.retryAfterSeconds) },
        );
      }
      const revokedRow = (revoked!.results ?? [])[0] as { reason: string } | undefined;
      if (revokedRow) throw new ApiError(403, "key_revoked", `this key was revoked by a moderator: ${revokedRow.reason}`);
      return { duplicate: (existing!.results ?? []).length > 0 };
    },
  };
}
