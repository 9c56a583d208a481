/**
 * The batteries under /sys/class/power_supply (supplies of type Battery; a
 * charger is of type Mains or USB), for the power source a result ran on and
 * the battery series of each test.
 */
import { listDir, readText, type SysConfig } from "./read.js";

export const POWER_SUPPLY = "/sys/class/power_supply";

/** The battery supplies' directory names, in the kernel's order. */
export function batteryNames(config: SysConfig): string[] {
  return listDir(config, POWER_SUPPLY).filter((name) => readText(config, `${POWER_SUPPLY}/${name}/type`) === "Battery");
}

/** A battery's status as the kernel writes it: Charging, Discharging, Full, Not charging. */
export function batteryStatus(config: SysConfig, name: string): string | undefined {
  return readText(config, `${POWER_SUPPLY}/${name}/status`);
}
