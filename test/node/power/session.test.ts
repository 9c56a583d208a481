/** The session as the runner uses it: auto pick order, idle baseline, bounded traces, no meter at all. */

import { LIMITS, Meter, TestEnergy } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { detectMeters, openPowerSession } from "../../../uploader/src/power/index.js";
import { FIXTURE_BIN, now, sleep, testConfig, useTrees } from "./helpers.js";

const tree = useTrees();

const EVERYTHING = {
  "sys/class/powercap/intel-rapl:0/name": "package-0",
  "sys/class/powercap/intel-rapl:0/energy_uj": "123456",
  "sys/class/powercap/intel-rapl:0/max_energy_range_uj": "262143328850",
  "sys/class/hwmon/hwmon1/name": "ina226",
  "sys/class/hwmon/hwmon1/power1_input": "2450000",
  "sys/bus/i2c/drivers/ina3221/1-0040/hwmon/hwmon3/in1_label": "VDD_IN",
  "sys/bus/i2c/drivers/ina3221/1-0040/hwmon/hwmon3/in1_input": "5000",
  "sys/bus/i2c/drivers/ina3221/1-0040/hwmon/hwmon3/curr1_input": "1000",
};

describe("power session", () => {
  it("auto records every available meter, widest scope first (GPU before CPU package when offloading)", async () => {
    const root = tree(EVERYTHING);
    const found = await detectMeters(testConfig(root, [FIXTURE_BIN]));
    expect(found.map((m) => `${m.spec}/${m.scope}`)).toEqual([
      "hwmon:ina226/board-input",
      "jetson/module-input",
      "rpi5-pmic/soc-rails",
      "nvml/accelerator",
      "rapl/cpu-package",
    ]);
    const cpu = await openPowerSession({ config: testConfig(root, [FIXTURE_BIN]), gpuOffload: false });
    try {
      expect(cpu.meters.map((m) => m.kind)).toEqual(["hwmon", "jetson-ina3221", "rpi5-pmic", "rapl", "nvml"]);
      cpu.meters.forEach((m) => {
        Meter.parse(m);
      });
      expect(cpu.note).toBeUndefined();
    } finally {
      await cpu.close();
    }
  });

  it("measures the idle baseline (0 skips) and keeps traces within LIMITS.maxTracePoints", async () => {
    const root = tree({ "sys/class/hwmon/hwmon1/name": "ina226", "sys/class/hwmon/hwmon1/power1_input": "2450000" });
    const power = await openPowerSession({ config: testConfig(root, []), rateHz: 400 });
    try {
      await power.measureIdle(0);
      expect(power.meters[0]!.idle).toBeUndefined();
      await power.measureIdle(1);
      expect(power.meters[0]!.idle).toMatchObject({ watts: 2.45, seconds: expect.closeTo(1, 1) });
      expect(power.meters[0]!.idle!.samples).toBeGreaterThan(100);
      Meter.parse(power.meters[0]);

      const reps = [];
      for (let i = 0; i < 3; i++) {
        const startNs = now();
        await sleep(1600);
        reps.push({ startNs, endNs: now() });
      }
      await power.settle(reps.at(-1)!.endNs);
      const [e] = power.testEnergy(reps);
      TestEnergy.parse(e);
      expect(e!.status).toBe("measured");
      expect(e!.samples).toBeGreaterThan(LIMITS.maxTracePoints);
      expect(e!.trace!.tMs.length).toBeLessThanOrEqual(LIMITS.maxTracePoints);
      expect(e!.trace!.w.every((w) => w === 2.45)).toBe(true);
      expect(e!.trace!.tMs[0]).toBeLessThan(20);
      expect(e!.trace!.tMs.at(-1)).toBeGreaterThan(4500);
      expect(e!.joulesPerRep).toHaveLength(3);
      // An empty test (no repetitions) is not a zero.
      expect(power.testEnergy([])[0]).toMatchObject({ status: "unavailable", reason: expect.stringMatching(/no timed repetitions/) });
    } finally {
      await power.close();
    }
  });

  it("a repetition too short for its meter is flagged, not reported", async () => {
    const root = tree({ "sys/class/hwmon/hwmon1/name": "ina226", "sys/class/hwmon/hwmon1/power1_input": "2450000" });
    const power = await openPowerSession({ config: testConfig(root, []) });
    try {
      await sleep(200);
      const startNs = now();
      await sleep(150); // 150 ms at 10 Hz: one or two readings, fewer than 4
      const [e] = power.testEnergy([{ startNs, endNs: now() }]);
      expect(e).toMatchObject({ status: "insufficient-samples", reason: expect.stringMatching(/needs at least 4 per repetition/) });
      expect(e!.joulesPerRep).toBeUndefined();
    } finally {
      await power.close();
    }
  });

  it("no meter at all: meters = [] and a note; energy lists stay empty, never zeros", async () => {
    const root = tree();
    const power = await openPowerSession({ meterSpecs: ["auto"], config: testConfig(root, []) });
    expect(power.meters).toEqual([]);
    expect(power.note).toMatch(/^Energy not measured: no usable power meter was found/);
    await power.measureIdle(0.1);
    expect(power.testEnergy([{ startNs: now(), endNs: now() + 1_000_000n }])).toEqual([]);
    await power.close();
  });
});
