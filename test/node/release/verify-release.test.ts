/**
 * The release signature without building an archive: scripts/lib/release-sign.mjs
 * writes SHA256SUMS and SHA256SUMS.sig over stand-in archives, and the
 * uploader's verifyRelease (what `edgebench verify-release` runs) accepts them,
 * refuses one changed byte, a changed list, another key and malformed lists;
 * openssl checks the same signature by the commands docs/release.md gives.
 * Also: how a result records the way the uploader was installed.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { canonicalBytes, decodeBase64Url, importPublicKey } from "@edgebench/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReleaseKey, signRelease } from "../../../scripts/lib/release-sign.mjs";
import {
  formatSums,
  parseSums,
  RELEASE_PUBLIC_KEY,
  releaseStatement,
  sha256OfFile,
  THROWAWAY_KEY_FILE,
  verifyRelease,
} from "../../../uploader/src/cli/commands/verify-release.js";
import { installKind, RELEASE_MARKER } from "../../../uploader/src/runner/document.js";

const VERSION = "9.9.9";
const ARCHIVES = [`edgebench-${VERSION}-linux-arm64.tar.gz`, `edgebench-${VERSION}-linux-x64.tar.gz`];
let work = "";
let signed = "";
let keyText = "";
let publicKey = "";

/** A fresh edgebench-key/v1 file's text, as `edgebench keygen` writes it. */
async function keyFileText(): Promise<{ text: string; publicKey: string }> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
  const file = {
    format: "edgebench-key/v1",
    algorithm: "Ed25519",
    createdAt: new Date().toISOString(),
    jwk: { kty: "OKP", crv: "Ed25519", x: jwk.x, d: jwk.d },
  };
  return { text: JSON.stringify(file), publicKey: jwk.x! };
}

