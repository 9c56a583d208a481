/**
 * The contributor's Ed25519 key pair, kept in <home>/key.json (mode 0600 in a
 * 0700 directory). The private key is stored as a JWK: it carries the public
 * half (`x`, raw 32 bytes in base64url, exactly the registry's publicKey
 * encoding), so nothing else has to be kept in sync. The private half is never
 * printed; `key export` writes the same file format elsewhere.
 */
import { chmod, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { generateKeyPair, keyFingerprint } from "@edgebench/contract";
import { z } from "zod";
import { writeFileAtomic } from "../outbox/atomic-write.js";
import { ensureHome } from "./user-config.js";

export const KEY_FILE = "key.json";
export const KEY_FORMAT = "edgebench-key/v1";

const KeyFileSchema = z.strictObject({
  format: z.literal(KEY_FORMAT),
  algorithm: z.literal("Ed25519"),
  createdAt: z.string(),
  jwk: z.looseObject({
    kty: z.literal("OKP"),
    crv: z.literal("Ed25519"),
    x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    d: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  }),
});
type KeyFile = z.infer<typeof KeyFileSchema>;

export interface Identity {
  privateKey: CryptoKey;
  /** Raw public key, base64url without padding (the submission's publicKey). */
  publicKey: string;
  fingerprint: string;
  createdAt: string;
  /** Problems fixed on the way (e.g. a key file readable by others, now 0600). */
  warnings: string[];
}

export class IdentityError extends Error {
  override name = "IdentityError";
}

export function keyPath(home: string): string {
  return path.join(home, KEY_FILE);
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
}

/** Parses and checks key file text; `source` names it in errors. */
async function identityFromText(text: string, source: string): Promise<Omit<Identity, "warnings">> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Never echo the text: it holds a private key.
    throw new IdentityError(`${source} is not an edgebench key file (not JSON)`);
  }
  const parsed = KeyFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new IdentityError(
      `${source} is not an edgebench key file (${parsed.error.issues.map((i) => i.path.join(".") || "(root)").join(", ")} invalid; expected format ${KEY_FORMAT})`,
    );
  }
  const { jwk, createdAt } = parsed.data;
  let privateKey: CryptoKey;
  let publicCheck: CryptoKey;
  try {
    privateKey = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x, d: jwk.d }, { name: "Ed25519" }, false, ["sign"]);
    publicCheck = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"]);
  } catch (err) {
    throw new IdentityError(`${source}: the key cannot be loaded (${(err as Error).message})`);
  }
  // A file whose halves do not belong together would sign documents the
  // registry rejects; find out now rather than after a long run.
  const probe = new TextEncoder().encode("edgebench key check");
  const sig = await crypto.subtle.sign({ name: "Ed25519" }, privateKey, probe);
  if (!(await crypto.subtle.verify({ name: "Ed25519" }, publicCheck, sig, probe))) {
    throw new IdentityError(`${source}: the private and public halves do not match`);
  }
  return { privateKey, publicKey: jwk.x, fingerprint: await keyFingerprint(jwk.x), createdAt };
}

export async function hasIdentity(home: string): Promise<boolean> {
  return exists(keyPath(home));
}

/** Loads the key; throws IdentityError with a next step when there is none. */
export async function loadIdentity(home: string): Promise<Identity> {
  const file = keyPath(home);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new IdentityError(`no key in ${home}; run \`edgebench keygen\` (or \`edgebench key import FILE\`)`);
    }
    throw err;
  }
  const identity = await identityFromText(text, file);
  const warnings: string[] = [];
  if (process.platform !== "win32") {
    const mode = (await stat(file)).mode & 0o777;
    if (mode & 0o077) {
      await chmod(file, 0o600);
      warnings.push(`${file} was readable by others (mode ${mode.toString(8)}); set to 0600`);
    }
  }
  return { ...identity, warnings };
}

async function writeKeyFile(file: string, keyFile: KeyFile, force: boolean): Promise<void> {
  try {
    await writeFileAtomic(file, `${JSON.stringify(keyFile, null, 2)}\n`, { mode: 0o600, exclusive: !force });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") {
      throw new IdentityError(`${file} already exists; refusing to overwrite a key (use --force to replace it)`);
    }
    throw err;
  }
}

/** Makes a new key pair; refuses to replace an existing key unless force. */
export async function createIdentity(home: string, options: { force?: boolean; now?: () => Date } = {}): Promise<Identity> {
  await ensureHome(home);
  const pair = await generateKeyPair();
  const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  if (!jwk.x || !jwk.d) throw new IdentityError("WebCrypto returned an Ed25519 JWK without x/d");
  const keyFile: KeyFile = {
    format: KEY_FORMAT,
    algorithm: "Ed25519",
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    jwk: { kty: "OKP", crv: "Ed25519", x: jwk.x, d: jwk.d },
  };
  await writeKeyFile(keyPath(home), keyFile, Boolean(options.force));
  return loadIdentity(home);
}

/** The key, created on first use (first submit). `created` says which happened. */
export async function ensureIdentity(home: string): Promise<Identity & { created: boolean }> {
  if (await hasIdentity(home)) return { ...(await loadIdentity(home)), created: false };
  try {
    return { ...(await createIdentity(home)), created: true };
  } catch (err) {
    // Another process made one at the same moment: use that one.
    if (err instanceof IdentityError && (await hasIdentity(home))) return { ...(await loadIdentity(home)), created: false };
    throw err;
  }
}

/** Writes the key file to `dest` (mode 0600) for moving to another board. */
export async function exportIdentity(home: string, dest: string, options: { force?: boolean } = {}): Promise<Identity> {
  const identity = await loadIdentity(home);
  const text = await readFile(keyPath(home), "utf8");
  try {
    await writeFileAtomic(path.resolve(dest), text, { mode: 0o600, exclusive: !options.force });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") throw new IdentityError(`${dest} already exists (use --force to replace it)`);
    throw err;
  }
  return identity;
}

/** The key file text for a pipe (never for a terminal: the CLI checks). */
export async function exportIdentityText(home: string): Promise<string> {
  await loadIdentity(home);
  return readFile(keyPath(home), "utf8");
}

/** Installs a key exported elsewhere; refuses to replace a different key unless force. */
export async function importIdentity(home: string, source: string, options: { force?: boolean } = {}): Promise<Identity & { unchanged: boolean }> {
  let text: string;
  try {
    text = await readFile(source, "utf8");
  } catch (err) {
    throw new IdentityError(`cannot read ${source}: ${(err as Error).message}`);
  }
  const incoming = await identityFromText(text, source);
  if (await hasIdentity(home)) {
    const current = await loadIdentity(home).catch(() => undefined);
    if (current?.publicKey === incoming.publicKey) return { ...current, unchanged: true };
    if (!options.force) {
      throw new IdentityError(
        `${keyPath(home)} already holds ${current ? `key ${current.fingerprint}` : "an unreadable key"}; refusing to replace it with ${incoming.fingerprint} (use --force; export the old one first if you still need it)`,
      );
    }
  }
  await ensureHome(home);
  const keyFile = KeyFileSchema.parse(JSON.parse(text));
  await writeKeyFile(keyPath(home), keyFile, true);
  return { ...(await loadIdentity(home)), unchanged: false };
}
