/**
 * One upload, from the request body to stored rows:
 *   verify (JSON, envelope and document schema, creation time, signature)
 *   -> validate (impossible figures refused, implausible ones flagged, unsafe text refused)
 *   -> plan (every figure recomputed from the raw samples, the configuration each run counts towards)
 *   -> store (one D1 batch with the admission checks: rate limits, revoked key, duplicate).
 * The route then hands the upload's configurations to the aggregation step.
 *
 * The order of checks is part of the API: size (413, the route's body
 * limit), JSON (400), the submission envelope and the document schema (400,
 * zod issues in details), creation time (400), then the signature (401). A
 * schema-valid document with a wrong signature is therefore always a 401.
 * After it: physically impossible figures (400, including figures that compute
 * to non-finite values), rate limits (429), a revoked key (403), duplicate
 * (200). The last three are decided in the same D1 batch that writes the upload,
 * and so is whether a retirement rule matches its runtime build (stored, not ranked).
 */
import { keyFingerprint, ResultDocument, Submission, verifiedSubmission } from "@edgebench/contract";
import type { Db } from "../db.js";
import type { Env } from "../env.js";
import { ApiError } from "../errors.js";
import { admission } from "./admission.js";
import { boardIdFor } from "./identity.js";
import { planIngest } from "./plan.js";
import { assessPlausibility, flagReason, nonFiniteFigures, type PlausibilityReason } from "./plausibility.js";
import { type Retirement, storeSubmission } from "./store.js";
import { unsafeText } from "./text-safety.js";

/** How far ahead of the server clock a document's createdAt may be (clock skew). */
export const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000;

export interface UploadOutcome {
  id: string;
  duplicate: boolean;
  /** Stored flagged (kept out of the rankings until a moderator restores it), with the reasons. */
  flagged: PlausibilityReason[];
  /** Stored, but its runtime build is retired (workers/moderation/retired-builds.ts): it does not rank. */
  retired: Retirement | null;
  /** The configurations the upload changed: the aggregation step's work. */
  configurations: string[];
}

export async function ingestUpload(db: Db, env: Env, headers: Headers, bodyText: string, nowMs: number): Promise<UploadOutcome> {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
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
  if (Date.parse(doc.createdAt) - nowMs > MAX_CLOCK_SKEW_MS) {
    throw new ApiError(400, "created_in_future", `createdAt ${doc.createdAt} is more than 10 minutes ahead of the server clock`, {
      createdAt: doc.createdAt,
      serverTime: new Date(nowMs).toISOString(),
    });
  }

  // Verify and hash the document exactly as received (not zod's output copy): one canonicalisation
  // gives the bytes the signature is checked over, the id (their SHA-256) and the stored text.
  const submission = envelope.data;
  const canonical = await verifiedSubmission(submission);
  if (!canonical) throw new ApiError(401, "bad_signature", "the signature does not verify for this document and public key");

  // Impossible figures are refused (400); implausible ones are stored flagged (plausibility.ts).
  const fingerprint = await keyFingerprint(submission.publicKey);
  const verdict = assessPlausibility(doc, boardIdFor(doc.system.board, fingerprint).id, nowMs);
  verdict.refuse.push(...unsafeText(submission.document));
  if (verdict.refuse.length > 0)
    throw new ApiError(400, "implausible_document", "the document contains figures that cannot be physically true", verdict.refuse);

  const plan = await planIngest(
    {
      id: canonical.id,
      canonical: canonical.text,
      document: doc,
      signature: submission.signature,
      publicKey: submission.publicKey,
      fingerprint,
    },
    new Date(nowMs).toISOString(),
  );
  const nonFinite = nonFiniteFigures(plan.metrics);
  if (nonFinite.length > 0) throw new ApiError(400, "implausible_document", "figures computed from the document are not finite", nonFinite);
  if (verdict.flag.length > 0) {
    plan.submission.status = "flagged";
    plan.submission.statusReason = flagReason(verdict.flag);
  }

  const admitted = admission(db, env, headers, submission.publicKey, canonical.id, nowMs);
  const stored = await storeSubmission(db, plan, admitted);
  const { duplicate } = admitted.verdict(stored.admission);
  return { id: canonical.id, duplicate, flagged: verdict.flag, retired: stored.retired, configurations: [...plan.configurations.keys()] };
}
