/**
 * Moderation routes (mounted under /api/v1; docs/moderation.md):
 *   POST /admin/submissions/:id/hide|restore, POST /admin/keys/:publicKey/revoke|restore  { "reason" }   admin token
 *   GET  /admin/log?limit=50&before=<id>&target=<id, key, sha256 or rule id>                           admin token
 *   PUT|DELETE /admin/standard-files/:sha256, GET /standard-files (public)
 *   POST /admin/retired-builds, DELETE /admin/retired-builds/:id, GET /admin/retired-builds and /retired-builds
 *   POST /submissions/:id/withdraw   signed by the submission's key (workers/moderation/withdraw.ts)
 * Every action is appended to moderation_log (time, action, target, reason, actor)
 * in the same D1 batch as the change it logs.
 */
import { keyFingerprint, WithdrawRequest } from "@edgebench/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, lt } from "drizzle-orm";
import { bodyLimit } from "hono/body-limit";
import { moderationLog } from "../../db/schema.js";
import { ApiError } from "../errors.js";
import { findSubmission, hideSubmission, restoreKey, restoreSubmission, revokeKey, withdrawSubmission } from "../moderation/actions.js";
import { requireAdmin } from "../moderation/admin-auth.js";
import { MIN_COMMIT_DIGITS, versionKey } from "../moderation/build-rules.js";
import { createRetiredBuild, deleteRetiredBuild, listRetiredBuilds } from "../moderation/retired-builds.js";
import { listStandardFiles, pinStandardFile, unpinStandardFile } from "../moderation/standard-files.js";
import { claimNonce, REPLAY_WINDOW_MS, verifyWithdrawal } from "../moderation/withdraw.js";
import {
  ADMIN_FAULTS,
  ADMIN_SECURITY,
  apiApp,
  BAD_SUBMISSION_ID,
  bodyOf,
  type Fault,
  failures,
  fault,
  jsonBody,
  jsonResponse,
  MALFORMED_JSON,
  NOT_FOUND,
  raise,
  refuse,
} from "./openapi-app.js";

const ID_PATTERN = /^[0-9a-f]{64}$/;
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const RULE_ID_PATTERN = /^[0-9a-f]{16}$/;
const MAX_REASON = 1024;
const SMALL_BODY_BYTES = 16 * 1024;
const ADMIN_ACTOR = "admin";

const TOO_LARGE = fault(413, "payload_too_large", "moderation requests are at most 16 KiB");
const smallBody = bodyLimit({
  maxSize: SMALL_BODY_BYTES,
  onError: () => {
    throw raise(TOO_LARGE);
  },
});
/** The middleware of a route with a JSON body: the size limit, then the body read as JSON. */
const withBody = [smallBody, jsonBody()];
const withOptionalBody = [smallBody, jsonBody({ optional: true })];

const REASON_REQUIRED = fault(400, "reason_required", `every moderation action needs { "reason": "..." } (1-${MAX_REASON} characters)`);
const BAD_REASON = fault(400, "bad_reason", `a reason, when given, is 1-${MAX_REASON} characters`);
const BAD_KEY = fault(400, "bad_key", "a public key is 32 bytes in base64url without padding (43 characters)");
const BAD_SHA256 = fault(400, "bad_sha256", "a file's sha256 is 64 lowercase hex digits");
const BAD_RULE_ID = fault(400, "bad_id", "a retirement rule id is 16 lowercase hex digits");

const shortText = (max: number) => z.string().trim().min(1).max(max);
const Reason = z.object({ reason: shortText(MAX_REASON) });
const OptionalReason = z.object({ reason: shortText(MAX_REASON).optional() });
const SubmissionId = z.object({ id: z.string().regex(ID_PATTERN).openapi({ description: "the submission id" }) });
const PublicKey = z.object({ publicKey: z.string().regex(KEY_PATTERN).openapi({ description: "the raw Ed25519 key, base64url" }) });
const Sha256 = z.object({ sha256: z.string().regex(ID_PATTERN).openapi({ description: "the model file's SHA-256" }) });
const Affected = z.number().int().openapi({ description: "configurations whose rankings the action changed" });

