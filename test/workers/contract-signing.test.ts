/**
 * The signing rule, held to fixed values: canonical bytes, the id and an
 * Ed25519 signature (deterministic for a fixed key) are pinned, so any change
 * to canonicalisation, hashing or encoding shows up here first. Then every
 * kind of tampering is refused.
 */

import {
  canonicalBytes,
  canonicalJson,
  decodeBase64Url,
  encodeBase64Url,
  ResultDocument,
  type SignedSubmission,
  submissionId,
  verifySubmission,
} from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { fixtureKeyPair, keyPairFromSeed, signed } from "../fixtures/documents.js";
import { FIXED_DOCUMENT } from "./fixed-document.js";

const PINNED_ID = "dfe2f1d4bc8548928a3ba9d53d8f1c65ddcc6398ceb9f66067707f42a16fb13b";
const PINNED_SIGNATURE = "Ye7I8llGp7Src7kEPAQJOpohziHqfbgkgK7FQmCZ4zRYOTEniU3_pY3JyN_0c5u2oBHyHqJpox-szshVOtyRCA";
const PINNED_PUBLIC_KEY = "iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w";

/** Every leaf of a JSON value with its path. */
function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [path];
}

/** The same value with every object's keys in reverse insertion order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversedKeys(v)]),
    );
  }
  return value;
}

function tamperAt(doc: unknown, path: (string | number)[]): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  const v = node[last];
  node[last] = typeof v === "number" ? v + 1 : typeof v === "boolean" ? !v : `${String(v)}x`;
  return copy;
}

describe("contract: canonical bytes, id and signature", () => {
  it("the fixed document is schema-valid", () => {
    expect(ResultDocument.safeParse(FIXED_DOCUMENT).success).toBe(true);
  });

  it("canonical JSON sorts keys by UTF-16 code units, keeps non-ASCII as UTF-8 and writes numbers per ES", () => {
    const text = canonicalJson(FIXED_DOCUMENT);
    expect(text.startsWith('{"contributor":{"displayName":"Zoë (independent)"},"createdAt":"2026-11-20T08:30:00+01:00"')).toBe(true);
    expect(text).toContain('"joulesPerRep":[51.2,51.2,51.2]');
    expect(text).toContain('"totalBytes":8589934592');
    expect(text).not.toMatch(/\s(?=[{}[\]:,"])/);
    // Key order and whitespace of the input do not matter.
    expect(canonicalJson(reversedKeys(FIXED_DOCUMENT))).toBe(text);
    expect(canonicalJson(JSON.parse(JSON.stringify(FIXED_DOCUMENT, null, 2)))).toBe(text);
  });

  it("gives the fixed document a stable id: lowercase hex SHA-256 of the canonical bytes", async () => {
    const id = await submissionId(FIXED_DOCUMENT);
    expect(id).toBe(PINNED_ID);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", canonicalBytes(FIXED_DOCUMENT) as Uint8Array<ArrayBuffer>));
    expect(id).toBe([...digest].map((b) => b.toString(16).padStart(2, "0")).join(""));
  });

  it("signs deterministically with a fixed key, and verifies", async () => {
    const keys = await keyPairFromSeed(1);
    expect(keys.publicKeyB64).toBe(PINNED_PUBLIC_KEY);
    const { id, body } = await signed(FIXED_DOCUMENT, keys);
    expect(id).toBe(PINNED_ID);
    expect(body.signature).toBe(PINNED_SIGNATURE);
    expect(decodeBase64Url(body.signature)).toHaveLength(64);
    expect(await verifySubmission(body)).toBe(true);
  });
});

describe("contract: tampering is refused", () => {
  it("changing any single field of the document breaks the signature", async () => {
    const keys = await keyPairFromSeed(2);
    const { body } = await signed(FIXED_DOCUMENT, keys);
    const paths = leaves(FIXED_DOCUMENT);
    expect(paths.length).toBeGreaterThan(60);
    for (const path of paths) {
      const tampered: SignedSubmission = { ...body, document: tamperAt(FIXED_DOCUMENT, path) };
      expect(await verifySubmission(tampered), path.join(".")).toBe(false);
    }
    // Adding or removing a field is tampering too.
    expect(await verifySubmission({ ...body, document: { ...FIXED_DOCUMENT, extra: 1 } })).toBe(false);
    const { contributor: _dropped, ...without } = FIXED_DOCUMENT;
    expect(await verifySubmission({ ...body, document: without })).toBe(false);
  });

  it("another key, a flipped signature bit, or a malformed key or signature is refused", async () => {
    const keys = await keyPairFromSeed(3);
    const { body } = await signed(FIXED_DOCUMENT, keys);
    const other = await fixtureKeyPair();
    expect(await verifySubmission({ ...body, publicKey: other.publicKeyB64 })).toBe(false);

    const sig = decodeBase64Url(body.signature);
    for (const bit of [0, 7, 255, 511]) {
      const flipped = sig.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      expect(await verifySubmission({ ...body, signature: encodeBase64Url(flipped) }), `bit ${bit}`).toBe(false);
    }
    expect(await verifySubmission({ ...body, signature: body.signature.slice(0, -2) })).toBe(false);
    expect(await verifySubmission({ ...body, signature: `${body.signature.slice(0, -1)}=` })).toBe(false);
    expect(await verifySubmission({ ...body, publicKey: body.publicKey.slice(1) })).toBe(false);
    expect(await verifySubmission({ ...body, publicKey: "!".repeat(43) })).toBe(false);
  });

  it("a key or signature whose unused trailing bits are set is refused, whatever its last character", async () => {
    // 43 characters carry 258 bits for a 256-bit key and 86 carry 516 for 512:
    // the spare bits must be zero, or one key would have four spellings.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (let seed = 10; seed < 26; seed++) {
      const { body } = await signed(FIXED_DOCUMENT, await keyPairFromSeed(seed));
      for (const [field, spare] of [
        ["publicKey", 3],
        ["signature", 15],
      ] as const) {
        const text = body[field];
        const last = alphabet.indexOf(text.at(-1)!);
        expect(last & spare, `${field} of seed ${seed} is canonical`).toBe(0);
        for (const bits of [1, 2, spare]) {
          const spelled = text.slice(0, -1) + alphabet[last | bits]!;
          expect(() => decodeBase64Url(spelled)).toThrow(/canonical/);
          expect(await verifySubmission({ ...body, [field]: spelled }), `${field} seed ${seed} bits ${bits}`).toBe(false);
        }
      }
    }
  });
});
