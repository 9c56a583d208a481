/** NVIDIA GPUs through a fake nvidia-smi printing the real --format=csv,noheader,nounits shapes. */

import { TestEnergy } from "@edgebench/contract";
import { afterEach, describe, expect, it } from "vitest";
import { detectMeters, openPowerSession } from "../../../uploader/src/power/index.js";
import { parseSmiList, parseSmiTimestamp, smiNumber, TickClock } from "../../../uploader/src/power/meters/nvml.js";
import { FIXTURE_BIN, makeTree, now, rmTree, sleep, testConfig } from "./helpers.js";

let roots: string[] = [];
afterEach(() => {
  roots.forEach(rmTree);
  roots = [];
  delete process.env.FAKE_NVSMI_ENERGY;
  delete process.env.FAKE_NVSMI_POWER;
  delete process.env.FAKE_NVSMI_DIE_AFTER;
});
const config = () => {
  const root = makeTree({});
  roots.push(root);
  return testConfig(root, [FIXTURE_BIN]);
};

async function window(seconds: number) {
  const startNs = now();
  await sleep(seconds * 1000);
  return { startNs, endNs: now() };
}
const secs = (r: { startNs: bigint; endNs: bigint }) => Number(r.endNs - r.startNs) / 1e9;

describe("nvidia-smi fields", () => {
  it("reads numbers and refuses [N/A], [Not Supported] and friends", () => {
    expect(smiNumber(" 70.25")).toBe(70.25);
    expect(smiNumber("70.25 W")).toBe(70.25);
    expect(smiNumber("812345678")).toBe(812345678);
    expect(smiNumber(" [N/A]")).toBeNull();
    expect(smiNumber("[Not Supported]")).toBeNull();
    expect(smiNumber("[Unknown Error]")).toBeNull();
    expect(smiNumber("N/A")).toBeNull();
    expect(smiNumber("")).toBeNull();
    expect(parseSmiList("0, [Not Supported], 31.20, Tesla P4\n1, 123, [N/A], NVIDIA A2, rev 1\n")).toEqual([
      { index: 0, name: "Tesla P4", energyMj: null, powerW: 31.2 },
      { index: 1, name: "NVIDIA A2, rev 1", energyMj: 123, powerW: null },
    ]);
    expect(parseSmiTimestamp("2026/11/21 05:41:47.123")).toBe(new Date(2026, 10, 21, 5, 41, 47, 123).getTime());
  });
});

describe("dating nvidia-smi ticks", () => {
  it("uses the line timestamps with the smallest observed delay, not the jittery arrival times", () => {
    const clock = new TickClock();
    const wall0 = Date.now() + 1000;
    const hr0 = now() + 1_000_000_000n;
    // Ticks every 100 ms; the pipe/event loop delays them by 40, 5, 60, 2, 30 ms.
    const delays = [40, 5, 60, 2, 30];
    const placed = delays.map((d, k) => clock.place(wall0 + 100 * k, hr0 + BigInt((100 * k + d) * 1e6)));
    // From the 4th tick on the offset is known to within the 2 ms minimum delay.
    const rel = placed.map((t) => Number(t - hr0) / 1e6);
    expect(rel[3]).toBeCloseTo(302, 0);
    expect(rel[4]).toBeCloseTo(402, 0);
    // Never dated after it arrived; no timestamp: its arrival.
    rel.forEach((r, k) => {
      expect(r).toBeLessThanOrEqual(100 * k + delays[k]! + 1e-6);
    });
    expect(clock.place(null, hr0)).toBe(hr0);
  });
});

describe("NVML through nvidia-smi", () => {
  it("uses the total energy counter, summed over GPUs", async () => {
    const cfg = config();
    const found = await detectMeters(cfg);
    expect(found.find((m) => m.spec === "nvml")).toMatchObject({
      kind: "nvml",
      scope: "accelerator",
      method: "counter",
      rails: ["0: NVIDIA H100 80GB HBM3", "1: NVIDIA A2"],
      available: true,
    });
    const power = await openPowerSession({ meterSpecs: ["nvml"], config: cfg });
    try {
      expect(power.meters[0]).toMatchObject({ kind: "nvml", method: "counter", sampleRateHz: 10 });
      await sleep(400);
      const reps = [await window(1), await window(1)];
      await power.settle();
      const [e] = power.testEnergy(reps);
      TestEnergy.parse(e);
      expect(e!.status).toBe("measured");
      // 70 W + 30 W
      reps.forEach((r, i) => {
        expect(Math.abs(e!.joulesPerRep![i]! / (100 * secs(r)) - 1)).toBeLessThan(0.05);
      });
      expect(e!.achievedRateHz).toBeGreaterThan(5);
    } finally {
      await power.close();
    }
  });

  it('falls back to power.draw where the counter reads "[N/A]"', async () => {
    process.env.FAKE_NVSMI_ENERGY = "[N/A]";
    const cfg = config();
    const power = await openPowerSession({ meterSpecs: ["nvml"], config: cfg });
    try {
      expect(power.meters[0]).toMatchObject({ kind: "nvml", method: "sampled" });
      await sleep(300);
      const rep = await window(1.5);
      await power.settle();
      const [e] = power.testEnergy([rep]);
      expect(e!.status).toBe("measured");
      expect(e!.joulesPerRep![0]).toBeCloseTo(100 * secs(rep), 0);
      expect(e!.peakW).toBe(100);
    } finally {
      await power.close();
    }
  });

  it('a GPU with neither field ("[Not Supported]") is listed as unavailable', async () => {
    process.env.FAKE_NVSMI_ENERGY = "[Not Supported]";
    process.env.FAKE_NVSMI_POWER = "[Not Supported]";
    const found = await detectMeters(config());
    expect(found.find((m) => m.spec === "nvml")).toMatchObject({
      available: false,
      reason: expect.stringMatching(/neither total_energy_consumption nor power.draw/),
    });
  });

  it("nvidia-smi dying mid-run makes later tests unavailable with the reason; the session goes on", async () => {
    process.env.FAKE_NVSMI_DIE_AFTER = "12";
    const power = await openPowerSession({ meterSpecs: ["nvml"], config: config() });
    try {
      await sleep(250);
      const before = await window(0.5);
      // It dies after 12 ticks: 1.2 s at 10 Hz, later on a loaded machine where the fake prints slower.
      await sleep(3000);
      const after = await window(0.4);
      const [a] = power.testEnergy([before]);
      const [b] = power.testEnergy([after]);
      expect(a!.status).toBe("measured");
      expect(b).toMatchObject({ status: "unavailable", reason: expect.stringMatching(/nvidia-smi stopped \(exit 15\): .*GPU is lost/) });
    } finally {
      await power.close();
    }
  });
});
