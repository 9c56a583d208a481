/**
 * The D1 side of admitting a verified upload, in ONE batch (one round trip):
 * count the rate-limit buckets, prune old windows, and look up whether the
 * document is already stored and whether its key is revoked. Throws the 429
 * (with Retry-After) or 403 in the API's one error shape; otherwise says
 * whether the upload is a duplicate (answered 200 without writing).
 */
import type { Env } from "../env.js";
import { ApiError } from "../errors.js";
import { clientAddress, limitsFromEnv, rateLimitStatements, rateLimitVerdict } from "./rate-limit.js";

export async function admitSubmission(env: Env, headers: Headers, publicKey: string, id: string, nowMs: number): Promise<{ duplicate: boolean }> {
  const d1 = env.DB;
  const limits = limitsFromEnv(env);
  const check = rateLimitStatements(d1, publicKey, clientAddress(headers), nowMs, limits);
  const [counted, , existing, revoked] = await d1.batch([
    ...check.statements,
    d1.prepare("SELECT 1 AS found FROM submissions WHERE id = ?1").bind(id),
    d1.prepare("SELECT reason FROM revoked_keys WHERE public_key = ?1").bind(publicKey),
  ]);
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
}
