/**
 * An independent client: builds, canonicalises, hashes and signs a document
 * following only the published rule (RFC 8785 via the `canonicalize` package,
 * Ed25519 via WebCrypto, base64url without padding), importing nothing from
 * the contract module or the fixtures. The registry must accept it, give it
 * the id the client computed, and refuse the same body with one byte changed.
 */

import { exports } from "cloudflare:workers";
import canonicalizeModule from "canonicalize";
import { describe, expect, it } from "vitest";
import { FIXED_DOCUMENT } from "./fixed-document.js";

type Canonicalize = (input: unknown) => string | undefined;
// CommonJS default export: a function, or { default: fn } depending on the bundler.
const canonicalize: Canonicalize =
  typeof canonicalizeModule === "function"
    ? (canonicalizeModule as Canonicalize)
    : (canonicalizeModule as unknown as { default: Canonicalize }).default;

const worker = (exports as unknown as { default: { fetch(req: Request): Promise<Response> } }).default;

function b64url(bytes: ArrayBuffer): string {
  let s = "";
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function independentlySigned(document: unknown) {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const bytes = new TextEncoder().encode(canonicalize(document)!);
  const signature = await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, bytes);
  const publicKey = (await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  const id = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return { id, body: JSON.stringify({ document, signature: b64url(signature), publicKey: b64url(publicKey) }) };
}

const post = (body: string) =>
  worker.fetch(new Request("https://registry.test/api/v1/submissions", { method: "POST", headers: { "content-type": "application/json" }, body }));

describe("an independent client following the signing rule", () => {
  it("is accepted with the id it computed itself", async () => {
    const { id, body } = await independentlySigned(FIXED_DOCUMENT);
    const res = await post(body);
    expect(res.status, await res.clone().text()).toBe(201);
    expect(((await res.json()) as { id: string }).id).toBe(id);
    const stored = (await (await worker.fetch(new Request(`https://registry.test/api/v1/submissions/${id}`))).json()) as { canonical: string };
    expect(stored.canonical).toBe(canonicalize(FIXED_DOCUMENT));
  });

  it("is refused with 401 when one byte of the document is changed", async () => {
    const doc = { ...FIXED_DOCUMENT, uploader: { name: "independent-client", version: "1.0.1" } };
    const { body } = await independentlySigned(doc);
    // Change exactly one byte inside the signed document (a digit of a timing sample).
    const at = body.indexOf("6500000000");
    expect(at).toBeGreaterThan(0);
    const changed = `${body.slice(0, at)}7${body.slice(at + 1)}`;
    expect(changed).toHaveLength(body.length);
    const res = await post(changed);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("bad_signature");
    // The untouched body is still good: the refusal was the changed byte, not the document.
    expect((await post(body)).status).toBe(201);
  });
});
