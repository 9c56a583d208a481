/**
 * RFC 8785 (JSON Canonicalization Scheme) bytes and the submission id.
 *
 * The signature and the id are both taken over these exact bytes, so the
 * uploader, the Worker and any independent verifier must produce them the same
 * way: we use the reference `canonicalize` package rather than our own writer.
 */
import canonicalizeModule from "canonicalize";

type Canonicalize = (input: unknown) => string | undefined;
// canonicalize is CommonJS (module.exports = fn) with an ESM-style .d.ts; Node's
// ESM loader hands us the function, bundlers may hand us { default: fn }.
const canonicalizeJson: Canonicalize =
  typeof canonicalizeModule === "function"
    ? (canonicalizeModule as Canonicalize)
    : (canonicalizeModule as unknown as { default: Canonicalize }).default;

const encoder = new TextEncoder();

/** The RFC 8785 canonical JSON text of a value. */
export function canonicalJson(value: unknown): string {
  const out = canonicalizeJson(value);
  if (out === undefined) throw new TypeError("value cannot be represented as canonical JSON");
  return out;
}

/** UTF-8 bytes of the canonical JSON: what is signed and hashed. */
export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value));
}

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = "";
  for (const b of view) out += b.toString(16).padStart(2, "0");
  return out;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}

/**
 * A document's canonical form, computed once: the RFC 8785 text (what the
 * registry stores), its UTF-8 bytes (what is signed) and the submission id
 * (SHA-256 of those bytes). For callers that need more than one of them, so
 * the document is canonicalised once rather than once per use.
 */
export interface CanonicalDocument {
  text: string;
  bytes: Uint8Array;
  id: string;
}

export async function canonicalDocument(document: unknown): Promise<CanonicalDocument> {
  const text = canonicalJson(document);
  const bytes = encoder.encode(text);
  return { text, bytes, id: await sha256Hex(bytes) };
}

/** The submission id: lowercase hex SHA-256 of the canonical bytes of the document. */
export async function submissionId(document: unknown): Promise<string> {
  return (await canonicalDocument(document)).id;
}
