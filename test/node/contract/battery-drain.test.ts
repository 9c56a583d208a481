/** batteryDrain: what a test cost a battery, from the fuel gauge series, with the gauge's resolution kept beside the figure. */
import { batteryDrain, computeMetrics, type TestResult } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { buildDocument } from "../../fixtures/documents.js";

type Battery = NonNullable<NonNullable<NonNullable<TestResult["thermal"]>["series"]>["battery"]>;

function test(nGen: number, battery: Battery): TestResult {
  const n = battery.capacityPct?.length ?? 2;
  return {
    name: "sustained",
    kind: "sustained",
    nPrompt: 0,
    nGen,
    depth: 0,
    status: "ok",
    samplesNs: [120e9],
    windows: { ms: 1000, tokens: [nGen] },
    thermal: { series: { tMs: Array.from({ length: n }, (_, i) => i * 1000), battery } },
  };
}

describe("batteryDrain", () => {
  it("gives percentage points per 1,000 tokens, one gauge step as its resolution, and joules from the energy counter", () => {
    const d = batteryDrain(
      test(2000, { name: "BAT0", status: "Discharging", capacityPct: [80, 79, 78], capacityStepPct: 1, energyUWh: [12e6, 11.9e6, 11.8e6] }),
    )!;
    expect(d.pctLost).toBe(2);
    expect(d.pctPer1kTokens).toBe(1);
    expect(d.pctPer1kResolution).toBe(0.5);
    // 0.2 Wh = 720 J over 2,000 tokens.
    expect(d.joulesPerToken).toBeCloseTo(0.36, 9);
  });

  it("takes joules from charge x mean voltage when the gauge counts charge", () => {
    const d = batteryDrain(
      test(1000, {
        name: "battery",
        status: "Discharging",
        capacityPct: [50, 49],
        chargeUAh: [2_000_000, 1_990_000],
        voltageUV: [3_900_000, 3_800_000],
      }),
    )!;
    // 10 mAh x 3.85 V = 38.5 mWh = 138.6 J.
    expect(d.joulesPerToken).toBeCloseTo(0.1386, 9);
  });

  it("says nothing on a charger, for a gauge that did not fall, or without readings", () => {
    expect(batteryDrain(test(1000, { name: "b", status: "Charging", capacityPct: [50, 49] }))).toBeNull();
    // Below one step the rate is unknown, not zero.
    expect(batteryDrain(test(1000, { name: "b", status: "Discharging", capacityPct: [50, 50] }))).toBeNull();
    expect(batteryDrain(test(1000, { name: "b", status: "Discharging", capacityPct: [50] }))).toBeNull();
    expect(batteryDrain(test(1000, { name: "b", status: "Discharging" }))).toBeNull();
  });

  it("ranks as battery_pct_per_1k only from the 120 s sustained test", () => {
    const doc = buildDocument({ tests: ["tg", "sustained"], batteryDrainPct: 3 });
    const run = doc.runs[0]!;
    const sustained = run.tests.find((t) => t.kind === "sustained")!;
    const figures = computeMetrics({ run, doc });
    expect(figures.battery_pct_per_1k?.value).toBeCloseTo((3 * 1000) / sustained.nGen, 12);
    sustained.windows!.tokens = sustained.windows!.tokens.slice(0, 60);
    sustained.nGen = sustained.windows!.tokens.reduce((a, b) => a + b, 0);
    expect(computeMetrics({ run, doc }).battery_pct_per_1k).toBeUndefined();
  });
});
