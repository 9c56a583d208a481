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
