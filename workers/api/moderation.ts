/**
 * Moderation routes (mounted under /api/v1):
 *   POST /admin/submissions/:id/hide       { "reason": text }   admin token
 *   POST /admin/submissions/:id/restore    { "reason": text }   admin token
 *   POST /admin/keys/:publicKey/revoke     { "reason": text }   admin token
 *   POST /admin/keys/:publicKey/restore    { "reason": text }   admin token
 *   GET  /admin/log?limit=50&before=<id>&target=<id, key, sha256 or rule id>   admin token
 *   PUT  /admin/standard-files/:sha256  { name, quantisation, suiteId, source, reason? }   admin token
 *   DELETE /admin/standard-files/:sha256  { reason? } (body optional)                      admin token
 *   GET  /standard-files                                                                     public
 *   POST /admin/retired-builds  { runtime, commit | minVersion?/maxVersion?, reason }     admin token
 *   GET  /admin/retired-builds, GET /retired-builds (the same list: it is not secret)
 *   DELETE /admin/retired-builds/:id  { reason? } (body optional)                          admin token
 *   POST /submissions/:id/withdraw   signed by the submission's key (workers/moderation/withdraw.ts)
 * Every action is appended to moderation_log (time, action, target, reason, actor)
 * in the same D1 batch as the change it logs.
 */
import { keyFingerprint } from "@edgebench/contract";
import { and, desc, eq, lt } from "drizzle-orm";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { moderationLog } from "../../db/schema.js";
import type { AppEnv } from "../env.js";
import { ApiError } from "../errors.js";
import { findSubmission, hideSubmission, restoreKey, restoreSubmission, revokeKey, withdrawSubmission } from "../moderation/actions.js";
import { requireAdmin } from "../moderation/admin-auth.js";
import { MIN_COMMIT_DIGITS, versionKey } from "../moderation/build-rules.js";
import { createRetiredBuild, deleteRetiredBuild, listRetiredBuilds } from "../moderation/retired-builds.js";
import { listStandardFiles, pinStandardFile, unpinStandardFile } from "../moderation/standard-files.js";
import { claimNonce, verifyWithdrawal } from "../moderation/withdraw.js";

const ID_PATTERN = /^[0-9a-f]{64}$/;
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const RULE_ID_PATTERN = /^[0-9a-f]{16}$/;
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

/** An optional reason (a body may be absent): a non-empty string of at most 1024 characters, else null. */
async function optionalReasonOf(req: { text(): Promise<string> }): Promise<string | null> {
  const text = await req.text();
  if (text.trim() === "") return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, "malformed_json", `the body is not valid JSON: ${(e as Error).message}`);
  }
  const reason = (body as { reason?: unknown } | null)?.reason;
  if (reason === undefined) return null;
  if (typeof reason !== "string" || reason.trim() === "" || reason.length > MAX_REASON) {
    throw new ApiError(400, "bad_reason", `a reason, when given, is 1-${MAX_REASON} characters`);
  }
  return reason.trim();
}

