/**
 * The conditions a result ran under, which change results as much as the
 * hardware: the cooling and the room temperature as the contributor declares
 * them (nothing on a board can tell a fan from a heatsink), and whether a
 * battery device ran on its charger, on battery or neither, read from
 * /sys/class/power_supply (phones and laptops throttle differently on
 * battery, and charging heats the device).
 */
import type { Conditions } from "@edgebench/contract";
import { batteryNames, batteryStatus } from "./batteries.js";
import type { SysConfig } from "./read.js";

/** "charging", "battery", "mains" (a battery that is full or held on the charger), or undefined without a battery. */
export function detectPowerSource(config: SysConfig): Conditions["powerSource"] {
  let seen: Conditions["powerSource"];
  for (const name of batteryNames(config)) {
    const status = batteryStatus(config, name);
    if (status === "Discharging") return "battery";
    if (status === "Charging") seen = "charging";
    else if (status === "Full" || status === "Not charging") seen ??= "mains";
  }
  return seen;
}

export interface DeclaredConditions {
  cooling?: Conditions["cooling"];
  ambientC?: number;
}

/** The document's conditions block, or undefined when nothing is known. */
export function detectConditions(config: SysConfig, declared: DeclaredConditions = {}): Conditions | undefined {
  const out: Conditions = {};
  if (declared.cooling) out.cooling = declared.cooling;
  if (declared.ambientC !== undefined) out.ambientC = declared.ambientC;
  const source = detectPowerSource(config);
  if (source) out.powerSource = source;
  return Object.keys(out).length ? out : undefined;
}
