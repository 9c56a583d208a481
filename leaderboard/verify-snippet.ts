/**
 * The signing rule and an independent verification script, as shown on the
 * API and result pages. The rule restates contract/src/signing.ts in
 * words (it is the published contract); the script uses only Node 20's
 * WebCrypto and the reference RFC 8785 package, nothing of ours.
 */
export const SIGNING_RULE = [
  "document bytes = UTF-8 of the RFC 8785 (JCS) canonical JSON of document",
  "signature      = Ed25519(private key, document bytes), base64url without padding (64 bytes)",
  "publicKey      = the raw 32-byte Ed25519 public key, base64url without padding",
  "id             = lowercase hex SHA-256 of the document bytes",
];

export function verifyScript(origin: string, id: string): string {
  return `// verify.mjs (Node 20+): npm install canonicalize && node verify.mjs
import canonicalize from "canonicalize";

const id = ${JSON.stringify(id)};
const res = await fetch(${JSON.stringify(origin)} + "/api/v1/submissions/" + id);
const { document, signature, publicKey } = await res.json();

const bytes = new TextEncoder().encode(canonicalize(document));
const key = await crypto.subtle.importKey(
  "raw", Buffer.from(publicKey, "base64url"), { name: "Ed25519" }, false, ["verify"]);
const signed = await crypto.subtle.verify(
  { name: "Ed25519" }, key, Buffer.from(signature, "base64url"), bytes);
const digest = Buffer.from(await crypto.subtle.digest("SHA-256", bytes)).toString("hex");

console.log(signed && digest === id ? "valid: signed by this key, id matches" : "NOT VALID");`;
}
