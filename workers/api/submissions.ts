/**
 * POST /api/v1/submissions (workers/ingest/upload.ts decides what is stored,
 * and in which order the checks answer) and GET /api/v1/submissions/:id.
 *
 * The upload's body stays raw text: the signature is verified over the
 * document exactly as received, so the route definition describes the body
 * (the contract's schemas, by reference) but leaves every check to ingest.
 */
import { OUTLIER_RULE, RESULT_SCHEMA_ID, ResultDocument, Submission } from "@edgebench/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { aggregateAfterUpload } from "../aggregate/after-upload.js";
import { deferredMeter, meteredD1 } from "../d1-meter.js";
import { createDb } from "../db.js";
import { DEFAULT_RATE_LIMITS } from "../ingest/rate-limit.js";
import { ingestUpload, MAX_CLOCK_SKEW_MS } from "../ingest/upload.js";
import { getSubmission } from "../read/submissions.js";
import { apiApp, BAD_SUBMISSION_ID, failures, fault, jsonResponse, MALFORMED_JSON, NOT_FOUND, raise, refuse } from "./openapi-app.js";

/**
 * Largest accepted body. D1 stores at most 2,000,000 bytes per row and the
 * document is stored whole; canonical JSON is never longer than a compact body
 * by more than a few bytes, so this leaves room for the other columns.
 */
export const MAX_BODY_BYTES = 1_900_000;

const ID_PATTERN = /^[0-9a-f]{64}$/;

/**
 * How long the aggregation pass after an upload waits for more uploads to take in with it (the AGGREGATE_DELAY_MS
 * var overrides it; tests set 0). An upload is in the rankings within this plus one pass: under a second or two.
 */
export const DEFAULT_AGGREGATE_DELAY_MS = 1000;

export const submissionsApi = apiApp();

// The contract's schemas, named once in the document: the upload's body and the stored result refer to them. Each is
// copied first (describe): zod 4 gives .openapi() only to schemas made after @hono/zod-openapi loaded, and the
// contract may load before it.
const Document = submissionsApi.openAPIRegistry.register("ResultDocument", ResultDocument.describe(`an ${RESULT_SCHEMA_ID} document`));
submissionsApi.openAPIRegistry.register(
  "Submission",
  Submission.extend({ document: Document }).describe("a signed result: the document, its Ed25519 signature and public key"),
);

const TOO_LARGE = fault(413, "payload_too_large", `the body is larger than ${MAX_BODY_BYTES} bytes`);
const { perKey, perAddress, windowSeconds } = DEFAULT_RATE_LIMITS;

const Stored = z.looseObject({
  id: z.string(),
  url: z.string().openapi({ description: "where the stored result is read (also the Location header)" }),
  status: z.literal("flagged").optional().openapi({ description: "stored, kept out of the rankings until reviewed" }),
  reasons: z.array(z.unknown()).optional(),
  ranked: z.literal(false).optional().openapi({ description: "a retired runtime build: stored and readable, not ranked" }),
  retired: z.looseObject({ message: z.string() }).optional(),
});

const upload = createRoute({
  method: "post",
  path: "/",
  operationId: "submitResult",
  tags: ["submissions"],
  summary: "Submit a signed result",
  description:
    "The body is { document, signature, publicKey }: an edgebench.result/v1 document and its Ed25519 signature over the document's RFC 8785 canonical JSON. " +
    `Checked in this order: size (at most ${MAX_BODY_BYTES} bytes), JSON, the envelope and the document's schema, createdAt (at most ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead), ` +
    "the signature, physically impossible figures, then rate limits, a revoked key and duplicates. " +
    `Rate limits: ${perKey} uploads per ${windowSeconds} s per key and ${perAddress} per client address (this registry's defaults). ` +
    "The body is read raw: the signature covers the document exactly as sent.",
  middleware: [
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw raise(TOO_LARGE);
      },
    }),
  ] as const,
  request: {
    body: {
      required: true,
      description: "a signed result",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Submission" } } },
    },
  },
  responses: {
    201: jsonResponse(
      Stored,
      "stored: its id (the SHA-256 of the canonical document) and URL; flagged with reasons, or not ranked with the retirement rule's reason",
    ),
    200: jsonResponse(
      z.looseObject({ id: z.string(), url: z.string(), duplicate: z.literal(true) }),
      "this document was already stored: the same id",
    ),
    ...failures(
      MALFORMED_JSON,
      fault(400, "invalid_submission", "the body must be { document, signature, publicKey }"),
      fault(400, "invalid_document", "the document does not match the edgebench.result/v1 schema (issues in details)"),
      fault(400, "created_in_future", `createdAt is more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead of the server clock`),
      fault(400, "implausible_document", "the document contains figures that cannot be physically true"),
      fault(401, "bad_signature", "the signature does not verify for this document and public key"),
      fault(403, "key_revoked", "this key was revoked by a moderator"),
      TOO_LARGE,
      fault(429, "rate_limited", `too many submissions from this key or address (default ${perKey} and ${perAddress} per ${windowSeconds} s)`),
    ),
  },
  "x-body-limit-bytes": MAX_BODY_BYTES,
  "x-rate-limits": { perKey, perAddress, windowSeconds, note: "defaults; a registry sets its own (RATE_LIMIT_* vars)" },
});

