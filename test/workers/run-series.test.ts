/**
 * What a test's run chart plots, read from the document: CPU clusters and
 * devfreq clocks, the hottest zone, the windows' rates, and the throttled
 * spans by the contract's rule.
 */
import type { TestResult, Thermal } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { heldBackSpans, testChart } from "../../leaderboard/components/run-series.js";

function sustained(series: NonNullable<Thermal["series"]>): TestResult {
  return {
    name: "sustained",
    kind: "sustained",
    nPrompt: 0,
    nGen: 40,
    depth: 0,
    status: "ok",
    samplesNs: [4e9],
    windows: { ms: 1000, tokens: [12, 10, 10, 8] },
    thermal: { series },
  };
}

describe("run chart series", () => {
  it("plots CPU clusters and devfreq clocks together, the hottest of the zones, and the windows at their middles", () => {
    const t = sustained({
      tMs: [0, 2000, 4000],
      clusters: [{ cpus: [0, 1], maxMHz: 2000, governor: "schedutil", mhz: [2000, 2000, 2000] }],
      devfreq: [{ name: "fb000000.gpu", maxMHz: 1000, governor: "simple_ondemand", mhz: [1000, 800, 600] }],
      zones: [
        { type: "cpu-thermal", c: [50, 60, 70] },
        { type: "gpu-thermal", c: [55, 58, 72] },
      ],
    });
    const { panels, shaded } = testChart(t);
    expect(panels.map((p) => p.key)).toEqual(["rate", "clock", "temperature"]);
    const [rate, clock, temp] = panels;
    expect(rate!.series[0]).toEqual({ label: "generation rate", tS: [0.5, 1.5, 2.5, 3.5], values: [12, 10, 10, 8] });
    expect(clock!.series.map((s) => s.label)).toEqual(["CPU 0,1 (max 2,000 MHz, schedutil)", "fb000000.gpu (max 1,000 MHz, simple_ondemand)"]);
    expect(clock!.series[1]!.tS).toEqual([0, 2, 4]);
    expect(temp!.series[0]!.values).toEqual([55, 60, 72]);
    // A GPU clock falling is its governor following its load (idle in a CPU run), not throttling: nothing shaded.
    expect(shaded).toEqual([]);
    // A CPU cluster falling below 90 % of its peak is: from midway to that sample until the last one.
    const held = sustained({ tMs: [0, 2000, 4000], clusters: [{ cpus: [0, 1], maxMHz: 2000, mhz: [2000, 1900, 1700] }] });
    expect(testChart(held).shaded).toEqual([{ fromS: 3, toS: 4 }]);
  });

  it("shades samples with a throttle bit set, and draws nothing for a test without series", () => {
    expect(heldBackSpans({ series: { tMs: [0, 1000, 2000, 3000], throttleBits: [0, 4, 1, 0] } })).toEqual([{ fromS: 0.5, toS: 1.5 }]);
    const plain: TestResult = { name: "tg128", kind: "tg", nPrompt: 0, nGen: 128, depth: 0, status: "ok", samplesNs: [1e9] };
    expect(testChart(plain).panels).toEqual([]);
  });
});
