/**
 * Board and SoC identity (power-meters.md section 8): the device tree on ARM
 * boards (/proc/device-tree/model and compatible), DMI on x86, and the
 * Raspberry Pi revision code from /proc/cpuinfo when no device tree is there.
 */
import type { System } from "@edgebench/contract";
import { parseColonLines, readNulList, readText, type SysConfig } from "./read.js";

export type BoardInfo = System["board"];
export type SocInfo = NonNullable<System["soc"]>;

/** Raspberry Pi new-style revision code: type bits 4-11, memory bits 20-22, bit 23 = new style. */
const PI_TYPES: Record<number, string> = {
  4: "Raspberry Pi 2 Model B",
  8: "Raspberry Pi 3 Model B",
  13: "Raspberry Pi 3 Model B+",
  17: "Raspberry Pi 4 Model B",
  18: "Raspberry Pi Zero 2 W",
  19: "Raspberry Pi 400",
  20: "Raspberry Pi Compute Module 4",
  23: "Raspberry Pi 5",
  24: "Raspberry Pi Compute Module 5",
  25: "Raspberry Pi 500",
};
const PI_MEMORY_MB = [256, 512, 1024, 2048, 4096, 8192, 16384];

export interface PiRevision {
  code: string;
  type: number;
  model?: string;
  memoryMb?: number;
}

export function decodePiRevision(code: string): PiRevision | undefined {
  const n = Number.parseInt(code, 16);
  if (!Number.isFinite(n) || !(n & (1 << 23))) return undefined;
  const type = (n >> 4) & 0xff;
  return { code, type, model: PI_TYPES[type], memoryMb: PI_MEMORY_MB[(n >> 20) & 0x7] };
}

export function piRevisionFromCpuinfo(cpuinfo: string | undefined): PiRevision | undefined {
  const rev = cpuinfo ? parseColonLines(cpuinfo).find(([k]) => k === "Revision")?.[1] : undefined;
  return rev ? decodePiRevision(rev) : undefined;
}

/**
 * Board makers by device-tree compatible prefix. SoC vendors (rockchip, brcm) are
 * left out: vendor kernels often put the SoC maker first for someone else's board.
 */
const DT_VENDORS: Record<string, string> = {
  raspberrypi: "Raspberry Pi",
  nvidia: "NVIDIA",
  xunlong: "Xunlong (Orange Pi)",
  radxa: "Radxa",
  khadas: "Khadas",
  friendlyarm: "FriendlyElec",
  pine64: "Pine64",
  hardkernel: "Hardkernel",
};

const SOC_NAMES: Record<string, string> = {
  "rockchip,rk3588": "Rockchip RK3588",
  "rockchip,rk3588s": "Rockchip RK3588S",
  "rockchip,rk3566": "Rockchip RK3566",
  "rockchip,rk3568": "Rockchip RK3568",
  "nvidia,tegra234": "NVIDIA Tegra234 (Orin)",
  "nvidia,tegra194": "NVIDIA Tegra194 (Xavier)",
  "brcm,bcm2712": "Broadcom BCM2712",
  "brcm,bcm2711": "Broadcom BCM2711",
  "brcm,bcm2837": "Broadcom BCM2837",
  "amlogic,a311d": "Amlogic A311D",
};

/** DMI placeholders firmware vendors leave in place of real names. */
const DMI_JUNK =
  /^(to be filled by o\.e\.m\.|default string|system product name|system manufacturer|not applicable|none|o\.e\.m\.|oem|unknown|x\.x)$/i;
const dmi = (config: SysConfig, key: string) => {
  const v = readText(config, `/sys/class/dmi/id/${key}`);
  return v && !DMI_JUNK.test(v) ? v : undefined;
};

export function detectSoc(config: SysConfig): SocInfo | undefined {
  const compatible = readNulList(config, "/proc/device-tree/compatible");
  if (compatible.length === 0) return undefined;
  // The SoC is the most specific known entry; board entries come first in the list.
  const known = compatible.find((c) => SOC_NAMES[c]);
  return { name: known ? SOC_NAMES[known] : compatible[compatible.length - 1], compatible: compatible.slice(0, 16) };
}

export function detectBoard(config: SysConfig, cpuinfo?: string): BoardInfo {
  const dtModel = readText(config, "/proc/device-tree/model");
  if (dtModel) {
    const first = readNulList(config, "/proc/device-tree/compatible")[0];
    const vendor = first ? DT_VENDORS[first.split(",")[0]!] : undefined;
    return { name: dtModel.slice(0, 128), vendor, identifiedBy: "device-tree" };
  }
  const pi = piRevisionFromCpuinfo(cpuinfo);
  if (pi?.model) return { name: pi.model, vendor: "Raspberry Pi", identifiedBy: "rpi-revision" };
  const product = dmi(config, "product_name");
  const vendor = dmi(config, "sys_vendor") ?? dmi(config, "board_vendor");
  const boardName = dmi(config, "board_name");
  // Lenovo keeps the machine type in product_name and the model name in product_version.
  const lenovoName = vendor?.toUpperCase() === "LENOVO" ? dmi(config, "product_version") : undefined;
  const name = lenovoName ?? product ?? boardName;
  if (name) {
    return {
      name: (vendor && !name.toLowerCase().startsWith(vendor.toLowerCase()) ? `${vendor} ${name}` : name).slice(0, 128),
      vendor,
      identifiedBy: "dmi",
    };
  }
  return { name: "unknown board", identifiedBy: "unknown" };
}
