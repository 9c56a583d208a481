/**
 * Safe reads of /proc, /sys, /etc and /dev, always through sysPath() so tests
 * can point them at a fixture tree. A path that is missing or unreadable is
 * "not available" (undefined / empty), never an exception: boards differ in
 * what they expose and an unprivileged user cannot read everything.
 */
import fs from "node:fs";
import path from "node:path";
import { type Config, sysPath } from "../config.js";

export type SysConfig = Pick<Config, "sysRoot">;

/** File contents with trailing NULs and whitespace removed (device-tree strings end in NUL). */
export function readText(config: SysConfig, file: string): string | undefined {
  try {
    const s = fs.readFileSync(sysPath(config, file), "utf8").replace(/\0+$/, "").trim();
    return s.length ? s : undefined;
  } catch {
    return undefined;
  }
}

/** A NUL-separated list (device-tree compatible). */
export function readNulList(config: SysConfig, file: string): string[] {
  try {
    return fs
      .readFileSync(sysPath(config, file), "latin1")
      .split("\0")
      .map((s) => s.trim())
      .filter(Boolean);
  } catch {
    return [];
  }
}

export function readInt(config: SysConfig, file: string): number | undefined {
  const s = readText(config, file);
  if (s === undefined) return undefined;
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) ? n : undefined;
}

export function exists(config: SysConfig, file: string): boolean {
  try {
    fs.statSync(sysPath(config, file));
    return true;
  } catch {
    return false;
  }
}

export function listDir(config: SysConfig, dir: string): string[] {
  try {
    return fs.readdirSync(sysPath(config, dir)).sort();
  } catch {
    return [];
  }
}

/** Basename of a symlink's target (sysfs `device/driver` links), if it is a link. */
export function linkName(config: SysConfig, file: string): string | undefined {
  try {
    return path.basename(fs.readlinkSync(sysPath(config, file)));
  } catch {
    return undefined;
  }
}

/** "key: value" lines (cpuinfo, meminfo) into a list of [key, value] pairs in order. */
export function parseColonLines(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const line of text.split("\n")) {
    const i = line.indexOf(":");
    if (i < 0) continue;
    out.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
  }
  return out;
}

/** KEY=value and KEY="value" lines (os-release, uevent). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!.replace(/^"(.*)"$/, "$1").replace(/^'(.*)'$/, "$1");
  }
  return out;
}
