// SHA256SUMS and its Ed25519 signature for the archives in a release directory.
// The file formats and the signed statement are defined once, in the
// uploader's verify-release command (uploader/src/cli/commands/verify-release.ts),
// and the signing is the contract's signRequest: tsx loads both from their
// TypeScript sources, so signer and checker cannot drift apart.
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { tsImport } from "tsx/esm/api";

const release = () => tsImport(new URL("../../uploader/src/cli/commands/verify-release.ts", import.meta.url).href, import.meta.url);
const contract = () => tsImport("@edgebench/contract", import.meta.url);

/**
 * The release key from an edgebench key file's text (format edgebench-key/v1,
 * as `edgebench keygen` writes it and `edgebench key export` copies it), or a
 * throwaway key made now when `text` is undefined. Returns
 * { privateKey, publicKey, fingerprint, throwaway, pinned }.
 */
/**
 * The release key's text and where it came from, for the release scripts:
 * `--key FILE`, else EDGEBENCH_RELEASE_KEY (the one place they read the
 * environment), else none (loadReleaseKey makes a throwaway key).
 */
export async function releaseKeyText(keyFile) {
  if (keyFile) return { keyText: await readFile(keyFile, "utf8"), keySource: keyFile };
  const env = process.env.EDGEBENCH_RELEASE_KEY || undefined;
  return { keyText: env, keySource: env ? "EDGEBENCH_RELEASE_KEY" : undefined };
}

export async function loadReleaseKey(text, source) {
  const { generateKeyPair, exportPublicKey, keyFingerprint } = await contract();
  const { RELEASE_PUBLIC_KEY } = await release();
  let privateKey;
  let publicKey;
  if (text === undefined) {
    const pair = await generateKeyPair();
    privateKey = pair.privateKey;
    publicKey = await exportPublicKey(pair.publicKey);
  } else {
    let jwk;
    try {
      const file = JSON.parse(text);
      if (file.format !== "edgebench-key/v1" || file.jwk?.crv !== "Ed25519") throw new Error("wrong format");
      jwk = file.jwk;
    } catch {
      // Never echo the text: it holds a private key.
      throw new Error(`${source} is not an edgebench key file (format edgebench-key/v1, as \`edgebench keygen\` writes)`);
    }
    privateKey = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x, d: jwk.d }, { name: "Ed25519" }, false, ["sign"]);
    publicKey = jwk.x;
  }
  return {
    privateKey,
    publicKey,
    fingerprint: await keyFingerprint(publicKey),
    throwaway: text === undefined,
    pinned: publicKey === RELEASE_PUBLIC_KEY,
  };
}

/**
 * Writes SHA256SUMS over every edgebench-<version>-*.tar.gz in dir (hashed now,
 * so the list is true to the directory even when earlier builds left archives
 * there), and SHA256SUMS.sig signed by `key`. A throwaway key's public half goes
 * to THROWAWAY-KEY.pub; a real key removes a stale one. The result is then
 * checked the way `edgebench verify-release` checks it. Returns the entries.
 */
export async function signRelease(dir, version, key) {
  const { formatSums, releaseStatement, sha256OfFile, verifyRelease, SUMS_FILE, SIGNATURE_FILE, THROWAWAY_KEY_FILE } = await release();
  const { signRequest } = await contract();
  const prefix = `edgebench-${version}-`;
  const archives = (await readdir(dir)).filter((f) => f.startsWith(prefix) && f.endsWith(".tar.gz"));
  if (archives.length === 0) throw new Error(`no ${prefix}*.tar.gz in ${dir} to sign`);
  const entries = [];
  for (const file of archives) entries.push({ file, sha256: await sha256OfFile(path.join(dir, file)) });
  const sums = formatSums(entries);
  await writeFile(path.join(dir, SUMS_FILE), sums);
  const signature = await signRequest(await releaseStatement(new TextEncoder().encode(sums)), key.privateKey);
  await writeFile(path.join(dir, SIGNATURE_FILE), `${signature}\n`);
  if (key.throwaway) await writeFile(path.join(dir, THROWAWAY_KEY_FILE), `${key.publicKey}\n`);
  else await rm(path.join(dir, THROWAWAY_KEY_FILE), { force: true });
  const check = await verifyRelease(dir, { publicKey: key.publicKey });
  if (!check.ok) throw new Error(`the signed release in ${dir} does not verify: ${JSON.stringify(check)}`);
  return { entries, sumsText: await readFile(path.join(dir, SUMS_FILE), "utf8") };
}
