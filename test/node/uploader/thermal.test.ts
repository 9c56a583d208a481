/** Thermal and cpufreq capture against fixture trees, including a throttled RK3588. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Thermal } from "@edgebench/contract";
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

  it("a machine without thermal zones or cpufreq: nothing recorded (not measured)", () => {
    const s = new ThermalSampler({ sysRoot: path.join(REPO_ROOT, "test/fixtures/sysfs/does-not-exist") });
    expect(s.available).toBe(false);
    s.start();
    expect(s.stop()).toBeUndefined();
  });
});
