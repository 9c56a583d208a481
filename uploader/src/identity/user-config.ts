/**
 * config.json in the edgebench home: the contributor's own settings (display
 * name, preferred registry, the board's envelope and name). Distinct from ../config.ts,
 * which reads the process environment; this file is what `edgebench config`
 * (and `whoami --set-name` / `--set-server`) change.
 */
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Envelope } from "@edgebench/contract";
import { z } from "zod";
import { writeFileAtomic } from "../outbox/atomic-write.js";

export const USER_CONFIG_FILE = "config.json";

/**
 * The board's size as config.json keeps it: the contract's own fields and limits, so a hand-edited
 * value is checked on read exactly as a document would be. No source or note: a stored envelope is
 * always declared, and resolveEnvelope says where it came from.
 */
export const EnvelopeDims = Envelope.pick({ widthMm: true, depthMm: true, heightMm: true });
export type EnvelopeDims = z.infer<typeof EnvelopeDims>;

const UserConfigSchema = z.looseObject({
  /** Shown on the leaderboard; signed into each document as contributor.displayName. */
  displayName: z.string().min(1).max(64).optional(),
  /** Registry base URL; a --server flag wins, EDGEBENCH_SERVER and the default come after. */
  server: z.url({ protocol: /^https?$/ }).optional(),
  /** The board's envelope in mm, declared in `run` and `import` documents when no --envelope is given. */
  envelope: EnvelopeDims.optional(),
  /** The board's name, declared by `run` when no --board-name is given (for boards detection cannot name). */
  boardName: z.string().trim().min(1).max(128).optional(),
});
export type UserConfig = z.infer<typeof UserConfigSchema>;

export function userConfigPath(home: string): string {
  return path.join(home, USER_CONFIG_FILE);
}

export async function readUserConfig(home: string): Promise<UserConfig> {
  let text: string;
  try {
    text = await readFile(userConfigPath(home), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${userConfigPath(home)} is not valid JSON (${(err as Error).message}); fix or remove it`);
  }
  const parsed = UserConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${userConfigPath(home)}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

/** Merges `patch` into config.json (undefined removes a key) and returns the result. */
export async function updateUserConfig(home: string, patch: Partial<UserConfig>): Promise<UserConfig> {
  const next: Record<string, unknown> = { ...(await readUserConfig(home)) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete next[k];
    else next[k] = v;
  }
  const parsed = UserConfigSchema.parse(next);
  await ensureHome(home);
  await writeFileAtomic(userConfigPath(home), `${JSON.stringify(parsed, null, 2)}\n`, { mode: 0o600 });
  return parsed;
}

/** Where a document's declared envelope came from; the note in the document says the same. */
export type EnvelopeSource = "flag" | "config.json";
export const ENVELOPE_NOTES: Record<EnvelopeSource, string> = { flag: "declared with --envelope", "config.json": "declared in edgebench config" };

/** --envelope wins over config.json; neither: no envelope (the registry ranks size only with one it can trust). */
export function resolveEnvelope(flag: Envelope | undefined, user: Pick<UserConfig, "envelope">): { envelope?: Envelope; source?: EnvelopeSource } {
  if (flag) return { envelope: { ...flag, note: flag.note ?? ENVELOPE_NOTES.flag }, source: "flag" };
  if (user.envelope) return { envelope: { ...user.envelope, source: "declared", note: ENVELOPE_NOTES["config.json"] }, source: "config.json" };
  return {};
}

/** resolveEnvelope, reading config.json only when there is no flag: with --envelope a command does not depend on the file. */
export async function declaredEnvelope(flag: Envelope | undefined, home: string): Promise<{ envelope?: Envelope; source?: EnvelopeSource }> {
  return resolveEnvelope(flag, flag ? {} : await readUserConfig(home));
}

/** The home holds a private key: owner-only (0700) when we create it. */
export async function ensureHome(home: string): Promise<void> {
  await mkdir(home, { recursive: true, mode: 0o700 });
}