/** A body parsed by a zod schema, or 400 `code` with the schema's issues. */
async function parsedBody<T extends z.ZodType>(req: { text(): Promise<string> }, schema: T, code: string, message: string): Promise<z.output<T>> {
  const parsed = schema.safeParse(await jsonBody(req));
  if (!parsed.success) throw new ApiError(400, code, message, parsed.error.issues);
  return parsed.data;
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
  if (target !== undefined && !(ID_PATTERN.test(target) || KEY_PATTERN.test(target) || RULE_ID_PATTERN.test(target))) {
    throw new ApiError(
      400,
      "bad_target",
      "target is a submission id or a file's sha256 (64 hex digits), a public key (43 base64url characters) or a retirement rule id (16 hex digits)",
    );
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

const shortText = (max: number) => z.string().trim().min(1).max(max);

const StandardFileBody = z.strictObject({
  name: shortText(200),
  quantisation: shortText(64),
  suiteId: shortText(200),
  /** Where the file is published, e.g. an hf: URI. */
  source: shortText(1024),
  reason: shortText(MAX_REASON).optional(),
});

function sha256Param(sha: string): string {
  if (!ID_PATTERN.test(sha)) throw new ApiError(400, "bad_sha256", "a file's sha256 is 64 lowercase hex digits");
  return sha;
}

admin.put("/standard-files/:sha256", smallBody, async (c) => {
  const sha256 = sha256Param(c.req.param("sha256"));
  const { reason, ...input } = await parsedBody(
    c.req,
    StandardFileBody,
    "invalid_standard_file",
    'a standard file is { "name", "quantisation", "suiteId", "source" } (non-empty text), with an optional "reason"',
  );
  const { file, created } = await pinStandardFile(c.var.db, sha256, input, reason ?? null, ADMIN_ACTOR);
  return c.json({ action: "pin-file", standardFile: file }, created ? 201 : 200);
});

admin.delete("/standard-files/:sha256", smallBody, async (c) => {
  const sha256 = sha256Param(c.req.param("sha256"));
  const reason = await optionalReasonOf(c.req);
  const removed = await unpinStandardFile(c.var.db, sha256, reason, ADMIN_ACTOR);
  if (!removed) throw new ApiError(404, "not_found", `no standard file ${sha256}`);
  return c.json({ action: "unpin-file", standardFile: removed });
});

const RetiredBuildBody = z
  .strictObject({
    runtime: shortText(200),
    /** A llama.cpp commit (7-40 hex digits): matched as a prefix (workers/moderation/build-rules.ts). */
    commit: z
      .string()
      .trim()
      .regex(new RegExp(`^[0-9a-fA-F]{${MIN_COMMIT_DIGITS},40}$`), `a llama.cpp commit is ${MIN_COMMIT_DIGITS}-40 hex digits`)
      .transform((x) => x.toLowerCase())
      .optional(),
    minVersion: shortText(64)
      .refine((v) => versionKey(v) !== null, "a version starts with dotted numbers, e.g. 3.9.0")
      .optional(),
    maxVersion: shortText(64)
      .refine((v) => versionKey(v) !== null, "a version starts with dotted numbers, e.g. 3.9.0")
      .optional(),
    reason: shortText(MAX_REASON),
  })
  .superRefine((b, ctx) => {
    const range = b.minVersion !== undefined || b.maxVersion !== undefined;
    if (b.commit !== undefined && range) ctx.addIssue({ code: "custom", message: "a rule names either a commit or a version range, not both" });
    if (b.commit === undefined && !range) {
      ctx.addIssue({
        code: "custom",
        message: "a rule needs a commit or a version range: one naming only the runtime would retire every build of it",
      });
    }
    if (b.minVersion !== undefined && b.maxVersion !== undefined && versionKey(b.minVersion)! > versionKey(b.maxVersion)!) {
      ctx.addIssue({ code: "custom", path: ["minVersion"], message: "minVersion is above maxVersion: the range holds no version" });
    }
  });

admin.post("/retired-builds", smallBody, async (c) => {
  const b = await parsedBody(
    c.req,
    RetiredBuildBody,
    "invalid_rule",
    'a retirement rule is { "runtime", "commit" } or { "runtime", "minVersion"?, "maxVersion"? } with a "reason" (1-1024 characters)',
  );
  const { rule, affected } = await createRetiredBuild(
    c.var.db,
    { runtime: b.runtime, commit: b.commit ?? null, minVersion: b.minVersion ?? null, maxVersion: b.maxVersion ?? null, reason: b.reason },
    ADMIN_ACTOR,
  );
  return c.json({ action: "retire-build", rule, affected }, 201);
});

admin.get("/retired-builds", async (c) => c.json({ rules: await listRetiredBuilds(c.var.db) }));

admin.delete("/retired-builds/:id", smallBody, async (c) => {
  const id = c.req.param("id");
  if (!RULE_ID_PATTERN.test(id)) throw new ApiError(400, "bad_id", "a retirement rule id is 16 lowercase hex digits");
  const reason = await optionalReasonOf(c.req);
  const deleted = await deleteRetiredBuild(c.var.db, id, reason ?? "rule deleted", ADMIN_ACTOR);
  if (!deleted) throw new ApiError(404, "not_found", `no retirement rule ${id}`);
  return c.json({ action: "unretire-build", rule: deleted.rule, affected: deleted.affected });
});

moderationApi.route("/admin", admin);

moderationApi.get("/standard-files", async (c) => c.json({ standardFiles: await listStandardFiles(c.var.db) }));
moderationApi.get("/retired-builds", async (c) => c.json({ rules: await listRetiredBuilds(c.var.db) }));

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
