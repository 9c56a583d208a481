/**
 * POST /api/v1/submissions and GET /api/v1/submissions/:id.
 *
 * The order of checks is part of the API: size (413), JSON (400), the
 * submission envelope and the document schema (400, zod issues in details),
 * creation time (400), then the signature (401). A schema-valid document with
 * a wrong signature is therefore always a 401. After it: physically impossible
 * figures (400, including figures that compute to non-finite values), rate
 * limits (429), a revoked key (403), duplicate (200). The last three are
 * decided in the same D1 batch that writes the upload.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { keyFingerprint, ResultDocument, Submission, verifiedSubmission } from "@edgebench/contract";
import type { AppEnv } from "../env.js";
import { ApiError } from "../errors.js";
import { planIngest } from "../ingest.js";
import { boardIdFor } from "../../db/catalogue.js";
import { storeSubmission } from "../queries/ingest.js";
import { admission } from "../security/admission.js";
import { assessPlausibility, flagReason, nonFiniteFigures } from "../security/plausibility.js";
import { unsafeText } from "../security/text-safety.js";
import { getSubmission } from "../queries/submissions.js";

/**
 * Largest accepted body. D1 stores at most 2,000,000 bytes per row and the
 * document is stored whole; canonical JSON is never longer than a compact body
 * by more than a few bytes, so this leaves room for the other columns.
 */
export const MAX_BODY_BYTES = 1_900_000;
/** How far ahead of the server clock a document's createdAt may be (clock skew). */
export const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000;

const ID_PATTERN = /^[0-9a-f]{64}$/;

export const submissionsApi = new Hono<AppEnv>();

submissionsApi.post(
  "/",
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `the body is larger than ${MAX_BODY_BYTES} bytes`);
    },
  }),
  async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch (e) {
      throw new ApiError(400, "malformed_json", `the body is not valid JSON: ${(e as Error).message}`);
    }

    const envelope = Submission.safeParse(body);
    if (!envelope.success) {
      throw new ApiError(400, "invalid_submission", "the body must be { document, signature, publicKey }", envelope.error.issues);
    }
    const parsed = ResultDocument.safeParse(envelope.data.document);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ ...i, path: ["document", ...i.path] }));
      throw new ApiError(400, "invalid_document", "the document does not match the edgebench.result/v1 schema", issues);
    }
    const doc = parsed.data;
    const created = Date.parse(doc.createdAt);
    if (created - Date.now() > MAX_CLOCK_SKEW_MS) {
      throw new ApiError(400, "created_in_future", `createdAt ${doc.createdAt} is more than 10 minutes ahead of the server clock`, {
        createdAt: doc.createdAt,
        serverTime: new Date().toISOString(),
      });
    }

    // Verify and hash the document exactly as received (not zod's output copy): one canonicalisation
    // gives the bytes the signature is checked over, the id (their SHA-256) and the stored text.
    const submission = envelope.data;
    const canonical = await verifiedSubmission(submission);
    if (!canonical) {
      throw new ApiError(401, "bad_signature", "the signature does not verify for this document and public key");
    }

    const id = canonical.id;
    const url = new URL(`/api/v1/submissions/${id}`, c.req.url).toString();
    const db = c.var.db;
    // Impossible figures are refused (400); implausible ones are stored flagged (workers/security/plausibility.ts).
    const nowMs = Date.now();
    const verdict = assessPlausibility(doc, boardIdFor(doc.system.board.name).id, nowMs);
    verdict.refuse.push(...unsafeText(submission.document));
    if (verdict.refuse.length > 0) {
      throw new ApiError(400, "implausible_document", "the document contains figures that cannot be physically true", verdict.refuse);
    }
    const plan = await planIngest(
      {
        id,
        canonical: canonical.text,
        document: doc,
        signature: submission.signature,
        publicKey: submission.publicKey,
        fingerprint: await keyFingerprint(submission.publicKey),
      },
      new Date().toISOString(),
    );
    const nonFinite = nonFiniteFigures(plan.metrics);
    if (nonFinite.length > 0) throw new ApiError(400, "implausible_document", "figures computed from the document are not finite", nonFinite);
    if (verdict.flag.length > 0) {
      plan.submission.status = "flagged";
      plan.submission.statusReason = flagReason(verdict.flag);
    }
    // Rate limits (429), revoked key (403), the duplicate check (200) and the writes: one D1 round trip,
    // the writes guarded by the admission checks (workers/security/admission.ts).
    const admitted = admission(c.env, c.req.raw.headers, submission.publicKey, id, nowMs);
    if (admitted.verdict(await storeSubmission(db, plan, admitted)).duplicate) return c.json({ id, url, duplicate: true }, 200);
    c.header("Location", url);
    if (verdict.flag.length > 0) return c.json({ id, url, status: "flagged", reasons: verdict.flag }, 201);
    return c.json({ id, url }, 201);
  },
);

submissionsApi.get("/:id", async (c) => {
  const id = c.req.param("id");
  if (!ID_PATTERN.test(id)) throw new ApiError(400, "bad_id", "a submission id is 64 lowercase hex digits");
  const found = await getSubmission(c.var.db, id);
  if (!found || found.status === "hidden") throw new ApiError(404, "not_found", `no submission ${id}`);
  return c.json(found);
});
