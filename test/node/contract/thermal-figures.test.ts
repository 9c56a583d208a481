/** throttleOnsetMs and peakTempC read off a thermal block, and the schema's bounds on the new series. */
import { Conditions, LIMITS, peakTempC, Thermal, throttleOnsetMs } from "@edgebench/contract";
import { describe, expect, it } from "vitest";

const cluster = (mhz: number[], maxMHz = 2400) => ({ cpus: [4, 5, 6, 7], maxMHz, governor: "schedutil", mhz });

describe("throttleOnsetMs", () => {
  it("is the first point whose throttle bits say capped, throttled or at the soft limit", () => {
    const t: Thermal = { series: { tMs: [0, 250, 500, 750], throttleBits: [0, 1, 8, 4], clusters: [cluster([2400, 2400, 2400, 2400])] } };
    // Bit 0 (under-voltage) alone does not hold the clocks back.
    expect(throttleOnsetMs(t)).toBe(500);
  });

  it("is the first point a cluster runs below 90 % of the highest clock it had reached", () => {
    const t: Thermal = {
      series: {
        tMs: [0, 250, 500, 750, 1000],
        // The idle clock at the start instant is not a fall; 2200 MHz is 91.7 % of 2400, 2100 MHz 87.5 %.
        clusters: [cluster([1800, 1800, 1800, 1800, 1800], 1800), cluster([600, 2400, 2200, 2100, 1600])],
      },
    };
    expect(throttleOnsetMs(t)).toBe(750);
  });

  it("does not call a clock held below the listed maximum throttling (a power mode, an x86 boost clock)", () => {
    // A Jetson in a 15 W mode runs its A78AE cores at 1.5 GHz of 2.2 GHz listed, steadily.
    const capped: Thermal = { series: { tMs: [0, 250, 500, 750], clusters: [cluster([729, 1510, 1510, 1498], 2201)] } };
    expect(throttleOnsetMs(capped)).toBeNull();
  });

  it("takes whichever comes first, the flag or the clock", () => {
    const t: Thermal = { series: { tMs: [0, 100, 200], throttleBits: [0, 0, 2], clusters: [cluster([2400, 2000, 1500])] } };
    expect(throttleOnsetMs(t)).toBe(100);
    expect(throttleOnsetMs({ series: { tMs: [0, 100], throttleBits: [4, 4] } })).toBe(0);
  });

  it("is null when never throttled, or without a series", () => {
    expect(throttleOnsetMs({ series: { tMs: [0, 250], throttleBits: [1, 1], clusters: [cluster([2400, 2300])] } })).toBeNull();
    expect(throttleOnsetMs({ maxTempC: 90, throttled: true })).toBeNull();
    // Without a listed maximum the clock's own fall still counts.
    expect(throttleOnsetMs({ series: { tMs: [0, 250], clusters: [{ cpus: [0], mhz: [100, 100] }] } })).toBeNull();
    expect(throttleOnsetMs({ series: { tMs: [0, 250, 500], clusters: [{ cpus: [0], mhz: [1000, 1000, 800] }] } })).toBe(500);
  });
});

describe("peakTempC", () => {
  it("is the hottest reading of any zone in any sample", () => {
    expect(peakTempC({ maxTempC: 71.2 })).toBe(71.2);
    expect(
      peakTempC({
        maxTempC: 71.2,
        series: {
          tMs: [0, 250],
          maxTempC: [70, 71.2],
          zones: [
            { type: "soc-thermal", c: [70, 71.2] },
            { type: "gpu-thermal", c: [65, 69] },
          ],
        },
      }),
    ).toBe(71.2);
    expect(peakTempC({ series: { tMs: [0, 250], zones: [{ type: "cpu-thermal", c: [55, 58.5] }] } })).toBe(58.5);
  });

  it("is null when no temperature was read", () => {
    expect(peakTempC({ minCpuFreqMHz: 1000, maxCpuFreqMHz: 2000 })).toBeNull();
    expect(peakTempC({ series: { tMs: [0, 250] } })).toBeNull();
  });
});

describe("Thermal schema: the added series", () => {
  const full: Thermal = {
    maxTempC: 80.5,
    throttled: true,
    throttleWord: 0xe000e,
    series: {
      tMs: [0, 250],
      zones: [{ type: "soc-thermal", c: [45, 80.5] }],
      devfreq: [{ name: "fb000000.gpu", maxMHz: 1000, governor: "simple_ondemand", mhz: [1000, 300] }],
      throttleBits: [0, 14],
      battery: { name: "BAT0", status: "Discharging", capacityPct: [80, 78], capacityStepPct: 1, energyUWh: [40e6, 39e6] },
    },
  };

  it("validates a block with every new field, and an older block without them", () => {
    expect(Thermal.parse(full)).toEqual(full);
    const old = { maxTempC: 60, startTempC: 50, throttled: false, zones: ["cpu-thermal"], series: { tMs: [0, 250], maxTempC: [50, 60] } };
    expect(Thermal.parse(old)).toEqual(old);
  });

  it("enforces the bounds", () => {
    const bad = (series: object) => Thermal.safeParse({ ...full, series: { ...full.series, ...series } }).success;
    const zone = { type: "z", c: [1, 2] };
    const dev = { name: "d", mhz: [1, 2] };
    expect(bad({ zones: Array.from({ length: 16 }, () => zone) })).toBe(true);
    expect(bad({ zones: Array.from({ length: 17 }, () => zone) })).toBe(false);
    expect(bad({ devfreq: Array.from({ length: 17 }, () => dev) })).toBe(false);
    expect(bad({ devfreq: [{ name: "d", mhz: new Array(LIMITS.maxTracePoints + 1).fill(1) }] })).toBe(false);
    expect(bad({ zones: [{ type: "z", c: [201] }] })).toBe(false);
    expect(bad({ throttleBits: [16] })).toBe(false);
    expect(bad({ throttleBits: [0.5] })).toBe(false);
    expect(bad({ battery: { name: "BAT0", capacityPct: [101] } })).toBe(false);
    expect(bad({ battery: { name: "BAT0", capacityPct: [50], unknown: 1 } })).toBe(false);
    expect(Thermal.safeParse({ ...full, throttleWord: 0x100000 }).success).toBe(false);
  });

  it("accepts the Jetson power state in the conditions", () => {
    const c = { powerSource: "mains" as const, jetson: { powerMode: "MAXN_SUPER", powerModeId: 2, clocksLocked: true } };
    expect(Conditions.parse(c)).toEqual(c);
    expect(Conditions.safeParse({ jetson: { powerModeId: -1 } }).success).toBe(false);
    expect(Conditions.safeParse({ jetson: { fanMode: "quiet" } }).success).toBe(false);
  });
});
