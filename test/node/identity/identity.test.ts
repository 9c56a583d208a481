import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { keyFingerprint, signDocument, verifySubmission } from "@edgebench/contract";
import { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { keyCommand } from "../../../uploader/src/cli/commands/key.js";
import { keygenCommand } from "../../../uploader/src/cli/commands/keygen.js";
import { whoamiCommand } from "../../../uploader/src/cli/commands/whoami.js";
import {
  createIdentity,
  ensureIdentity,
  exportIdentity,
  importIdentity,
  keyPath,
  loadIdentity,
  readUserConfig,
} from "../../../uploader/src/identity/index.js";
import { sampleDocument } from "../outbox/sample-document.js";

let dir: string;
let home: string;
const savedHome = process.env.EDGEBENCH_HOME;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "edgebench-identity-"));
  home = path.join(dir, "home");
  process.env.EDGEBENCH_HOME = home;
});
afterEach(async () => {
  if (savedHome === undefined) delete process.env.EDGEBENCH_HOME;
  else process.env.EDGEBENCH_HOME = savedHome;
  await rm(dir, { recursive: true, force: true });
});

/** Runs CLI commands in-process, capturing everything written to stdout and stderr. */
async function cli(...argv: string[]): Promise<{ out: string; err: string; error?: Error }> {
  const program = new Command("edgebench").exitOverride();
  program.addCommand(keygenCommand()).addCommand(whoamiCommand()).addCommand(keyCommand());
  let out = "";
  let err = "";
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err += chunk.toString();
    return true;
  }) as typeof process.stderr.write;
  try {
    await program.parseAsync(argv, { from: "user" });
    return { out, err };
  } catch (error) {
    return { out, err, error: error as Error };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

describe("identity", () => {
  it("keygen writes an owner-only key in an owner-only home and never prints the private key", async () => {
    const res = await cli("keygen");
    expect(res.error).toBeUndefined();
    const file = keyPath(home);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(await readFile(file, "utf8"));
    expect(stored.format).toBe("edgebench-key/v1");
    const d: string = stored.jwk.d;
    expect(d).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const identity = await loadIdentity(home);
    expect(res.out).toContain(identity.fingerprint);
    expect(res.out).toContain(identity.publicKey);

    const who = await cli("whoami");
    const json = await cli("whoami", "--json");
    for (const r of [res, who, json]) {
      expect(r.out + r.err).not.toContain(d);
    }
    expect(JSON.parse(json.out)).toMatchObject({ fingerprint: identity.fingerprint, publicKey: identity.publicKey, displayName: null });
    // No temp files left beside the key.
    const { readdir } = await import("node:fs/promises");
    expect((await readdir(home)).sort()).toEqual(["key.json"]);
  });

  it("refuses to replace a key without --force", async () => {
    const first = await createIdentity(home);
    const again = await cli("keygen");
    expect(again.error?.message).toMatch(/already exists.*--force/);
    expect((await loadIdentity(home)).publicKey).toBe(first.publicKey);
    const forced = await cli("keygen", "--force");
    expect(forced.error).toBeUndefined();
    expect((await loadIdentity(home)).publicKey).not.toBe(first.publicKey);
  });

  it("signs through the contract: the signature verifies and the fingerprint is the contract's", async () => {
    const identity = await createIdentity(home);
    expect(identity.fingerprint).toBe(await keyFingerprint(identity.publicKey));
    const { submission } = await signDocument(sampleDocument(), identity.privateKey, identity.publicKey);
    expect(await verifySubmission(submission)).toBe(true);
    expect(await verifySubmission({ ...submission, document: sampleDocument(1) })).toBe(false);
  });

  it("ensureIdentity creates a key on first use and reuses it afterwards", async () => {
    const a = await ensureIdentity(home);
    const b = await ensureIdentity(home);
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.publicKey).toBe(a.publicKey);
  });

  it("tightens a key file that others can read, and says so", async () => {
    await createIdentity(home);
    await chmod(keyPath(home), 0o644);
    const identity = await loadIdentity(home);
    expect(identity.warnings.join()).toMatch(/readable by others/);
    expect((await stat(keyPath(home))).mode & 0o777).toBe(0o600);
  });

  it("exports and imports a key to move a contributor between boards", async () => {
    const original = await createIdentity(home);
    const exported = path.join(dir, "moving.key.json");
    const res = await cli("key", "export", "--out", exported);
    expect(res.error).toBeUndefined();
    expect((await stat(exported)).mode & 0o777).toBe(0o600);
    expect(res.out + res.err).not.toContain(JSON.parse(await readFile(exported, "utf8")).jwk.d);
    // Exporting again over the file needs --force.
    expect((await cli("key", "export", "--out", exported)).error?.message).toMatch(/already exists/);

    // Board two: a fresh home gets the same identity.
    const home2 = path.join(dir, "board2");
    process.env.EDGEBENCH_HOME = home2;
    const imp = await cli("key", "import", exported);
    expect(imp.error).toBeUndefined();
    const moved = await loadIdentity(home2);
    expect(moved.publicKey).toBe(original.publicKey);
    expect((await stat(keyPath(home2))).mode & 0o777).toBe(0o600);
    const { submission } = await signDocument(sampleDocument(), moved.privateKey, moved.publicKey);
    expect(await verifySubmission(submission)).toBe(true);
    // Importing the same key again is a no-op.
    expect((await cli("key", "import", exported)).out).toMatch(/already installed/);
  });

  it("will not import over a different key without --force, nor import garbage", async () => {
    const other = path.join(dir, "other");
    await createIdentity(other);
    const exported = path.join(dir, "other.key.json");
    await exportIdentity(other, exported);
    const mine = await createIdentity(home);
    await expect(importIdentity(home, exported)).rejects.toThrow(/refusing to replace/);
    expect((await loadIdentity(home)).publicKey).toBe(mine.publicKey);
    const replaced = await importIdentity(home, exported, { force: true });
    expect(replaced.publicKey).not.toBe(mine.publicKey);

    const junk = path.join(dir, "junk.json");
    await writeFile(
      junk,
      JSON.stringify({
        format: "edgebench-key/v1",
        algorithm: "Ed25519",
        createdAt: "x",
        jwk: { kty: "OKP", crv: "Ed25519", x: "A".repeat(43), d: "B".repeat(43) },
      }),
    );
    await expect(importIdentity(path.join(dir, "h3"), junk)).rejects.toThrow(/cannot be loaded|do not match/);
    await writeFile(junk, "not json at all");
    await expect(importIdentity(path.join(dir, "h3"), junk)).rejects.toThrow(/not an edgebench key file/);
  });

  it("whoami sets and clears the display name and registry", async () => {
    expect((await cli("whoami", "--set-name", "Pi Lab 3", "--set-server", "http://127.0.0.1:9/")).error).toBeUndefined();
    expect(await readUserConfig(home)).toEqual({ displayName: "Pi Lab 3", server: "http://127.0.0.1:9" });
    const shown = JSON.parse((await cli("whoami", "--json")).out);
    expect(shown).toMatchObject({ displayName: "Pi Lab 3", server: "http://127.0.0.1:9", serverSource: "config.json", fingerprint: null });
    expect((await cli("whoami", "--set-name", "x".repeat(65))).error?.message).toMatch(/1 to 64/);
    expect((await cli("whoami", "--set-server", "ftp://example")).error?.message).toMatch(/http or https/);
    await cli("whoami", "--clear-name", "--clear-server");
    expect(await readUserConfig(home)).toEqual({});
  });
});
