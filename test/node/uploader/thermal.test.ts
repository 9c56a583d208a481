/** Thermal and cpufreq capture against fixture trees, including a throttled RK3588. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { LIMITS, Thermal } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { ThermalSampler } from "../../../uploader/src/runner/thermal.js";
import { REPO_ROOT } from "../helpers/models.js";

const fixture = (name: string) => ({ sysRoot: path.join(REPO_ROOT, "test/fixtures/sysfs", name) });

describe("ThermalSampler", () => {
  it("Orange Pi 5 at its trip point with the A76 cluster held at 1.6 of 2.4 GHz: throttled", () => {
    const s = new ThermalSampler(fixture("orangepi5-rk3588"));
    s.start();
    const t = s.stop()!;
    expect(Thermal.parse(t)).toEqual(t);
    expect(t).toMatchObject({ maxTempC: 85.5, startTempC: 85.538, minCpuFreqMHz: 1608, maxCpuFreqMHz: 1800, throttled: true });
    expect(t.zones).toEqual(["soc-thermal", "bigcore0-thermal", "bigcore1-thermal", "littlecore-thermal"]);
  });

  it("Pi 5 below its limits: the fastest cores reach their maximum, not throttled", () => {
    const s = new ThermalSampler(fixture("pi5"));
    s.start();
    expect(s.stop()).toMatchObject({ maxTempC: 61.9, minCpuFreqMHz: 1500, maxCpuFreqMHz: 2400, throttled: false, zones: ["cpu-thermal"] });
  });

  it("samples while a test runs and sees a frequency drop in the middle", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-thermal-"));
    try {
      const cpu = path.join(root, "sys/devices/system/cpu/cpu0/cpufreq");
      const zone = path.join(root, "sys/class/thermal/thermal_zone0");
      fs.mkdirSync(cpu, { recursive: true });
      fs.mkdirSync(zone, { recursive: true });
      fs.writeFileSync(path.join(cpu, "cpuinfo_max_freq"), "2000000\n");
      fs.writeFileSync(path.join(cpu, "scaling_cur_freq"), "2000000\n");
      fs.writeFileSync(path.join(zone, "type"), "cpu-thermal\n");
      fs.writeFileSync(path.join(zone, "temp"), "50000\n");
      const s = new ThermalSampler({ sysRoot: root }, 20);
      s.start();
      await new Promise((r) => setTimeout(r, 60));
      fs.writeFileSync(path.join(cpu, "scaling_cur_freq"), "1200000\n");
      fs.writeFileSync(path.join(zone, "temp"), "72500\n");
      await new Promise((r) => setTimeout(r, 60));
      fs.writeFileSync(path.join(cpu, "scaling_cur_freq"), "2000000\n");
      const t = s.stop()!;
      expect(t).toMatchObject({ startTempC: 50, maxTempC: 72.5, minCpuFreqMHz: 1200, maxCpuFreqMHz: 2000, throttled: false });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("records the series over a test: a zone that climbs, a cluster whose clock falls, big and little clusters apart", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-thermal-series-"));
    try {
      const zone = path.join(root, "sys/class/thermal/thermal_zone0");
      fs.mkdirSync(zone, { recursive: true });
      fs.writeFileSync(path.join(zone, "type"), "soc-thermal\n");
      fs.writeFileSync(path.join(zone, "temp"), "45000\n");
      // A big.LITTLE board: cpu0-1 little (1.8 GHz max), cpu2-3 big (2.4 GHz max) under the schedutil governor.
      for (const [cpu, max] of [
        [0, 1800000],
        [1, 1800000],
        [2, 2400000],
        [3, 2400000],
      ] as const) {
        const dir = path.join(root, `sys/devices/system/cpu/cpu${cpu}/cpufreq`);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, "cpuinfo_max_freq"), `${max}\n`);
        fs.writeFileSync(path.join(dir, "scaling_cur_freq"), `${max}\n`);
        fs.writeFileSync(path.join(dir, "scaling_governor"), "schedutil\n");
      }
      const s = new ThermalSampler({ sysRoot: root }, 10);
      s.start();
      // The board heats up and the big cluster is held back, step by step.
      for (const [temp, big] of [
        [55000, 2400000],
        [70000, 2000000],
        [85000, 1600000],
      ] as const) {
        await new Promise((r) => setTimeout(r, 60));
        fs.writeFileSync(path.join(zone, "temp"), `${temp}\n`);
        for (const cpu of [2, 3]) fs.writeFileSync(path.join(root, `sys/devices/system/cpu/cpu${cpu}/cpufreq/scaling_cur_freq`), `${big}\n`);
      }
      await new Promise((r) => setTimeout(r, 60));
      const t = s.stop()!;
      expect(Thermal.parse(t)).toEqual(t);
      const series = t.series!;
      expect(series.tMs.length).toBeGreaterThan(8);
      expect(series.tMs).toEqual([...series.tMs].sort((a, b) => a - b));
      expect(series.maxTempC![0]).toBe(45);
      expect(series.maxTempC!.at(-1)).toBe(85);
      expect(new Set(series.maxTempC)).toEqual(new Set([45, 55, 70, 85]));
      expect(series.clusters!.map((c) => [c.cpus, c.maxMHz, c.governor])).toEqual([
        [[0, 1], 1800, "schedutil"],
        [[2, 3], 2400, "schedutil"],
      ]);
      expect(new Set(series.clusters![0]!.mhz)).toEqual(new Set([1800]));
      expect(series.clusters![1]!.mhz[0]).toBe(2400);
      expect(series.clusters![1]!.mhz.at(-1)).toBe(1600);
      expect(t.throttled).toBe(false); // the big cluster reached its maximum at the start
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("bounds a long test's series to the trace limit, averaging consecutive samples", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-thermal-long-"));
    try {
      const zone = path.join(root, "sys/class/thermal/thermal_zone0");
      fs.mkdirSync(zone, { recursive: true });
      fs.writeFileSync(path.join(zone, "temp"), "40000\n");
      const s = new ThermalSampler({ sysRoot: root }, 1);
      s.start();
      await new Promise((r) => setTimeout(r, 1500));
      const t = s.stop()!;
      expect(t.series!.tMs.length).toBeLessThanOrEqual(LIMITS.maxTracePoints);
      expect(t.series!.tMs.length).toBeGreaterThan(100);
      expect(new Set(t.series!.maxTempC)).toEqual(new Set([40]));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("a machine without thermal zones or cpufreq: nothing recorded (not measured)", () => {
    const s = new ThermalSampler({ sysRoot: path.join(REPO_ROOT, "test/fixtures/sysfs/does-not-exist") });
    expect(s.available).toBe(false);
    s.start();
    expect(s.stop()).toBeUndefined();
  });
});
