import { canonicalJson, exportPublicKey, generateKeyPair, signDocument, submissionId, verifySubmission } from "@edgebench/contract";
import { describe, expect, it } from "vitest";

describe("contract in workerd", () => {
  it("canonicalises with sorted keys and no whitespace", () => {
    expect(canonicalJson({ b: 1, a: [true, null, "x"], c: { z: 1.5, y: 1e21 } })).toBe('{"a":[true,null,"x"],"b":1,"c":{"y":1e+21,"z":1.5}}');
  });

  it("signs and verifies, and refuses a tampered document", async () => {
    const pair = await generateKeyPair();
    const pub = await exportPublicKey(pair.publicKey);
    const { id, submission } = await signDocument({ hello: "world" }, pair.privateKey, pub);
    expect(id).toBe(await submissionId({ hello: "world" }));
    expect(await verifySubmission(submission)).toBe(true);
    expect(await verifySubmission({ ...submission, document: { hello: "World" } })).toBe(false);
  });
});
