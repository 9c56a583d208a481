/**
 * `edgebench verify-release DIR`: checks release archives carried to a site
 * (on a USB stick, say) before anyone installs them.
 *
 * DIR holds the archives, SHA256SUMS (sha256sum's format) and SHA256SUMS.sig.
 * The signature follows the rule every edgebench signature follows (the
 * contract's signRequest): Ed25519 over the RFC 8785 bytes of a statement that
 * names its action,
 *   { "action": "release", "sha256sums": "<hex SHA-256 of the SHA256SUMS file>" }
 * and SHA256SUMS.sig holds the 64-byte signature in base64url. The statement's
 * bytes can be rebuilt with printf, so openssl can check it too (docs/release.md).
 * scripts/release.mjs imports the helpers below, so the signer and the checker
 * share one definition of the files and the statement.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { keyFingerprint, sha256Hex, verifyRequest } from "@edgebench/contract";
import { Command } from "commander";
import { EXIT } from "../exit-codes.js";

/**
 * The release key's public half (raw Ed25519, base64url), pinned here so that
 * a copy of edgebench already trusted can vouch for the next. Its PEM form for
 * openssl is in docs/release.md.
 */
export const RELEASE_PUBLIC_KEY = "G6bi1dVjnlsgkv18nrBfOreUhR4DdmHtehJoAXwwylk";

export const SUMS_FILE = "SHA256SUMS";
export const SIGNATURE_FILE = "SHA256SUMS.sig";
/** A local build signed with a key made for it writes that key's public half here (scripts/release.mjs). */
export const THROWAWAY_KEY_FILE = "THROWAWAY-KEY.pub";

export interface ReleaseStatement {
  action: "release";
  sha256sums: string;
}

/** What the release key signs: the statement naming the SHA256SUMS file by its hash. */
export async function releaseStatement(sums: Uint8Array): Promise<ReleaseStatement> {
  return { action: "release", sha256sums: await sha256Hex(sums) };
}

export interface SumsEntry {
  sha256: string;
  file: string;
}

/** sha256sum's text format: one "<hex>  <name>" line per file, sorted by name. */
export function formatSums(entries: SumsEntry[]): string {
  return [...entries]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .map((e) => `${e.sha256}  ${e.file}\n`)
    .join("");
}

/** Parses SHA256SUMS; throws on a line that is not "<64 hex> <space or *><plain file name>". */
export function parseSums(text: string): SumsEntry[] {
  const entries: SumsEntry[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line === "") continue;
    const m = /^([0-9a-f]{64}) [ *]([^/\\]+)$/.exec(line);
    if (!m || m[2] === "." || m[2] === "..") throw new Error(`${SUMS_FILE} line ${i + 1} is not "<sha256>  <file name>": ${line.slice(0, 120)}`);
    entries.push({ sha256: m[1]!, file: m[2]! });
  }
  if (entries.length === 0) throw new Error(`${SUMS_FILE} lists no files`);
  return entries;
}

/** Streams a file through SHA-256 (archives are tens of MB). */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest("hex");
}

export interface ReleaseCheck {
  /** The key the signature was checked against, and its fingerprint. */
  publicKey: string;
  fingerprint: string;
  /** True when that key is the pinned release key (not one given with --key). */
  pinned: boolean;
  signatureOk: boolean;
  /** Why the signature did not verify, in words a person can act on. */
  signatureProblem?: string;
  /** Each listed file: ok, differs, or not in the directory (a site may carry only its own platform's archive). */
  files: { file: string; status: "ok" | "differs" | "missing" }[];
  /** Signature good, no file differs, and at least one listed file was here to check. */
  ok: boolean;
}

/** Checks DIR's SHA256SUMS signature and every listed file that is present. Throws when DIR has no SHA256SUMS. */
export async function verifyRelease(dir: string, options: { publicKey?: string } = {}): Promise<ReleaseCheck> {
  const publicKey = options.publicKey ?? RELEASE_PUBLIC_KEY;
  let sums: Uint8Array;
  try {
    sums = await readFile(path.join(dir, SUMS_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT")
      throw new Error(`no ${SUMS_FILE} in ${dir}: is this the directory the release archives came in?`);
    throw err;
  }
  const entries = parseSums(new TextDecoder().decode(sums));

  let fingerprint: string;
  try {
    fingerprint = await keyFingerprint(publicKey);
  } catch {
    throw new Error(`--key ${publicKey} is not an Ed25519 public key (32 bytes, base64url)`);
  }
  let signatureOk = false;
  let signatureProblem: string | undefined;
  const signature = (await readFile(path.join(dir, SIGNATURE_FILE), "utf8").catch(() => undefined))?.trim();
  if (signature === undefined) {
    signatureProblem = `no ${SIGNATURE_FILE} in ${dir}`;
  } else {
    signatureOk = await verifyRequest(await releaseStatement(sums), signature, publicKey);
    if (!signatureOk) {
      const throwaway = (await readFile(path.join(dir, THROWAWAY_KEY_FILE), "utf8").catch(() => ""))?.trim();
      signatureProblem =
        throwaway && throwaway !== publicKey
          ? `not signed by key ${fingerprint}: ${dir} is a local build signed with a throwaway key (${THROWAWAY_KEY_FILE}); if you made it, check it with --key ${throwaway}`
          : `${SIGNATURE_FILE} is not a signature of this ${SUMS_FILE} by key ${fingerprint}: the file list was changed, or another key signed it`;
    }
  }

  const files: ReleaseCheck["files"] = [];
  for (const e of entries) {
    const file = path.join(dir, e.file);
    const present = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    files.push({ file: e.file, status: !present ? "missing" : (await sha256OfFile(file)) === e.sha256 ? "ok" : "differs" });
  }
  const ok = signatureOk && files.every((f) => f.status !== "differs") && files.some((f) => f.status === "ok");
  return {
    publicKey,
    fingerprint,
    pinned: publicKey === RELEASE_PUBLIC_KEY,
    signatureOk,
    ...(signatureProblem ? { signatureProblem } : {}),
    files,
    ok,
  };
}

export function verifyReleaseCommand(): Command {
  return new Command("verify-release")
    .description("check release archives against SHA256SUMS and its signature by the edgebench release key")
    .argument("<dir>", "the directory holding the archives, SHA256SUMS and SHA256SUMS.sig")
    .option("--key <publicKey>", "check against this Ed25519 public key (base64url) instead of the pinned release key")
    .option("--json", "machine-readable output")
    .action(async (dir: string, opts: { key?: string; json?: boolean }) => {
      const check = await verifyRelease(path.resolve(dir), { publicKey: opts.key });
      process.exitCode = check.ok ? EXIT.ok : EXIT.failed;
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(check)}\n`);
        return;
      }
      const who = `${check.pinned ? "the edgebench release key" : "the key given with --key"} ${check.fingerprint}`;
      process.stdout.write(`signature: ${check.signatureOk ? `OK, by ${who}` : `FAILED: ${check.signatureProblem}`}\n`);
      for (const f of check.files) {
        const word = f.status === "ok" ? "OK" : f.status === "differs" ? "FAILED (sha256 differs)" : "not here (skipped)";
        process.stdout.write(`${f.file}: ${word}\n`);
      }
      if (!check.files.some((f) => f.status === "ok")) process.stdout.write(`none of the files ${SUMS_FILE} lists is in ${dir}\n`);
      process.stdout.write(check.ok ? "release verified\n" : "release NOT verified: do not install it\n");
    });
}
