/**
 * NVIDIA Jetson power state, which sets a Jetson's speed as much as its
 * model: the nvpmodel mode (`nvpmodel -q`: a 15 W mode caps clocks and cores
 * that MAXN does not) and whether jetson_clocks pinned the clocks. The latter
 * is read without root: jetson_clocks raises every CPU policy's
 * scaling_min_freq and the GPU's devfreq min_freq to their maximum, so min
 * equal to max everywhere means locked. Only boards that look like a Jetson
 * (L4T release file, tegra device tree) run nvpmodel; a missing or failing
 * nvpmodel leaves the mode out.
 */
import { execFileSync } from "node:child_process";
import type { Conditions } from "@edgebench/contract";
import type { Config } from "../config.js";
import { resolveTool } from "../power/tools.js";
import { exists, listDir, readInt, readNulList, type SysConfig } from "./read.js";

type JetsonPower = NonNullable<Conditions["jetson"]>;

const NVPMODEL_TIMEOUT_MS = 3000;
/** Jetson GPU devfreq names: 17000000.gpu (JetPack 6), 17000000.ga10b (JetPack 5 Orin), 57000000.gpu / gv11b / gp10b (older modules). */
const GPU_DEVFREQ = /(\.gpu|ga10b|gv11b|gp10b|gm20b)$/;

/** Runs a tool and returns its stdout, or undefined when it is missing, fails or times out. */
export type ToolRunner = (file: string, args: string[], timeoutMs: number) => string | undefined;

const runSync: ToolRunner = (file, args, timeoutMs) => {
  try {
    return execFileSync(file, args, { timeout: timeoutMs, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], killSignal: "SIGKILL" });
  } catch {
    return undefined;
  }
};

/** `nvpmodel -q` output ("NV Fan Mode:quiet\nNV Power Mode: 15W\n2") -> name and id. */
export function parseNvpmodel(text: string | undefined): Pick<JetsonPower, "powerMode" | "powerModeId"> {
  const lines = (text ?? "").split("\n").map((l) => l.trim());
  const i = lines.findIndex((l) => /^NV Power Mode\s*:/i.test(l));
  if (i < 0) return {};
  const out: Pick<JetsonPower, "powerMode" | "powerModeId"> = {};
  const name = lines[i]!.replace(/^NV Power Mode\s*:/i, "").trim();
  if (name) out.powerMode = name.slice(0, 128);
  const id = lines.slice(i + 1).find((l) => /^\d+$/.test(l));
  if (id !== undefined && Number(id) <= 1000) out.powerModeId = Number(id);
  return out;
}

export function isJetson(config: SysConfig): boolean {
  return exists(config, "/etc/nv_tegra_release") || readNulList(config, "/proc/device-tree/compatible").some((c) => c.startsWith("nvidia,tegra"));
}

/** True when every CPU policy and the GPU run with min = max; undefined when no CPU policy reads. */
export function clocksLocked(config: SysConfig): boolean | undefined {
  const pairs: Array<[number | undefined, number | undefined]> = [];
  const cpufreq = "/sys/devices/system/cpu/cpufreq";
  for (const p of listDir(config, cpufreq).filter((d) => /^policy\d+$/.test(d)))
    pairs.push([readInt(config, `${cpufreq}/${p}/scaling_min_freq`), readInt(config, `${cpufreq}/${p}/scaling_max_freq`)]);
  const cpuPairs = pairs.filter(([lo, hi]) => lo !== undefined && hi !== undefined);
  if (!cpuPairs.length) return undefined;
  for (const d of listDir(config, "/sys/class/devfreq").filter((n) => GPU_DEVFREQ.test(n)))
    cpuPairs.push([readInt(config, `/sys/class/devfreq/${d}/min_freq`), readInt(config, `/sys/class/devfreq/${d}/max_freq`)]);
  return cpuPairs.filter(([lo, hi]) => lo !== undefined && hi !== undefined).every(([lo, hi]) => lo === hi);
}

/** The Jetson power state, or undefined off a Jetson or when nothing could be read. */
export function detectJetsonPower(config: SysConfig & Pick<Config, "toolPath">, run: ToolRunner = runSync): JetsonPower | undefined {
  if (!isJetson(config)) return undefined;
  const out: JetsonPower = parseNvpmodel(run(resolveTool(config, "nvpmodel"), ["-q"], NVPMODEL_TIMEOUT_MS));
  const locked = clocksLocked(config);
  if (locked !== undefined) out.clocksLocked = locked;
  return Object.keys(out).length ? out : undefined;
}
