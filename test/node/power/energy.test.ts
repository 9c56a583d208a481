/** Energy integration against hand-computed figures (energy.ts, counter.ts). */
import { describe, expect, it } from "vitest";
import { Unwrapper } from "../../../uploader/src/power/counter.js";
import { countIn, downsample, powerPoints, type Series, valueAt, windowEnergy } from "../../../uploader/src/power/energy.js";

const S = 1e9; // ns per second
const series = (pts: Array<[number, number]>): Series => ({ t: pts.map((p) => p[0] * S), v: pts.map((p) => p[1]), n: pts.length });

describe("sampled power: trapezoid rule with linear interpolation at the edges", () => {
  // P: 2 W at 0 s, 4 W at 1 s, 4 W at 2 s, 0 W at 3 s.
  const s = series([
    [0, 2],
    [1, 4],
    [2, 4],
    [3, 0],
  ]);

  it("integrates a window that starts and ends on readings", () => {
    // (2+4)/2*1 + (4+4)/2*1 + (4+0)/2*1 = 3 + 4 + 2 = 9 J
    const r = windowEnergy(s, "sampled", 0, 3 * S, 0);
    expect(r).toMatchObject({ ok: true, samples: 4, peakW: 4 });
    expect(r.ok && r.joules).toBeCloseTo(9, 12);
  });

  it("interpolates the power at window edges between readings", () => {
    // [0.5, 2.5]: P(0.5) = 3, P(2.5) = 2.
    // (3+4)/2*0.5 + (4+4)/2*1 + (4+2)/2*0.5 = 1.75 + 4 + 1.5 = 7.25 J
    const r = windowEnergy(s, "sampled", 0.5 * S, 2.5 * S, 0);
    expect(r.ok && r.joules).toBeCloseTo(7.25, 12);
    expect(r.samples).toBe(2);
  });

  it("holds the nearest reading at most holdNs past the ends, and refuses beyond", () => {
    expect(valueAt(s, "sampled", 3.2 * S, 0.5 * S)).toBe(0);
    expect(valueAt(s, "sampled", -0.2 * S, 0.5 * S)).toBe(2);
    expect(valueAt(s, "sampled", 3.6 * S, 0.5 * S)).toBeNull();
    const r = windowEnergy(s, "sampled", 2 * S, 4 * S, 0.5 * S);
    expect(r).toMatchObject({ ok: false, edge: "end" });
    // 2 .. 3.4 s with hold: (4+0)/2*1 + 0*0.4 = 2 J
    const held = windowEnergy(s, "sampled", 2 * S, 3.4 * S, 0.5 * S);
    expect(held.ok && held.joules).toBeCloseTo(2, 12);
  });

  it("a window inside one interval is the trapezoid of the two interpolated edges", () => {
    // [1.25, 1.75] inside 4 W flat: 2 J; samples 0
    const r = windowEnergy(s, "sampled", 1.25 * S, 1.75 * S, 0);
    expect(r.ok && r.joules).toBeCloseTo(2, 12);
    expect(r.samples).toBe(0);
  });
});

describe("counters: difference of the counter interpolated at the edges", () => {
  // Cumulative J: 0 at 0 s, 5 at 1 s (5 W), 6 at 2 s (1 W), 16 at 4 s (5 W).
  const s = series([
    [0, 0],
    [1, 5],
    [2, 6],
    [4, 16],
  ]);

  it("is end minus start on readings", () => {
    const r = windowEnergy(s, "counter", 1 * S, 4 * S, 0);
    expect(r.ok && r.joules).toBeCloseTo(11, 12);
    expect(r.ok && r.peakW).toBeCloseTo(5, 12);
  });

  it("interpolates inside intervals (constant power between reads)", () => {
    // E(0.5) = 2.5, E(3) = 11 -> 8.5 J
    const r = windowEnergy(s, "counter", 0.5 * S, 3 * S, 0);
    expect(r.ok && r.joules).toBeCloseTo(8.5, 12);
    expect(r.samples).toBe(2);
  });

  it("extrapolates at the last interval's power within holdNs", () => {
    // E(4.2) = 16 + 5 W * 0.2 s = 17
    expect(valueAt(s, "counter", 4.2 * S, 0.3 * S)).toBeCloseTo(17, 12);
    expect(valueAt(s, "counter", 4.4 * S, 0.3 * S)).toBeNull();
  });
});

describe("RAPL wraparound", () => {
  it("adds max_energy_range_uj once per wrap (hand-computed trace)", () => {
    // range 1,000,000 uJ (1 J): raw 900000 -> 200000 -> 700000 -> 100000
    // deltas: 300000 (wrap), 500000, 400000 (wrap) = 1.2 J in total
    const u = new Unwrapper(1_000_000, "energy_uj");
    const unwrapped = [900_000, 200_000, 700_000, 100_000].map((x) => u.next(x) / 1e6);
    expect(unwrapped).toEqual([0.9, 1.2, 1.7, 2.1]);
    const s = series(unwrapped.map((v, i) => [i * 0.1, v] as [number, number]));
    const r = windowEnergy(s, "counter", 0, 0.3 * S, 0);
    expect(r.ok && r.joules).toBeCloseTo(1.2, 12);
    // Steepest interval: 0.5 J in 0.1 s = 5 W.
    expect(r.ok && r.peakW).toBeCloseTo(5, 9);
  });

  it("refuses a decrease when the counter has no known range (a reset)", () => {
    const u = new Unwrapper(undefined, "energy1_input");
    u.next(10);
    expect(() => u.next(5)).toThrow(/went backwards/);
  });
});

describe("traces", () => {
  it("counter traces are interval powers at interval midpoints", () => {
    const s = series([
      [0, 0],
      [1, 5],
      [2, 6],
    ]);
    expect(powerPoints(s, "counter", 0, 2 * S)).toEqual({ t: [0.5 * S, 1.5 * S], w: [5, 1] });
  });

  it("downsampling keeps at most the limit and the mean", () => {
    const t = Array.from({ length: 1000 }, (_, i) => i);
    const w = t.map((i) => (i % 2 ? 3 : 1));
    const d = downsample(t, w, 600);
    expect(d.t.length).toBe(600);
    const mean = d.w.reduce((a, b) => a + b, 0) / d.w.length;
    expect(mean).toBeGreaterThan(1.9);
    expect(mean).toBeLessThan(2.1);
  });

  it("counts readings inside closed windows", () => {
    const s = series([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
    expect(countIn(s, 0, 2 * S)).toBe(3);
    expect(countIn(s, 0.5 * S, 1.5 * S)).toBe(1);
    expect(countIn(s, 1.2 * S, 1.5 * S)).toBe(0);
  });
});
