/**
 * Crash-safe file writes. A result that took twenty minutes to measure must
 * never be left half-written by a power cut or a SIGKILL: the bytes go to a
 * temporary file in the same directory, are fsynced, and only then appear
 * under their real name by rename (or link, for no-clobber), after which the
 * directory itself is fsynced so the new name survives a crash too.
 */
import { randomBytes } from "node:crypto";
import { type FileHandle, link, open, rename, rm } from "node:fs/promises";
import path from "node:path";

/** Temporary files are dot-files ending in this, named with the writer's pid. */
export const TEMP_SUFFIX = ".tmp";

export interface AtomicWriteOptions {
  /** File mode of the new file (default 0o644; keys use 0o600). */
  mode?: number;
  /** Fail with EEXIST instead of replacing an existing file. */
  exclusive?: boolean;
}

/** `.<name>.<pid>.<random>.tmp`: the pid tells a later run whether the writer is still alive. */
export function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}${TEMP_SUFFIX}`);
}

/** The pid encoded in a temp file name, or undefined if the name is not one of ours. */
export function tempWriterPid(name: string): number | undefined {
  const m = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

export async function fsyncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch (err) {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is
    // still atomic there, only its durability across a power cut is weaker.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EPERM" && code !== "EINVAL" && code !== "EBADF") throw err;
  } finally {
    await handle?.close();
  }
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const tmp = tempNameFor(file);
  const handle = await open(tmp, "wx", options.mode ?? 0o644);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.exclusive) {
      await link(tmp, file); // EEXIST if someone is already there: nothing is replaced
      await rm(tmp, { force: true });
    } else {
      await rename(tmp, file);
    }
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(path.dirname(file));
}

/** rename + fsync of both directories, so a move survives a crash on either side. */
export async function moveDurably(from: string, to: string): Promise<void> {
  await rename(from, to);
  await fsyncDir(path.dirname(to));
  if (path.dirname(from) !== path.dirname(to)) await fsyncDir(path.dirname(from));
}
