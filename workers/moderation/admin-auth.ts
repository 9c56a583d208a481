/**
 * The moderation endpoints' guard: `Authorization: Bearer <ADMIN_TOKEN>`.
 *
 * ADMIN_TOKEN is a Worker secret (`wrangler secret put ADMIN_TOKEN`; locally
 * in `.dev.vars`, which is gitignored; tests pass it as a miniflare binding).
 * It is never in the repository. Without it configured, every admin call is
 * 503: moderation is off rather than open.
 *
 * The comparison is constant-time: both sides are hashed with SHA-256 (so the
 * lengths are equal and nothing about the token's length leaks) and the
 * digests are compared with crypto.subtle.timingSafeEqual where the runtime
 * has it (workerd), else by an XOR loop that reads every byte.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.js";
import { ApiError } from "../errors.js";

/** A token shorter than this is treated as not configured (too weak to guard moderation). */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

async function digest(s: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)));
}

export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([digest(a), digest(b)]);
  const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (a: ArrayBufferView, b: ArrayBufferView) => boolean };
  if (typeof subtle.timingSafeEqual === "function") return subtle.timingSafeEqual(x, y);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const token = c.env.ADMIN_TOKEN;
  if (!token || token.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new ApiError(503, "moderation_disabled", "moderation is not configured on this registry (no ADMIN_TOKEN secret)");
  }
  const header = c.req.header("authorization") ?? "";
  const presented = /^Bearer (.+)$/.exec(header)?.[1] ?? "";
  if (!(await constantTimeEqual(presented, token))) {
    throw new ApiError(401, "unauthorized", "admin calls need Authorization: Bearer <admin token>", undefined, { "WWW-Authenticate": "Bearer" });
  }
  await next();
});