/** The answers every admin route shares, with its own. */
const adminFailures = (...own: Fault[]) => failures(...ADMIN_FAULTS, ...own);

export const moderationApi = apiApp();

const admin = apiApp();
admin.use("*", requireAdmin);

/** Hide or restore one result. */
for (const action of ["hide", "restore"] as const) {
  const route = createRoute({
    method: "post",
    path: `/submissions/{id}/${action}`,
    operationId: `${action}Submission`,
    tags: ["moderation"],
    security: ADMIN_SECURITY,
    summary: action === "hide" ? "Hide a result" : "Restore a hidden or flagged result",
    middleware: withBody,
    request: { params: SubmissionId, body: bodyOf(Reason, "why (kept in the moderation log)") },
    responses: {
      200: jsonResponse(z.object({ action: z.literal(action), id: z.string(), affected: Affected }), "done"),
      ...adminFailures(BAD_SUBMISSION_ID, MALFORMED_JSON, REASON_REQUIRED, NOT_FOUND, TOO_LARGE),
    },
  });
  admin.openapi(
    route,
    async (c) => {
      const { id } = c.req.valid("param");
      const { reason } = c.req.valid("json");
      if (!(await findSubmission(c.var.db, id))) throw raise(NOT_FOUND, `no submission ${id}`);
      const affected = await (action === "hide" ? hideSubmission : restoreSubmission)(c.var.db, id, reason, ADMIN_ACTOR);
      return c.json({ action, id, affected }, 200);
    },
    refuse({ param: BAD_SUBMISSION_ID, json: REASON_REQUIRED }),
  );
}

/** Revoke a key (its results hidden, its uploads refused) or restore it. */
for (const action of ["revoke", "restore"] as const) {
  const route = createRoute({
    method: "post",
    path: `/keys/{publicKey}/${action}`,
    operationId: `${action}Key`,
    tags: ["moderation"],
    security: ADMIN_SECURITY,
    summary: action === "revoke" ? "Revoke a contributor key: hide its results, refuse its uploads (403 key_revoked)" : "Restore a revoked key",
    middleware: withBody,
    request: { params: PublicKey, body: bodyOf(Reason, "why (kept in the moderation log)") },
    responses: {
      200: jsonResponse(z.object({ action: z.literal(`${action}-key`), publicKey: z.string(), affected: Affected }), "done"),
      ...adminFailures(BAD_KEY, MALFORMED_JSON, REASON_REQUIRED, TOO_LARGE),
    },
  });
  admin.openapi(
    route,
    async (c) => {
      const { publicKey } = c.req.valid("param");
      const { reason } = c.req.valid("json");
      const affected = await (action === "revoke" ? revokeKey : restoreKey)(c.var.db, publicKey, reason, ADMIN_ACTOR);
      return c.json({ action: `${action}-key` as const, publicKey, affected }, 200);
    },
    refuse({ param: BAD_KEY, json: REASON_REQUIRED }),
  );
}

const BAD_LIMIT = fault(400, "bad_limit", "limit is an integer from 1 to 200");
const BAD_CURSOR = fault(400, "bad_cursor", "before is a log entry id");
const BAD_TARGET = fault(
  400,
  "bad_target",
  "target is a submission id or a file's sha256 (64 hex digits), a public key (43 base64url characters) or a retirement rule id (16 hex digits)",
);
const LogQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,3}$/)
    .default("50")
    .transform((v) => Math.min(200, Math.max(1, Number(v))))
    .openapi({ description: "entries per page (default 50; 0 reads as 1, above 200 as 200)" }),
  before: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional()
    .openapi({ description: "the previous page's `next`: entries older than this id" }),
  target: z
    .string()
    .refine((t) => ID_PATTERN.test(t) || KEY_PATTERN.test(t) || RULE_ID_PATTERN.test(t))
    .optional()
    .openapi({ description: "one target's history: a submission id, a file's sha256, a public key or a retirement rule id" }),
});

