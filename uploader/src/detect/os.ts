/** OS name, kernel and (on Jetson) the L4T release; total RAM. */
import os from "node:os";
import type { System } from "@edgebench/contract";
import { parseColonLines, parseEnvFile, readText, type SysConfig } from "./read.js";

/** "# R36 (release), REVISION: 4.3, GCID: ..." -> "L4T 36.4.3" (power-meters.md section 2). */
export function parseL4tRelease(text: string | undefined): string | undefined {
  const m = text ? /#\s*R(\d+)\s*\(release\),\s*REVISION:\s*([\d.]+)/.exec(text) : null;
  return m ? `L4T ${m[1]}.${m[2]}` : undefined;
}

export function detectOs(config: SysConfig): System["os"] {
  const rel = parseEnvFile(readText(config, "/etc/os-release") ?? "");
  const name = rel.PRETTY_NAME || [rel.NAME, rel.VERSION].filter(Boolean).join(" ") || (config.sysRoot ? "unknown OS" : `${os.type()}`);
  const kernel = readText(config, "/proc/sys/kernel/osrelease") ?? (config.sysRoot ? "unknown" : os.release());
  const release = parseL4tRelease(readText(config, "/etc/nv_tegra_release"));
  return { name: name.slice(0, 128), kernel: kernel.slice(0, 128), release };
}

/** Where the total RAM figure came from (shown by `edgebench detect`; the document has no field for it). */
export type MemorySource = "/proc/meminfo" | "sysinfo(2)";

/**
 * MemTotal from /proc/meminfo; where that is hidden (SELinux on Android, a
 * locked-down container, a sysroot that lacks it) the kernel's own figure
 * through sysinfo(2) (os.totalmem()), never a placeholder.
 */
export function detectMemoryFacts(config: SysConfig): { memory: System["memory"]; source: MemorySource } {
  const kb = parseColonLines(readText(config, "/proc/meminfo") ?? "").find(([k]) => k === "MemTotal")?.[1];
  const bytes = kb ? Number.parseInt(kb, 10) * 1024 : NaN;
  if (bytes > 0) return { memory: { totalBytes: bytes }, source: "/proc/meminfo" };
  return { memory: { totalBytes: os.totalmem() }, source: "sysinfo(2)" };
}

export function detectMemory(config: SysConfig): System["memory"] {
  return detectMemoryFacts(config).memory;
}
