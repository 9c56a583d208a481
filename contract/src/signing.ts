/**
 * The signing rule, exactly as published in the API docs:
 *   signature = Ed25519(privateKey, UTF-8 bytes of RFC 8785 canonical JSON of document)
 *   publicKey = raw 32-byte Ed25519 key, base64url without padding
 *   signature is base64url without padding (64 bytes)
 *   id        = lowercase hex SHA-256 of the same canonical bytes
 * WebCrypto Ed25519 is used because both Node 20 and workerd provide it.
 */

import { decodeBase64Url, encodeBase64Url } from "./base64url.js";
import { type CanonicalDocument, canonicalBytes, canonicalDocument, sha256Hex } from "./canonical.js";

const ED25519 = { name: "Ed25519" } as const;

export interface SignedSubmission<D = unknown> {
  document: D;
  signature: string;
  publicKey: string;
}

export async function generateKeyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(ED25519, true, ["sign", "verify"])) as CryptoKeyPair;
}

export async function exportPublicKey(key: CryptoKey): Promise<string> {
  return encodeBase64Url(new Uint8Array((await crypto.subtle.exportKey("raw", key)) as ArrayBuffer));
}

export async function importPublicKey(publicKey: string): Promise<CryptoKey> {
  const raw = decodeBase64Url(publicKey);
  if (raw.length !== 32) throw new TypeError(`an Ed25519 public key is 32 bytes, got ${raw.length}`);
  return crypto.subtle.importKey("raw", raw as Uint8Array<ArrayBuffer>, ED25519, true, ["verify"]);
}

/** Signs a document, returning the submission body and its id. */
export async function signDocument<D>(
  document: D,
  privateKey: CryptoKey,
  publicKey: string,
): Promise<{ id: string; submission: SignedSubmission<D> }> {
  const { bytes, id } = await canonicalDocument(document);
  const signature = new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, bytes as Uint8Array<ArrayBuffer>));
  return { id, submission: { document, signature: encodeBase64Url(signature), publicKey } };
}

/**
 * Verifies a submission. Returns false for a wrong signature; a malformed key or
 * signature (wrong length, not base64url) is also false, never a throw.
 */
export async function verifySubmission(submission: SignedSubmission): Promise<boolean> {
  return verifySignature(submission.publicKey, submission.signature, () => canonicalBytes(submission.document));
}

/**
 * Verifies a submission and returns its document's canonical form (text,
 * bytes, id), or null when the signature does not verify (same rule as
 * verifySubmission). The signature is checked over the very bytes that give
 * the id and the stored text: one canonicalisation for all three (the
 * registry's ingest path).
 */
export async function verifiedSubmission(submission: SignedSubmission): Promise<CanonicalDocument | null> {
  const canonical = await canonicalDocument(submission.document);
  return (await verifySignature(submission.publicKey, submission.signature, () => canonical.bytes)) ? canonical : null;
}

/**
 * Ed25519 over `bytes()`; a malformed key or signature is false, never a
 * throw (checked before the bytes are asked for, as verifySubmission always did).
 */
async function verifySignature(publicKey: string, signature: string, bytes: () => Uint8Array): Promise<boolean> {
  let key: CryptoKey;
  let raw: Uint8Array;
  try {
    key = await importPublicKey(publicKey);
    raw = decodeBase64Url(signature);
  } catch {
    return false;
  }
  if (raw.length !== 64) return false;
  return crypto.subtle.verify(ED25519, key, raw as Uint8Array<ArrayBuffer>, bytes() as Uint8Array<ArrayBuffer>);
}

/**
 * A short, stable name for a contributor's key: the first 16 hex digits of
 * SHA-256 over the raw key bytes, grouped in fours (e.g. "3f2a:91c0:5b7e:d418").
 */
export async function keyFingerprint(publicKey: string): Promise<string> {
  const hex = await sha256Hex(decodeBase64Url(publicKey));
  return hex.slice(0, 16).match(/.{4}/g)!.join(":");
}

/**
 * Signed contributor requests (e.g. withdrawing a result), same rule as
 * documents: signature = Ed25519 over the RFC 8785 bytes of the request
 * object. Each request object carries its own `action`, so a request signature
 * can never be mistaken for a document signature or another action's.
 */
export async function signRequest(request: unknown, privateKey: CryptoKey): Promise<string> {
  const signature = await crypto.subtle.sign(ED25519, privateKey, canonicalBytes(request) as Uint8Array<ArrayBuffer>);
  return encodeBase64Url(new Uint8Array(signature));
}

/** Verifies a signed request; a malformed key or signature is false, never a throw. */
export async function verifyRequest(request: unknown, signature: string, publicKey: string): Promise<boolean> {
  return verifySubmission({ document: request, signature, publicKey });
}
