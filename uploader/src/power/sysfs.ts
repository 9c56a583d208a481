/** Small sysfs helpers. Every path is taken under config.sysRoot (fixture trees in tests). */
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";

export async function readText(file: string): Promise<string> {
  return (await fsp.readFile(file, "utf8")).trim();
}

export async function readTextOr(file: string): Promise<string | undefined> {
  try {
    return await readText(file);
  } catch {
    return undefined;
  }
}

/** A sysfs number; throws with the path on a missing or malformed file. */
export async function readNumber(file: string): Promise<number> {
  return parseNumber(await readText(file), file);
}

export function readNumberSync(file: string): number {
  return parseNumber(fs.readFileSync(file, "utf8").trim(), file);
}

function parseNumber(text: string, file: string): number {
  const x = Number(text);
  if (text === "" || !Number.isFinite(x)) throw new Error(`${file}: not a number: ${JSON.stringify(text.slice(0, 40))}`);
  return x;
}

/** Directory entries, [] when it does not exist. */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return (await fsp.readdir(dir)).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  } catch {
    return [];
  }
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fsp.access(p);
    return true;
  } catch {
    return false;
  }
}

export const join = path.join;

/**
 * A numeric sysfs attribute read repeatedly through one open descriptor:
 * pread at offset 0 makes sysfs produce a fresh value, so each sample costs a
 * single read on libuv's thread pool instead of open/fstat/read/close. On an
 * error the descriptor is dropped and reopened next time (a device that went
 * away and came back).
 */
export class Attr {
  private fd: number | undefined;
  private readonly buf = Buffer.alloc(128);

  constructor(readonly file: string) {}

  async read(): Promise<number> {
    try {
      if (this.fd === undefined) this.fd = await new Promise<number>((res, rej) => fs.open(this.file, "r", (e, fd) => (e ? rej(e) : res(fd))));
      const fd = this.fd;
      const n = await new Promise<number>((res, rej) => fs.read(fd, this.buf, 0, this.buf.length, 0, (e, n) => (e ? rej(e) : res(n))));
      return parseNumber(this.buf.toString("latin1", 0, n).trim(), this.file);
    } catch (err) {
      this.drop();
      throw withPath(err, this.file);
    }
  }

  readSync(): number {
    try {
      if (this.fd === undefined) this.fd = fs.openSync(this.file, "r");
      const n = fs.readSync(this.fd, this.buf, 0, this.buf.length, 0);
      return parseNumber(this.buf.toString("latin1", 0, n).trim(), this.file);
    } catch (err) {
      this.drop();
      throw withPath(err, this.file);
    }
  }

  close(): void {
    this.drop();
  }

  private drop(): void {
    if (this.fd !== undefined) {
      const fd = this.fd;
      this.fd = undefined;
      fs.close(fd, () => undefined);
    }
  }
}

function withPath(err: unknown, file: string): unknown {
  if (err instanceof Error && !err.message.includes(file)) err.message = `${file}: ${err.message}`;
  return err;
}
