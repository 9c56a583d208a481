/**
 * CPU model, architecture, physical cores and logical CPUs from /proc/cpuinfo
 * and the sysfs topology. Physical cores are what the suite uses as its
 * default thread count (llama.cpp's own default; node-llama-cpp's fixed 4
 * threads is pathological on a 2-core board).
 */
import os from "node:os";
import type { System } from "@edgebench/contract";
import { listDir, parseColonLines, readInt, readText, type SysConfig } from "./read.js";

export type CpuInfo = System["cpu"];

/** ARM "CPU part" codes (implementer 0x41 = Arm Ltd.) from the Arm technical reference manuals. */
const ARM_PARTS: Record<string, string> = {
  "0xd03": "Cortex-A53",
  "0xd04": "Cortex-A35",
  "0xd05": "Cortex-A55",
  "0xd07": "Cortex-A57",
  "0xd08": "Cortex-A72",
  "0xd09": "Cortex-A73",
  "0xd0a": "Cortex-A75",
  "0xd0b": "Cortex-A76",
  "0xd0d": "Cortex-A77",
  "0xd41": "Cortex-A78",
  "0xd42": "Cortex-A78AE",
  "0xd44": "Cortex-X1",
  "0xd46": "Cortex-A510",
  "0xd47": "Cortex-A710",
  "0xd48": "Cortex-X2",
  "0xd4d": "Cortex-A715",
  "0xd4e": "Cortex-X3",
  "0xd80": "Cortex-A520",
  "0xd81": "Cortex-A720",
  "0xd82": "Cortex-X4",
};

interface Processor {
  fields: Map<string, string>;
}

function processors(cpuinfo: string): Processor[] {
  const out: Processor[] = [];
  let cur: Processor | undefined;
  for (const [k, v] of parseColonLines(cpuinfo)) {
    if (k === "processor") {
      cur = { fields: new Map() };
      out.push(cur);
    } else if (cur) cur.fields.set(k, v);
  }
  return out;
}

function archOf(cpuinfo: string, config: SysConfig): string {
  if (/^CPU architecture\s*:\s*8/m.test(cpuinfo)) return "aarch64";
  if (/^CPU architecture\s*:\s*7/m.test(cpuinfo)) return "armv7l";
  if (/^flags\s*:.*\blm\b/m.test(cpuinfo)) return "x86_64";
  if (/^isa\s*:\s*rv64/m.test(cpuinfo)) return "riscv64";
  // cpuinfo hidden: the kernel's own uname(2) machine. Readable but not recognised:
  // the machine we run on, except in a fixture tree (whose board is not this one).
  return cpuinfo && config.sysRoot ? "unknown" : os.machine();
}

function modelOf(procs: Processor[], cpuinfo: string): string {
  const named = procs.map((p) => p.fields.get("model name")).find(Boolean);
  if (named) return named.replace(/\s+/g, " ");
  // ARM: count cores by part number, e.g. "4x Cortex-A76 + 4x Cortex-A55".
  const counts = new Map<string, number>();
  for (const p of procs) {
    const part = p.fields.get("CPU part");
    if (!part) continue;
    const name = ARM_PARTS[part.toLowerCase()] ?? `ARM part ${part}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  if (counts.size) return [...counts].map(([n, c]) => `${c}x ${n}`).join(" + ");
  const hw = parseColonLines(cpuinfo).find(([k]) => k === "Hardware" || k === "Model")?.[1];
  return hw ?? "unknown CPU";
}

/** Parses a sysfs CPU list such as "0-3,6". */
export function parseCpuList(list: string | undefined): number[] {
  if (!list) return [];
  const out: number[] = [];
  for (const part of list.split(",")) {
    const [a, b] = part.split("-").map((x) => Number.parseInt(x, 10));
    if (a === undefined || !Number.isFinite(a)) continue;
    for (let i = a; i <= (b ?? a); i++) out.push(i);
  }
  return out;
}

/** Where the thread and core counts came from (shown by `edgebench detect`; the document has no field for it). */
export interface CpuCountSources {
  threads: "sysfs cpu list" | "/proc/cpuinfo" | "sched_getaffinity(2)";
  cores: "sysfs topology" | "/proc/cpuinfo core ids" | "one per logical CPU";
}

/**
 * Logical CPUs from the kernel when sysfs and /proc/cpuinfo are hidden:
 * availableParallelism() is sched_getaffinity(2), which works where
 * os.cpus() (it reads /proc/stat) comes back empty, as on Android.
 */
function kernelCpuCount(): number {
  return os.availableParallelism() || os.cpus().length;
}

export function detectCpu(config: SysConfig, cpuinfo = readText(config, "/proc/cpuinfo") ?? ""): CpuInfo {
  return detectCpuFacts(config, cpuinfo).cpu;
}

export function detectCpuFacts(config: SysConfig, cpuinfo = readText(config, "/proc/cpuinfo") ?? ""): { cpu: CpuInfo; sources: CpuCountSources } {
  const procs = processors(cpuinfo);
  const online = parseCpuList(readText(config, "/sys/devices/system/cpu/online"));
  const cpuIds = online.length
    ? online
    : listDir(config, "/sys/devices/system/cpu")
        .filter((d) => /^cpu\d+$/.test(d))
        .map((d) => Number(d.slice(3)));
  // Never a placeholder: with neither sysfs nor cpuinfo readable, the kernel's count for this process.
  const threads = cpuIds.length || procs.length || kernelCpuCount();

  // Physical cores: distinct (package, core) pairs from the sysfs topology, else cpuinfo's
  // "physical id"/"core id" (x86), else one core per logical CPU (ARM boards have no SMT).
  const pairs = new Set<string>();
  for (const id of cpuIds) {
    const core = readInt(config, `/sys/devices/system/cpu/cpu${id}/topology/core_id`);
    const pkg = readInt(config, `/sys/devices/system/cpu/cpu${id}/topology/physical_package_id`) ?? 0;
    const cluster = readInt(config, `/sys/devices/system/cpu/cpu${id}/topology/cluster_id`) ?? 0;
    if (core !== undefined) pairs.add(`${pkg}/${cluster}/${core}`);
  }
  const fromTopology = pairs.size > 0;
  if (pairs.size === 0) {
    for (const p of procs) {
      const core = p.fields.get("core id");
      if (core !== undefined) pairs.add(`${p.fields.get("physical id") ?? 0}/${core}`);
    }
  }
  const cores = Math.min(threads, pairs.size || threads);
  const sources: CpuCountSources = {
    threads: cpuIds.length ? "sysfs cpu list" : procs.length ? "/proc/cpuinfo" : "sched_getaffinity(2)",
    cores: fromTopology ? "sysfs topology" : pairs.size ? "/proc/cpuinfo core ids" : "one per logical CPU",
  };
  return { cpu: { model: modelOf(procs, cpuinfo).slice(0, 128), arch: archOf(cpuinfo, config), cores, threads }, sources };
}
