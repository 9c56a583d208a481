/**
 * Intel/AMD RAPL through powercap (power-meters.md section 1).
 * /sys/class/powercap/intel-rapl:N/{name,energy_uj,max_energy_range_uj}: one
 * top-level zone per package (AMD Zen too since Linux 5.11). The meter is the
 * sum of the package zones; sub-zones (core, uncore, dram) lie inside a package
 * or beside it and are not added. "psys" (platform) overlaps the packages and
 * is left out of the sum.
 */
import { sysPath } from "../../config.js";
import { Unwrapper } from "../counter.js";
import { errnoOf } from "../errors.js";
import { Attr, join, listDir, readNumber, readTextOr } from "../sysfs.js";
import type { MeterCandidate, MeterContext, PolledSource } from "../types.js";

interface Zone {
  dir: string;
  name: string;
  energyFile: string;
  rangeUj: number | undefined;
}

const POWERCAP = "/sys/class/powercap";

export function raplPermissionMessage(file: string): string {
  return (
    `RAPL energy counter ${file} is readable by root only (Linux 5.10+, CVE-2020-8694), so CPU package energy cannot be measured. ` +
    `Fix: run edgebench as root, or for this boot: sudo chmod 0444 /sys/class/powercap/intel-rapl:*/energy_uj, ` +
    `or for good: a udev rule /etc/udev/rules.d/99-rapl.rules with ` +
    `ACTION=="add", SUBSYSTEM=="powercap", KERNEL=="intel-rapl:*", RUN+="/bin/chmod 0444 /sys%p/energy_uj" ` +
    `(or with sysfsutils: mode class/powercap/intel-rapl:0/energy_uj = 0444 in /etc/sysfs.conf).`
  );
}

async function findZones(ctx: MeterContext): Promise<Zone[]> {
  const root = sysPath(ctx.config, POWERCAP);
  const zones: Zone[] = [];
  for (const entry of await listDir(root)) {
    // Top-level zones only: intel-rapl:0, not intel-rapl:0:1; the mmio twin duplicates the package.
    if (!/^intel-rapl:\d+$/.test(entry)) continue;
    const dir = join(root, entry);
    const name = (await readTextOr(join(dir, "name"))) ?? entry;
    if (name === "psys") continue;
    const range = await readTextOr(join(dir, "max_energy_range_uj"));
    zones.push({ dir, name, energyFile: join(dir, "energy_uj"), rangeUj: range ? Number(range) : undefined });
  }
  // Packages when named as such (the usual case), otherwise every top-level zone.
  const packages = zones.filter((z) => z.name.startsWith("package"));
  return packages.length ? packages : zones;
}

export async function detectRapl(ctx: MeterContext): Promise<MeterCandidate[]> {
  const zones = await findZones(ctx);
  if (zones.length === 0) return [];
  const base = {
    spec: "rapl",
    kind: "rapl",
    scope: ctx.scope ?? ("cpu-package" as const),
    method: "counter" as const,
    label: `powercap ${zones.map((z) => z.dir.split("/").pop()).join(", ")}`,
    rails: zones.map((z) => z.name),
  };
  for (const z of zones) {
    try {
      await readNumber(z.energyFile);
    } catch (err) {
      const code = errnoOf(err);
      const reason =
        code === "EACCES" || code === "EPERM"
          ? raplPermissionMessage(z.energyFile.replace(ctx.config.sysRoot, ""))
          : `cannot read ${z.energyFile}: ${String(err)}`;
      return [{ ...base, available: false, reason, open: () => Promise.reject(new Error(reason)) }];
    }
  }
  return [{ ...base, available: true, open: async () => openRapl(zones, base) }];
}

function openRapl(zones: Zone[], info: Omit<PolledSource, "mode" | "read">): PolledSource {
  // One unwrapper per zone: each package wraps at its own range.
  const unwrap = zones.map((z) => new Unwrapper(z.rangeUj, z.energyFile));
  const attrs = zones.map((z) => new Attr(z.energyFile));
  const toJoules = (raws: number[]) => raws.reduce((sum, raw, i) => sum + unwrap[i]!.next(raw), 0) / 1e6;
  return {
    ...info,
    mode: "poll",
    read: async () => toJoules(attrs.length === 1 ? [await attrs[0]!.read()] : await Promise.all(attrs.map((a) => a.read()))),
    readSync: () => toJoules(attrs.map((a) => a.readSync())),
    close: async () => {
      for (const a of attrs) a.close();
    },
  };
}
