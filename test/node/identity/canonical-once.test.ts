/**
 * The contract's one-pass canonical form (verifiedSubmission, canonicalDocument)
 * gives exactly what the separate functions give: the stored text, the id and
 * the signature verdict over the same bytes.
 */

import {
  canonicalDocument,
  canonicalJson,
  exportPublicKey,
  generateKeyPair,
  signDocument,
  submissionId,
  verifiedSubmission,
  verifySubmission,
} from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { sampleDocument } from "../outbox/sample-document.js";

describe("canonical form computed once", () => {
  it("canonicalDocument: text, bytes and id agree with canonicalJson and submissionId", async () => {
    const doc = sampleDocument();
    const c = await canonicalDocument(doc);
    expect(c.text).toBe(canonicalJson(doc));
    expect(new TextDecoder().decode(c.bytes)).toBe(c.text);
    expect(c.id).toBe(await submissionId(doc));
    expect(c.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it("verifiedSubmission: the canonical form for a good signature, null wherever verifySubmission is false", async () => {
    const keys = await generateKeyPair();
    const publicKey = await exportPublicKey(keys.publicKey);
    const { id, submission } = await signDocument(sampleDocument(), keys.privateKey, publicKey);
    const ok = await verifiedSubmission(submission);
    expect(ok).not.toBeNull();
    expect(ok!.id).toBe(id);
    expect(ok!.text).toBe(canonicalJson(submission.document));

    const other = await exportPublicKey((await generateKeyPair()).publicKey);
    const bad = [
      { ...submission, document: sampleDocument(1) }, // tampered document
      { ...submission, publicKey: other }, // another key
      { ...submission, publicKey: publicKey.slice(0, 20) }, // key of the wrong length
      { ...submission, signature: submission.signature.slice(0, 40) }, // signature of the wrong length
      { ...submission, signature: "not base64url!" },
    ];
    for (const s of bad) {
      expect(await verifySubmission(s)).toBe(false);
      expect(await verifiedSubmission(s)).toBeNull();
    }
  });
});