admin.openapi(
  createRoute({
    method: "get",
    path: "/log",
    operationId: "moderationLog",
    tags: ["moderation"],
    security: ADMIN_SECURITY,
    summary: "The moderation log, newest first",
    request: { query: LogQuery },
    responses: {
      200: jsonResponse(
        z.object({ entries: z.array(z.looseObject({ id: z.number() })), next: z.string().nullable() }),
        "a page; next is the cursor for the older ones",
      ),
      ...adminFailures(BAD_LIMIT, BAD_CURSOR, BAD_TARGET),
    },
  }),
  async (c) => {
    const { limit, before, target } = c.req.valid("query");
    const rows = await c.var.db
      .select()
      .from(moderationLog)
      .where(
        and(
          before === undefined ? undefined : lt(moderationLog.id, Number(before)),
          target === undefined ? undefined : eq(moderationLog.target, target),
        ),
      )
      .orderBy(desc(moderationLog.id))
      .limit(limit);
    return c.json({ entries: rows, next: rows.length === limit ? String(rows.at(-1)!.id) : null }, 200);
  },
  refuse({ query: { limit: BAD_LIMIT, before: BAD_CURSOR, target: BAD_TARGET } }),
);

const StandardFileBody = z.strictObject({
  name: shortText(200),
  quantisation: shortText(64),
  suiteId: shortText(200),
  /** Where the file is published, e.g. an hf: URI. */
  source: shortText(1024).openapi({ description: "where the file is published, e.g. an hf: URI" }),
  reason: shortText(MAX_REASON).optional(),
});
const INVALID_STANDARD_FILE = fault(
  400,
  "invalid_standard_file",
  'a standard file is { "name", "quantisation", "suiteId", "source" } (non-empty text), with an optional "reason"',
);
const StandardFile = z.looseObject({ sha256: z.string() });

admin.openapi(
  createRoute({
    method: "put",
    path: "/standard-files/{sha256}",
    operationId: "pinStandardFile",
    tags: ["moderation"],
    security: ADMIN_SECURITY,
    summary: "Pin a model file as a standard file (leaderboard standard=1)",
    middleware: withBody,
    request: { params: Sha256, body: bodyOf(StandardFileBody, "the file") },
    responses: {
      200: jsonResponse(z.object({ action: z.literal("pin-file"), standardFile: StandardFile }), "updated"),
      201: jsonResponse(z.object({ action: z.literal("pin-file"), standardFile: StandardFile }), "pinned"),
      ...adminFailures(BAD_SHA256, MALFORMED_JSON, INVALID_STANDARD_FILE, TOO_LARGE),
    },
  }),
  async (c) => {
    const { sha256 } = c.req.valid("param");
    const { reason, ...input } = c.req.valid("json");
    const { file, created } = await pinStandardFile(c.var.db, sha256, input, reason ?? null, ADMIN_ACTOR);
    return created
      ? c.json({ action: "pin-file" as const, standardFile: file }, 201)
      : c.json({ action: "pin-file" as const, standardFile: file }, 200);
  },
  refuse({ param: BAD_SHA256, json: INVALID_STANDARD_FILE }),
);

admin.openapi(
  createRoute({
    method: "delete",
    path: "/standard-files/{sha256}",
    operationId: "unpinStandardFile",
    tags: ["moderation"],
    security: ADMIN_SECURITY,
    summary: "Unpin a standard file",
    middleware: withOptionalBody,
    request: { params: Sha256, body: bodyOf(OptionalReason, "optional: why", false) },
    responses: {
      200: jsonResponse(z.object({ action: z.literal("unpin-file"), standardFile: StandardFile }), "unpinned"),
      ...adminFailures(BAD_SHA256, MALFORMED_JSON, BAD_REASON, NOT_FOUND, TOO_LARGE),
    },
  }),
  async (c) => {
    const { sha256 } = c.req.valid("param");
    const { reason } = c.req.valid("json");
    const removed = await unpinStandardFile(c.var.db, sha256, reason ?? null, ADMIN_ACTOR);
    if (!removed) throw raise(NOT_FOUND, `no standard file ${sha256}`);
    return c.json({ action: "unpin-file" as const, standardFile: removed }, 200);
  },
  refuse({ param: BAD_SHA256, json: BAD_REASON }),
);

