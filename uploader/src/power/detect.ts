/**
 * Meters this machine has on its own (no host or device to name): RAPL,
 * hwmon, Jetson INA3221, Raspberry Pi 5 PMIC, battery, NVIDIA GPUs. Smart
 * plugs, USB meters, cmd: and csv: are only used when named with --meter.
 */
import type { Config } from "../config.js";
import { detectBattery } from "./meters/battery.js";
import { detectHwmon } from "./meters/hwmon.js";
import { detectJetson } from "./meters/jetson.js";
import { detectNvml } from "./meters/nvml.js";
import { detectRapl } from "./meters/rapl.js";
import { detectRpi5Pmic } from "./meters/rpi5-pmic.js";
import { rankScope } from "./scope.js";
import type { DetectedMeter, MeterCandidate, MeterContext } from "./types.js";

export const DEFAULT_RATE_HZ = 10;
export const DEFAULT_TIMEOUT_MS = 2000;

export function meterContext(config: Config, extra: Partial<MeterContext> = {}): MeterContext {
  return {
    config,
    rateHz: DEFAULT_RATE_HZ,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    clock: { hrNs: process.hrtime.bigint(), wallMs: Date.now() },
    ...extra,
  };
}

/** Every local meter found, widest scope first; unavailable ones carry the reason. */
export async function detectCandidates(ctx: MeterContext, gpuOffload = true): Promise<MeterCandidate[]> {
  // A local --scope override is for the meter it names, not for everything found.
  const local = { ...ctx, scope: undefined };
  const found = (
    await Promise.all([detectRapl(local), detectHwmon(local), detectJetson(local), detectRpi5Pmic(local), detectBattery(local), detectNvml(local)])
  ).flat();
  return found
    .map((m, i) => ({ m, i }))
    .sort((a, b) => rankScope(a.m.scope, gpuOffload) - rankScope(b.m.scope, gpuOffload) || a.i - b.i)
    .map(({ m }) => m);
}

/** For `edgebench meters` and the automatic pick. */
export async function detectMeters(config: Config): Promise<DetectedMeter[]> {
  return (await detectCandidates(meterContext(config))).map(({ open: _open, ...m }) => m);
}