/** A copy of the signed directory to damage. */
function copyOfSigned(name: string): string {
  const dir = path.join(work, name);
  fs.cpSync(signed, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-verify-release-"));
  signed = path.join(work, "signed");
  fs.mkdirSync(signed);
  for (const a of ARCHIVES) fs.writeFileSync(path.join(signed, a), randomBytes(200_000));
  // Not an archive of this version: SHA256SUMS leaves it out.
  fs.writeFileSync(path.join(signed, "notes.txt"), "carried alongside\n");
  ({ text: keyText, publicKey } = await keyFileText());
  await signRelease(signed, VERSION, await loadReleaseKey(keyText, "test key"));
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("SHA256SUMS and its signature", () => {
  it("lists every archive of the version in sha256sum's format, and verifies with the signing key", async () => {
    const sums = fs.readFileSync(path.join(signed, "SHA256SUMS"), "utf8");
    expect(parseSums(sums).map((e) => e.file)).toEqual(ARCHIVES);
    const coreutils = spawnSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: signed, encoding: "utf8" });
    expect(coreutils.status, coreutils.stdout + coreutils.stderr).toBe(0);
    const check = await verifyRelease(signed, { publicKey });
    expect(check.signatureOk).toBe(true);
    expect(check.files).toEqual(ARCHIVES.map((file) => ({ file, status: "ok" })));
    expect(check.ok).toBe(true);
    expect(check.pinned).toBe(false);
    expect(fs.existsSync(path.join(signed, THROWAWAY_KEY_FILE))).toBe(false);
  });

  it("one changed byte in an archive fails that archive, and the release", async () => {
    const dir = copyOfSigned("byte");
    const file = path.join(dir, ARCHIVES[1]!);
    const bytes = fs.readFileSync(file);
    bytes[100_000] = bytes[100_000]! ^ 0x01;
    fs.writeFileSync(file, bytes);
    const check = await verifyRelease(dir, { publicKey });
    expect(check.signatureOk).toBe(true);
    expect(check.files).toEqual([
      { file: ARCHIVES[0], status: "ok" },
      { file: ARCHIVES[1], status: "differs" },
    ]);
    expect(check.ok).toBe(false);
  });

  it("a SHA256SUMS rewritten to match a changed archive fails the signature", async () => {
    const dir = copyOfSigned("list");
    const file = path.join(dir, ARCHIVES[0]!);
    fs.appendFileSync(file, "x");
    const entries = parseSums(fs.readFileSync(path.join(dir, "SHA256SUMS"), "utf8"));
    entries[0]!.sha256 = await sha256OfFile(file);
    fs.writeFileSync(path.join(dir, "SHA256SUMS"), formatSums(entries));
    const check = await verifyRelease(dir, { publicKey });
    expect(check.files.every((f) => f.status === "ok")).toBe(true);
    expect(check.signatureOk).toBe(false);
    expect(check.signatureProblem).toMatch(/is not a signature of this SHA256SUMS/);
    expect(check.ok).toBe(false);
  });

  it("another key (the pinned release key, when none is given) does not verify; a throwaway build says how to check it", async () => {
    const pinned = await verifyRelease(signed);
    expect(pinned.pinned).toBe(true);
    expect(pinned.signatureOk).toBe(false);
    expect(pinned.ok).toBe(false);

    const dir = copyOfSigned("throwaway");
    const throwaway = await loadReleaseKey(undefined);
    expect(throwaway.throwaway).toBe(true);
    await signRelease(dir, VERSION, throwaway);
    expect(fs.readFileSync(path.join(dir, THROWAWAY_KEY_FILE), "utf8")).toBe(`${throwaway.publicKey}\n`);
    const refused = await verifyRelease(dir);
    expect(refused.signatureProblem).toContain(
      `a local build signed with a throwaway key (THROWAWAY-KEY.pub); if you made it, check it with --key ${throwaway.publicKey}`,
    );
    expect((await verifyRelease(dir, { publicKey: throwaway.publicKey })).ok).toBe(true);
    // Signed again with a real key, the stale throwaway key file goes.
    await signRelease(dir, VERSION, await loadReleaseKey(keyText, "test key"));
    expect(fs.existsSync(path.join(dir, THROWAWAY_KEY_FILE))).toBe(false);
  });

  it("an archive a site did not carry is skipped; a directory holding none of them is not verified", async () => {
    const dir = copyOfSigned("partial");
    fs.rmSync(path.join(dir, ARCHIVES[0]!));
    const partial = await verifyRelease(dir, { publicKey });
    expect(partial.files).toEqual([
      { file: ARCHIVES[0], status: "missing" },
      { file: ARCHIVES[1], status: "ok" },
    ]);
    expect(partial.ok).toBe(true);
    fs.rmSync(path.join(dir, ARCHIVES[1]!));
    expect((await verifyRelease(dir, { publicKey })).ok).toBe(false);
  });

  it("refuses a directory without SHA256SUMS, a malformed line, a path in a name, a bad key file and a bad --key", async () => {
    await expect(verifyRelease(path.join(work, "nowhere"))).rejects.toThrow(/no SHA256SUMS in .*nowhere/);
    expect(() => parseSums(`${"a".repeat(64)}  ../etc/passwd\n`)).toThrow(/line 1 is not/);
    expect(() => parseSums("not a checksum line\n")).toThrow(/line 1 is not/);
    expect(() => parseSums("\n")).toThrow(/lists no files/);
    await expect(loadReleaseKey('{"format":"other"}', "key.json")).rejects.toThrow(/key\.json is not an edgebench key file/);
    await expect(verifyRelease(signed, { publicKey: "short" })).rejects.toThrow(/--key short is not an Ed25519 public key/);
  });

  it("the pinned release key is a well-formed Ed25519 public key", async () => {
    await expect(importPublicKey(RELEASE_PUBLIC_KEY)).resolves.toBeDefined();
  });

  it.skipIf(spawnSync("openssl", ["version"]).status !== 0)("openssl verifies the signature with the commands docs/release.md gives", async () => {
    // The statement is RFC 8785 JSON of two ASCII strings: printf rebuilds its exact bytes.
    const statement = await releaseStatement(fs.readFileSync(path.join(signed, "SHA256SUMS")));
    expect(new TextDecoder().decode(canonicalBytes(statement))).toBe(`{"action":"release","sha256sums":"${statement.sha256sums}"}`);
    const der = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), decodeBase64Url(publicKey)]);
    fs.writeFileSync(path.join(work, "release-key.pem"), `-----BEGIN PUBLIC KEY-----\n${der.toString("base64")}\n-----END PUBLIC KEY-----\n`);
    const script = [
      `printf '{"action":"release","sha256sums":"%s"}' "$(sha256sum SHA256SUMS | cut -d' ' -f1)" > "$W/statement"`,
      `printf '%s==' "$(cat SHA256SUMS.sig)" | tr '_-' '/+' | base64 -d > "$W/signature"`,
      `openssl pkeyutl -verify -pubin -inkey "$W/release-key.pem" -rawin -in "$W/statement" -sigfile "$W/signature"`,
    ].join("\n");
    const good = spawnSync("sh", ["-c", script], { cwd: signed, encoding: "utf8", env: { ...process.env, W: work } });
    expect(good.status, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toMatch(/Signature Verified Successfully/);
    const dir = copyOfSigned("openssl-bad");
    fs.appendFileSync(path.join(dir, "SHA256SUMS"), `${"0".repeat(64)}  extra.tar.gz\n`);
    const bad = spawnSync("sh", ["-c", script], { cwd: dir, encoding: "utf8", env: { ...process.env, W: work } });
    expect(bad.status).not.toBe(0);
  });
});

describe("how the uploader was installed (every result's uploader.install)", () => {
  it("a release marker beside the bundle is a release archive; under node_modules is npm; anything else a checkout", () => {
    const at = (...parts: string[]) => {
      const file = path.join(work, "install", ...parts);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, "");
      return pathToFileURL(file).href;
    };
    const archived = at("edgebench-0.1.0-linux-x64", "lib", "edgebench", "dist", "edgebench.mjs");
    fs.writeFileSync(path.join(path.dirname(new URL(archived).pathname), RELEASE_MARKER), "{}");
    expect(installKind(archived)).toBe("release-archive");
    expect(installKind(at("prefix", "lib", "node_modules", "edgebench", "dist", "edgebench.mjs"))).toBe("npm");
    expect(installKind(at("checkout", "uploader", "dist", "edgebench.mjs"))).toBe("source");
    // These tests run the TypeScript sources of a checkout.
    expect(installKind()).toBe("source");
  });
});
