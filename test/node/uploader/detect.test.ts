/**
 * Detectors against fixture trees in the real formats (test/fixtures/sysfs/),
 * read through EDGEBENCH_SYSROOT-style prefixes: boards we do not have here.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { System } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import {
  decodePiRevision,
  detectConditions,
  detectPowerSource,
  detectSystem,
  parseCpuList,
  parseL4tRelease,
} from "../../../uploader/src/detect/index.js";
import { REPO_ROOT } from "../helpers/models.js";

const fixture = (name: string) => ({ sysRoot: path.join(REPO_ROOT, "test/fixtures/sysfs", name) });

describe("board, SoC, CPU, memory, OS and accelerators from fixture trees", () => {
  it("Raspberry Pi 5: device tree, BCM2712, 4x Cortex-A76, revision code", () => {
    const { system, piRevision } = detectSystem(fixture("pi5"));
    expect(System.parse(system)).toEqual(system);
    expect(system.board).toEqual({ name: "Raspberry Pi 5 Model B Rev 1.0", vendor: "Raspberry Pi", identifiedBy: "device-tree" });
    expect(system.soc).toEqual({ name: "Broadcom BCM2712", compatible: ["raspberrypi,5-model-b", "brcm,bcm2712"] });
    expect(system.cpu).toEqual({ model: "4x Cortex-A76", arch: "aarch64", cores: 4, threads: 4 });
    expect(system.memory.totalBytes).toBe(8245356 * 1024);
    expect(system.os).toEqual({ name: "Debian GNU/Linux 12 (bookworm)", kernel: "6.6.51+rpt-rpi-2712" });
    expect(system.accelerators).toEqual([]);
    expect(piRevision).toEqual({ code: "d04170", type: 0x17, model: "Raspberry Pi 5", memoryMb: 8192 });
  });

  it("Pi 5 with a Hailo AI HAT: the NPU is found by /dev/hailo0", () => {
    const { system } = detectSystem(fixture("pi5-hailo"));
    expect(system.accelerators).toEqual([{ kind: "npu", name: "Hailo-8/8L", driver: "hailo_pci", detectedBy: "/dev/hailo0" }]);
  });

  it("Jetson Orin Nano: tegra234, 6x Cortex-A78AE in two clusters, L4T release", () => {
    const { system } = detectSystem(fixture("jetson-orin-nano"));
    expect(System.parse(system)).toEqual(system);
    expect(system.board.name).toBe("NVIDIA Jetson Orin Nano Engineering Reference Developer Kit Super");
    expect(system.board.vendor).toBe("NVIDIA");
    expect(system.soc?.name).toBe("NVIDIA Tegra234 (Orin)");
    expect(system.cpu).toEqual({ model: "6x Cortex-A78AE", arch: "aarch64", cores: 6, threads: 6 });
    expect(system.os).toEqual({ name: "Ubuntu 22.04.5 LTS", kernel: "5.15.148-tegra", release: "L4T 36.4.3" });
  });

  it("Orange Pi 5 (RK3588S): big.LITTLE model string, 8 cores, the NPU from devfreq", () => {
    const { system } = detectSystem(fixture("orangepi5-rk3588"));
    expect(System.parse(system)).toEqual(system);
    // The vendor kernel lists "rockchip,rk3588s-orangepi-5" first: the SoC maker, not the board maker.
    expect(system.board).toEqual({ name: "Orange Pi 5", identifiedBy: "device-tree" });
    expect(system.soc?.name).toBe("Rockchip RK3588");
    expect(system.cpu).toEqual({ model: "4x Cortex-A55 + 4x Cortex-A76", arch: "aarch64", cores: 8, threads: 8 });
    expect(system.accelerators).toEqual([
      { kind: "npu", name: "Rockchip RK3588 NPU (max 1000 MHz)", driver: "rknpu", detectedBy: "sysfs devfreq fdab0000.npu" },
    ]);
  });

  it("x86 mini PC: DMI names, 4 cores / 8 threads from the topology, a USB Coral", () => {
    const { system } = detectSystem(fixture("x86-minipc-dmi"));
    expect(System.parse(system)).toEqual(system);
    expect(system.board).toEqual({ name: "Intel(R) Client Systems NUC11TNHi5", vendor: "Intel(R) Client Systems", identifiedBy: "dmi" });
    expect(system.soc).toBeUndefined();
    expect(system.cpu).toEqual({ model: "11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz", arch: "x86_64", cores: 4, threads: 8 });
    expect(system.os.name).toBe("Ubuntu 24.04.1 LTS");
    expect(system.accelerators).toEqual([{ kind: "tpu", name: "Google Coral Edge TPU (USB)", detectedBy: "usb 18d1:9302" }]);
  });

  it("Intel NPU laptop: accel0 driven by intel_vpu counts, accel1 (another driver) does not", () => {
    const { system } = detectSystem(fixture("intel-npu-laptop"));
    expect(System.parse(system)).toEqual(system);
    expect(system.board.name).toBe("LENOVO ThinkPad X1 Carbon Gen 12");
    expect(system.cpu).toEqual({ model: "Intel(R) Core(TM) Ultra 7 155H", arch: "x86_64", cores: 16, threads: 22 });
    expect(system.accelerators).toEqual([{ kind: "npu", name: "Intel NPU", driver: "intel_vpu", detectedBy: "/dev/accel/accel0" }]);
  });

  it("an empty root is 'not available' everywhere, never a crash", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-empty-root-"));
    try {
      const { system, sources } = detectSystem({ sysRoot: empty });
      expect(System.parse(system)).toEqual(system);
      expect(system.board).toEqual({ name: "unknown board", identifiedBy: "unknown" });
      expect(system.accelerators).toEqual([]);
      // Counts and RAM with /proc and /sys hidden: the kernel's own figures, never 1-core / 1-byte placeholders.
      expect(system.cpu.threads).toBe(os.availableParallelism());
      expect(system.cpu.cores).toBe(os.availableParallelism());
      expect(system.cpu.arch).toBe(os.machine());
      expect(system.memory.totalBytes).toBe(os.totalmem());
      expect(sources).toEqual({ memory: "sysinfo(2)", cpu: { threads: "sched_getaffinity(2)", cores: "one per logical CPU" } });
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it("says where memory and CPU counts came from when the files are readable", () => {
    expect(detectSystem(fixture("pi5")).sources).toEqual({ memory: "/proc/meminfo", cpu: { threads: "sysfs cpu list", cores: "sysfs topology" } });
  });

  it("a declared board name wins and is marked declared", () => {
    const { system } = detectSystem(fixture("pi5"), { boardName: "Pi 5 in an Argon case" });
    expect(system.board).toEqual({ name: "Pi 5 in an Argon case", identifiedBy: "declared" });
  });
});

describe("parsers", () => {
  it("Raspberry Pi revision codes (new style only)", () => {
    expect(decodePiRevision("c03111")).toMatchObject({ model: "Raspberry Pi 4 Model B", memoryMb: 4096 });
    expect(decodePiRevision("e04171")).toMatchObject({ model: "Raspberry Pi 5", memoryMb: 16384 });
    expect(decodePiRevision("a02082")).toMatchObject({ model: "Raspberry Pi 3 Model B", memoryMb: 1024 });
    expect(decodePiRevision("0010")).toBeUndefined(); // old-style code: bit 23 clear
  });
  it("L4T release line and CPU lists", () => {
    expect(parseL4tRelease("# R35 (release), REVISION: 6.0, GCID: 35084178, BOARD: t186ref")).toBe("L4T 35.6.0");
    expect(parseL4tRelease("garbage")).toBeUndefined();
    expect(parseCpuList("0-3,6,8-9")).toEqual([0, 1, 2, 3, 6, 8, 9]);
  });
});

describe("conditions", () => {
  it("the power source from /sys/class/power_supply, declared cooling and room temperature as given, nothing guessed", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-conditions-"));
    try {
      const bat = path.join(root, "sys/class/power_supply/BAT0");
      const ac = path.join(root, "sys/class/power_supply/AC");
      fs.mkdirSync(bat, { recursive: true });
      fs.mkdirSync(ac, { recursive: true });
      fs.writeFileSync(path.join(ac, "type"), "Mains\n");
      fs.writeFileSync(path.join(bat, "type"), "Battery\n");
      const with_ = (status: string) => {
        fs.writeFileSync(path.join(bat, "status"), `${status}\n`);
        return detectPowerSource({ sysRoot: root });
      };
      expect(with_("Discharging")).toBe("battery");
      expect(with_("Charging")).toBe("charging");
      expect(with_("Full")).toBe("mains");
      expect(with_("Not charging")).toBe("mains");
      expect(detectConditions({ sysRoot: root }, { cooling: "fan", ambientC: 23.5 })).toEqual({
        cooling: "fan",
        ambientC: 23.5,
        powerSource: "mains",
      });
      // A board without a battery and nothing declared: no conditions block at all.
      expect(detectSystem(fixture("pi5")).system.conditions).toBeUndefined();
      expect(detectSystem(fixture("pi5"), { declared: { cooling: "heatsink" } }).system.conditions).toEqual({ cooling: "heatsink" });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
