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
import { and, eq, exists, not, type SQL, sql } from "drizzle-orm";
import { rateLimits, revokedKeys, submissions } from "../../db/schema.js";
import { type Db, statement } from "../db.js";
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

export function admission(db: Db, env: Env, headers: Headers, publicKey: string, id: string, nowMs: number): Admission {
  const limits = limitsFromEnv(env);
  const check = rateLimitStatements(db, publicKey, clientAddress(headers), nowMs, limits);
  const within = (bucket: string, limit: number) =>
    sql`COALESCE((${db
      .select({ count: rateLimits.count })
      .from(rateLimits)
      .where(and(eq(rateLimits.windowStart, check.windowStart), eq(rateLimits.bucket, bucket)))}), 0) <= ${limit}`;
  const revoked = db.select({ reason: revokedKeys.reason }).from(revokedKeys).where(eq(revokedKeys.publicKey, publicKey));
  const d1 = db.$client;
  return {
    statements: [
      ...check.statements.map((q) => statement(d1, q)),
      statement(d1, db.select({ found: sql`1` }).from(submissions).where(eq(submissions.id, id))),
      statement(d1, revoked),
    ],
    guard: and(within(check.keyBucket, limits.perKey), within(check.addressBucket, limits.perAddress), not(exists(revoked)))!,
    verdict(results) {
      const [counted, , existing, revokedRows] = results;
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
      const revokedRow = (revokedRows!.results ?? [])[0] as { reason: string } | undefined;
      if (revokedRow) throw new ApiError(403, "key_revoked", `this key was revoked by a moderator: ${revokedRow.reason}`);
      return { duplicate: (existing!.results ?? []).length > 0 };
    },
  };
}
