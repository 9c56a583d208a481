/**
 * The board's thermal zones (/sys/class/thermal/thermal_zoneN), found and
 * read one way for every part that uses them: the per-test thermal series and
 * the cooldown between tests. A zone whose sensor reports a value no board
 * reaches (some read -273 °C or 0x7fff when switched off) is not read, so it
 * neither sets a test's peak nor holds up a cooldown.
 */
import { listDir, readInt, readText, type SysConfig } from "./read.js";

export interface ThermalZone {
  /** thermal_zoneN */
  dir: string;
  /** The kernel's name for it (cpu-thermal, gpu-thermal, ...). */
  type: string;
  tempPath: string;
  /** The lowest passive or critical trip point, °C. */
  tripC?: number;
}

/** °C of a zone now, or undefined when it cannot be read or reads outside -60 to 200 °C. */
export function readZoneC(config: SysConfig, zone: Pick<ThermalZone, "tempPath">): number | undefined {
  const milli = readInt(config, zone.tempPath);
  return milli !== undefined && milli > -60_000 && milli < 200_000 ? milli / 1000 : undefined;
}

/** The zones that can be read now, with their trip points. */
export function findThermalZones(config: SysConfig): ThermalZone[] {
  return listDir(config, "/sys/class/thermal")
    .filter((d) => /^thermal_zone\d+$/.test(d))
    .map((dir) => {
      const base = `/sys/class/thermal/${dir}`;
      let tripC: number | undefined;
      for (let i = 0; i < 16; i++) {
        const type = readText(config, `${base}/trip_point_${i}_type`);
        if (!type) break;
        const t = readInt(config, `${base}/trip_point_${i}_temp`);
        if ((type === "passive" || type === "critical") && t !== undefined && t > 0) tripC = Math.min(tripC ?? Infinity, t / 1000);
      }
      return { dir, type: readText(config, `${base}/type`) ?? dir, tempPath: `${base}/temp`, ...(tripC !== undefined ? { tripC } : {}) };
    })
    .filter((z) => readZoneC(config, z) !== undefined);
}