submissionsApi.openapi(upload, async (c) => {
  const db = c.var.db;
  const outcome = await ingestUpload(db, c.env, c.req.raw.headers, await c.req.text(), Date.now());
  const url = new URL(`/api/v1/submissions/${outcome.id}`, c.req.url).toString();
  if (outcome.duplicate) return c.json({ id: outcome.id, url, duplicate: true as const }, 200);
  if (outcome.flagged.length === 0 && !outcome.retired && outcome.configurations.length > 0) {
    // The leaderboard rows the upload changed are recomputed after this answer, by the isolate's next aggregation
    // pass (workers/aggregate/after-upload.ts); a failed pass leaves them pending for the next one or the cron.
    // A metered request (benchmarks) counts this deferred work apart: it runs after the response's header is sent.
    const passDb = c.var.meter ? createDb(meteredD1(c.env.DB, deferredMeter)) : db;
    const delayMs = Number(c.env.AGGREGATE_DELAY_MS ?? DEFAULT_AGGREGATE_DELAY_MS);
    const pass = aggregateAfterUpload(passDb, Number.isFinite(delayMs) && delayMs >= 0 ? delayMs : DEFAULT_AGGREGATE_DELAY_MS).catch((e: unknown) =>
      console.error("aggregation after upload failed; left pending", e),
    );
    try {
      c.executionCtx.waitUntil(pass);
    } catch {
      await pass; // no execution context (a direct app.fetch): finish before answering
    }
  }
  c.header("Location", url);
  // A retired build's result is stored and readable but ranks nowhere: the answer says so and why.
  const retired = outcome.retired
    ? {
        ranked: false as const,
        retired: {
          ...outcome.retired,
          message: `stored, but results of this runtime build are retired from the rankings: ${outcome.retired.reason}`,
        },
      }
    : {};
  if (outcome.flagged.length > 0) return c.json({ id: outcome.id, url, status: "flagged" as const, reasons: outcome.flagged, ...retired }, 201);
  return c.json({ id: outcome.id, url, ...retired }, 201);
});

const read = createRoute({
  method: "get",
  path: "/{id}",
  operationId: "getSubmission",
  tags: ["submissions"],
  summary: "One stored result",
  description:
    "The stored document, its signature and key (verify it offline), the figures the server computed per run, and each run's outliers: " +
    `headline speed figures far from its configuration's other runs (${OUTLIER_RULE.text}), shown, never removed. A hidden or withdrawn result is 404.`,
  request: {
    params: z.object({ id: z.string().regex(ID_PATTERN).openapi({ description: "the submission id: SHA-256 of its canonical document" }) }),
  },
  responses: {
    200: jsonResponse(
      z.looseObject({
        id: z.string(),
        document: Document,
        signature: z.string(),
        publicKey: z.string(),
        receivedAt: z.string(),
        status: z.string(),
        runs: z.array(z.unknown()),
      }),
      "the result",
    ),
    ...failures(BAD_SUBMISSION_ID, NOT_FOUND),
  },
});

submissionsApi.openapi(
  read,
  async (c) => {
    const { id } = c.req.valid("param");
    const found = await getSubmission(c.var.db, id);
    if (!found || found.status === "hidden") throw raise(NOT_FOUND, `no submission ${id}`);
    return c.json(found, 200);
  },
  refuse({ param: BAD_SUBMISSION_ID }),
);
