/**
 * Battery discharge power from /sys/class/power_supply (power-meters.md
 * section 5): power_now (uW) if present, else |current_now (uA)| * voltage_now (uV)
 * (some drivers report discharge current as negative). Only valid while the
 * status is Discharging: on a charger the battery sees charge current, not
 * the load, so a reading then is refused and the window is "unavailable".
 */
import { sysPath } from "../../config.js";
import { join, listDir, readText, readTextOr } from "../sysfs.js";
import type { MeterCandidate, MeterContext, PolledSource } from "../types.js";

const SUPPLY = "/sys/class/power_supply";

async function readWatts(dir: string): Promise<number> {
  const status = await readText(join(dir, "status"));
  if (status !== "Discharging")
    throw new Error(`battery ${dir.split("/").pop()} is not discharging (status: ${status}); battery power only measures the load on battery`);
  const p = await readTextOr(join(dir, "power_now"));
  if (p !== undefined && p !== "") return Math.abs(Number(p)) / 1e6;
  const i = Number(await readText(join(dir, "current_now")));
  const v = Number(await readText(join(dir, "voltage_now")));
  if (!Number.isFinite(i) || !Number.isFinite(v)) throw new Error(`battery ${dir}: current_now/voltage_now unreadable`);
  return (Math.abs(i) * v) / 1e12;
}

export async function detectBattery(ctx: MeterContext): Promise<MeterCandidate[]> {
  const root = sysPath(ctx.config, SUPPLY);
  const out: MeterCandidate[] = [];
  for (const name of await listDir(root)) {
    const dir = join(root, name);
    if ((await readTextOr(join(dir, "type"))) !== "Battery") continue;
    const hasPower = (await readTextOr(join(dir, "power_now"))) !== undefined;
    const hasIV = (await readTextOr(join(dir, "current_now"))) !== undefined && (await readTextOr(join(dir, "voltage_now"))) !== undefined;
    if (!hasPower && !hasIV) continue;
    const info = {
      spec: out.length ? `battery:${name}` : "battery",
      kind: "battery",
      // On battery the battery feeds the whole device: its input.
      scope: ctx.scope ?? ("board-input" as const),
      method: "sampled" as const,
      label: `${SUPPLY}/${name} (${hasPower ? "power_now" : "current_now * voltage_now"})`,
    };
    const status = await readTextOr(join(dir, "status"));
    const source: PolledSource = { ...info, mode: "poll", read: () => readWatts(dir) };
    out.push({
      ...info,
      available: status === "Discharging",
      reason:
        status === "Discharging"
          ? undefined
          : `battery ${name} is not discharging (status: ${status ?? "unknown"}): unplug the charger to measure on battery`,
      open: async () => source,
    });
  }
  return out;
}

export async function batteryFromSpec(ctx: MeterContext, arg: string): Promise<MeterCandidate | undefined> {
  const all = await detectBattery(ctx);
  return arg ? all.find((c) => c.label?.includes(`/${arg} `)) : all[0];
}