const version = (bound: string) =>
  shortText(64)
    .refine((v) => versionKey(v) !== null, "a version starts with dotted numbers, e.g. 3.9.0")
    .optional()
    .openapi({ description: `${bound} runtime version retired (dotted numbers, compared as numbers)` });

const RetiredBuildBody = z
  .strictObject({
    runtime: shortText(200),
    commit: z
      .string()
      .trim()
      .regex(new RegExp(`^[0-9a-fA-F]{${MIN_COMMIT_DIGITS},40}$`), `a llama.cpp commit is ${MIN_COMMIT_DIGITS}-40 hex digits`)
      .transform((x) => x.toLowerCase())
      .optional()
      .openapi({ description: `a llama.cpp commit (${MIN_COMMIT_DIGITS}-40 hex digits), matched as a prefix (workers/moderation/build-rules.ts)` }),
    minVersion: version("the lowest"),
    maxVersion: version("the highest"),
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
const INVALID_RULE = fault(
  400,
  "invalid_rule",
  'a retirement rule is { "runtime", "commit" } or { "runtime", "minVersion"?, "maxVersion"? } with a "reason" (1-1024 characters)',
);
const Rule = z.looseObject({ id: z.string(), runtime: z.string(), reason: z.string() });
const Rules = jsonResponse(z.object({ rules: z.array(Rule) }), "every retirement rule");

admin.openapi(
  createRoute({
    method: "post",
    path: "/retired-builds",
    operationId: "retireBuild",
    tags: ["moderation"],
    security: ADMIN_SECURITY,
    summary: "Retire a runtime build: its results stay stored and readable, and leave the rankings",
    middleware: withBody,
    request: { body: bodyOf(RetiredBuildBody, "the rule: a commit, or a version range, with a reason") },
    responses: {
      201: jsonResponse(
        z.object({ action: z.literal("retire-build"), rule: Rule, affected: Affected }),
        "the rule, and the configurations it changed",
      ),
      ...adminFailures(MALFORMED_JSON, INVALID_RULE, TOO_LARGE),
    },
  }),
  async (c) => {
    const b = c.req.valid("json");
    const { rule, affected } = await createRetiredBuild(
      c.var.db,
      { runtime: b.runtime, commit: b.commit ?? null, minVersion: b.minVersion ?? null, maxVersion: b.maxVersion ?? null, reason: b.reason },
      ADMIN_ACTOR,
    );
    return c.json({ action: "retire-build" as const, rule, affected }, 201);
  },
  refuse({ json: INVALID_RULE }),
);

admin.openapi(
  createRoute({
    method: "get",
    path: "/retired-builds",
    operationId: "adminRetiredBuilds",
    tags: ["moderation"],
    security: ADMIN_SECURITY,
    summary: "The retirement rules (the same list as the public GET /retired-builds)",
    responses: { 200: Rules, ...adminFailures() },
  }),
  async (c) => c.json({ rules: await listRetiredBuilds(c.var.db) }, 200),
);

admin.openapi(
  createRoute({
    method: "delete",
    path: "/retired-builds/{id}",
    operationId: "unretireBuild",
    tags: ["moderation"],
    security: ADMIN_SECURITY,
    summary: "Delete a retirement rule: its results rank again",
    middleware: withOptionalBody,
    request: {
      params: z.object({ id: z.string().regex(RULE_ID_PATTERN).openapi({ description: "the rule id" }) }),
      body: bodyOf(OptionalReason, "optional: why", false),
    },
    responses: {
      200: jsonResponse(z.object({ action: z.literal("unretire-build"), rule: Rule, affected: Affected }), "deleted"),
      ...adminFailures(BAD_RULE_ID, MALFORMED_JSON, BAD_REASON, NOT_FOUND, TOO_LARGE),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const { reason } = c.req.valid("json");
    const deleted = await deleteRetiredBuild(c.var.db, id, reason ?? "rule deleted", ADMIN_ACTOR);
    if (!deleted) throw raise(NOT_FOUND, `no retirement rule ${id}`);
    return c.json({ action: "unretire-build" as const, rule: deleted.rule, affected: deleted.affected }, 200);
  },
  refuse({ param: BAD_RULE_ID, json: BAD_REASON }),
);

moderationApi.route("/admin", admin);

moderationApi.openapi(
  createRoute({
    method: "get",
    path: "/standard-files",
    operationId: "listStandardFiles",
    tags: ["catalogue"],
    summary: "The model files the registry pins by SHA-256: leaderboard standard=1 keeps only configurations of these",
    responses: { 200: jsonResponse(z.object({ standardFiles: z.array(StandardFile) }), "every pinned file") },
  }),
  async (c) => c.json({ standardFiles: await listStandardFiles(c.var.db) }, 200),
);

moderationApi.openapi(
  createRoute({
    method: "get",
    path: "/retired-builds",
    operationId: "listRetiredBuilds",
    tags: ["catalogue"],
    summary: "Runtime builds a moderator retired, with the reason: their results are kept and shown, not ranked",
    responses: { 200: Rules },
  }),
  async (c) => c.json({ rules: await listRetiredBuilds(c.var.db) }, 200),
);

const INVALID_WITHDRAWAL = fault(
  400,
  "invalid_withdrawal",
  "the body must be { withdraw: { action, id, at, nonce, reason? }, signature, publicKey }",
);

moderationApi.openapi(
  createRoute({
    method: "post",
    path: "/submissions/{id}/withdraw",
    operationId: "withdrawSubmission",
    tags: ["submissions"],
    summary: "Withdraw your own result (signed by the key that signed it)",
    description:
      "The signature is Ed25519 over the RFC 8785 bytes of the withdraw object. Accepted only from the key that signed the result, " +
      `with at within ${REPLAY_WINDOW_MS / 60_000} minutes of the registry's clock and a nonce the key has not used before. The result is hidden, not deleted.`,
    middleware: withBody,
    request: { params: SubmissionId, body: bodyOf(WithdrawRequest, "the signed withdraw request") },
    responses: {
      200: jsonResponse(z.object({ action: z.literal("withdraw"), id: z.string(), affected: Affected }), "withdrawn"),
      ...failures(
        BAD_SUBMISSION_ID,
        MALFORMED_JSON,
        INVALID_WITHDRAWAL,
        fault(400, "id_mismatch", "withdraw.id must equal the submission id in the path"),
        fault(400, "stale_request", `withdraw.at must be within ${REPLAY_WINDOW_MS / 60_000} minutes of the server clock`),
        fault(401, "bad_signature", "the signature does not verify for this withdraw object and public key"),
        fault(403, "not_your_submission", "only the key that signed a submission may withdraw it"),
        NOT_FOUND,
        fault(409, "replayed_request", "this nonce was already used by this key"),
        TOO_LARGE,
      ),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const nowMs = Date.now();
    // The signature is checked over the object as received, not the validated copy.
    const w = await verifyWithdrawal(await c.req.json(), id, nowMs);
    const sub = await findSubmission(c.var.db, id);
    if (!sub) throw raise(NOT_FOUND, `no submission ${id}`);
    if (sub.publicKey !== w.publicKey) throw new ApiError(403, "not_your_submission", "only the key that signed a submission may withdraw it");
    if (!(await claimNonce(c.var.db, w, nowMs))) throw new ApiError(409, "replayed_request", "this nonce was already used by this key");
    const affected = await withdrawSubmission(c.var.db, id, w.reason, `key:${await keyFingerprint(w.publicKey)}`);
    return c.json({ action: "withdraw" as const, id, affected }, 200);
  },
  refuse({ param: BAD_SUBMISSION_ID, json: INVALID_WITHDRAWAL }),
);
