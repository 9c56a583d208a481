/**
 * Moderation routes (mounted under /api/v1):
 *   POST /admin/submissions/:id/hide       { "reason": text }   admin token
 *   POST /admin/submissions/:id/restore    { "reason": text }   admin token
 *   POST /admin/keys/:publicKey/revoke     { "reason": text }   admin token
 *   POST /admin/keys/:publicKey/restore    { "reason": text }   admin token
 *   GET  /admin/log?limit=50&before=<id>&target=<id or key>     admin token
 *   POST /submissions/:id/withdraw   signed by the submission's key (workers/moderation/withdraw.ts)
 * Every action is appended to moderation_log (time, action, target, reason, actor)
 * in the same D1 batch as the status change.
 */
import { keyFingerprint } from "@edgebench/contract";
import { and, desc, eq, lt } from "drizzle-orm";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { moderationLog } from "../../db/schema.js";
import type { AppEnv } from "../env.js";
import { ApiError } from "../errors.js";
import { findSubmission, hideSubmission, restoreKey, restoreSubmission, revokeKey, withdrawSubmission } from "../moderation/actions.js";
import { requireAdmin } from "../moderation/admin-auth.js";
import { claimNonce, verifyWithdrawal } from "../moderation/withdraw.js";

const ID_PATTERN = /^[0-9a-f]{64}$/;
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MAX_REASON = 1024;
const ADMIN_ACTOR = "admin";

const smallBody = bodyLimit({
  maxSize: 16 * 1024,
  onError: () => {
    throw new ApiError(413, "payload_too_large", "moderation requests are at most 16 KiB");
  },
});

async function jsonBody(req: { text(): Promise<string> }): Promise<unknown> {
  try {
    return JSON.parse(await req.text());
  } catch (e) {
    throw new ApiError(400, "malformed_json", `the body is not valid JSON: ${(e as Error).message}`);
  }
}

/** The required reason: a non-empty string of at most 1024 characters. */
async function reasonOf(req: { text(): Promise<string> }): Promise<string> {
  const body = await jsonBody(req);
  const reason = (body as { reason?: unknown } | null)?.reason;
  if (typeof reason !== "string" || reason.trim() === "" || reason.length > MAX_REASON) {
    throw new ApiError(400, "reason_required", `every moderation action needs { "reason": "..." } (1-${MAX_REASON} characters)`);
  }
  return reason.trim();
}

function submissionIdParam(id: string): string {
  if (!ID_PATTERN.test(id)) throw new ApiError(400, "bad_id", "a submission id is 64 lowercase hex digits");
  return id;
}

export const moderationApi = new Hono<AppEnv>();

const admin = new Hono<AppEnv>();
admin.use("*", requireAdmin);

admin.post("/submissions/:id/:action{hide|restore}", smallBody, async (c) => {
  const id = submissionIdParam(c.req.param("id"));
  const reason = await reasonOf(c.req);
  if (!(await findSubmission(c.var.db, id))) throw new ApiError(404, "not_found", `no submission ${id}`);
  const action = c.req.param("action") as "hide" | "restore";
  const affected = await (action === "hide" ? hideSubmission : restoreSubmission)(c.var.db, id, reason, ADMIN_ACTOR);
  return c.json({ action, id, affected });
});

admin.post("/keys/:publicKey/:action{revoke|restore}", smallBody, async (c) => {
  const publicKey = c.req.param("publicKey");
  if (!KEY_PATTERN.test(publicKey)) throw new ApiError(400, "bad_key", "a public key is 32 bytes in base64url without padding (43 characters)");
  const reason = await reasonOf(c.req);
  const action = c.req.param("action") as "revoke" | "restore";
  const affected = await (action === "revoke" ? revokeKey : restoreKey)(c.var.db, publicKey, reason, ADMIN_ACTOR);
  return c.json({ action: `${action}-key`, publicKey, affected });
});

admin.get("/log", async (c) => {
  const limitRaw = c.req.query("limit") ?? "50";
  const beforeRaw = c.req.query("before");
  const target = c.req.query("target");
  const limit = /^\d{1,3}$/.test(limitRaw) ? Math.min(200, Math.max(1, Number(limitRaw))) : null;
  if (limit === null) throw new ApiError(400, "bad_limit", "limit is an integer from 1 to 200");
  if (beforeRaw !== undefined && !/^\d{1,15}$/.test(beforeRaw)) throw new ApiError(400, "bad_cursor", "before is a log entry id");
  if (target !== undefined && !(ID_PATTERN.test(target) || KEY_PATTERN.test(target))) {
    throw new ApiError(400, "bad_target", "target is a submission id (64 hex digits) or a public key (43 base64url characters)");
  }
  const rows = await c.var.db
    .select()
    .from(moderationLog)
    .where(
      and(
        beforeRaw === undefined ? undefined : lt(moderationLog.id, Number(beforeRaw)),
        target === undefined ? undefined : eq(moderationLog.target, target),
      ),
    )
    .orderBy(desc(moderationLog.id))
    .limit(limit);
  return c.json({ entries: rows, next: rows.length === limit ? String(rows.at(-1)!.id) : null });
});

moderationApi.route("/admin", admin);

moderationApi.post("/submissions/:id/withdraw", smallBody, async (c) => {
  const id = submissionIdParam(c.req.param("id"));
  const nowMs = Date.now();
  const w = await verifyWithdrawal(await jsonBody(c.req), id, nowMs);
  const sub = await findSubmission(c.var.db, id);
  if (!sub) throw new ApiError(404, "not_found", `no submission ${id}`);
  if (sub.publicKey !== w.publicKey) throw new ApiError(403, "not_your_submission", "only the key that signed a submission may withdraw it");
  if (!(await claimNonce(c.var.db, w, nowMs))) throw new ApiError(409, "replayed_request", "this nonce was already used by this key");
  const affected = await withdrawSubmission(c.var.db, id, w.reason, `key:${await keyFingerprint(w.publicKey)}`);
  return c.json({ action: "withdraw", id, affected });
});
