/**
 * A power session: the chosen meters sampled in the background for the whole
 * run, and energy per test computed afterwards from the buffered readings
 * against the repetition windows the runner reports on
 * process.hrtime.bigint() (CLOCK_MONOTONIC, the same clock in the runner's
 * child process and here).
 */
import { LIMITS, type Meter, type TestEnergy } from "@edgebench/contract";
import { countIn, downsample, lastAtOrBefore, lastBefore, powerPoints, type Series, windowEnergy } from "./energy.js";
import type { MeterChannel } from "./sampler.js";
import type { MeterInfo } from "./types.js";

/**
 * Fewest readings inside every repetition window for a figure to be reported.
 * - counter (2): the energy between two readings inside the window is exact;
 *   only the stretches from the window edges to them are interpolated. With two
 *   readings inside, at least one full sampling interval is measured and the
 *   interpolated edges together are at most two intervals.
 * - sampled (4): the trapezoid rule needs the power curve itself; four readings
 *   give three intervals between real readings, so a window spans at least
 *   three sampling periods and the interpolated edges (at most one period each)
 *   are under half of it. A 1 Hz plug therefore needs repetitions of about 4 s;
 *   a 2 s repetition gets "insufficient-samples", not a number.
 */
export const MIN_SAMPLES_PER_REP = { counter: 2, sampled: 4 } as const;

/**
 * A window edge may be this many expected intervals past the last reading
 * (see energy.ts), and at least HOLD_MIN_NS: fast meters on a loaded machine
 * see timer delays of tens of ms, which is no reason to drop a window.
 */
const HOLD_INTERVALS = 1.5;
const HOLD_MIN_NS = 50e6;

function holdFor(ch: MeterChannel): number {
  return Math.max(HOLD_INTERVALS * ch.expectedIntervalNs(), HOLD_MIN_NS);
}

export interface RepWindow {
  startNs: bigint;
  endNs: bigint;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export function meterEntry(info: MeterInfo, rateHz: number | undefined): Meter {
  const m: Meter = { kind: clip(info.kind, LIMITS.shortText), scope: info.scope, method: info.method };
  if (info.label) m.label = clip(info.label, LIMITS.longText);
  if (info.rails?.length) m.rails = info.rails.slice(0, LIMITS.maxRails).map((r) => clip(r, LIMITS.shortText));
  if (rateHz !== undefined) m.sampleRateHz = rateHz;
  return m;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

function fmtS(ns: number): string {
  return `${(ns / 1e9).toFixed(2)} s`;
}

/** Energy of one test for one meter's channel. */
export function channelTestEnergy(ch: MeterChannel, meterIndex: number, reps: RepWindow[]): TestEnergy {
  const method = ch.source.method;
  const series: Series = ch.buffer;
  if (reps.length === 0) return { meter: meterIndex, status: "unavailable", reason: "the test has no timed repetitions" };
  const windows = reps.map((r) => ({ a: Number(r.startNs - ch.origin), b: Number(r.endNs - ch.origin) }));
  const holdNs = holdFor(ch);
  const spanA = Math.min(...windows.map((w) => w.a));
  const spanB = Math.max(...windows.map((w) => w.b));

  const joules: number[] = [];
  let samples = 0;
  let peak: number | null = null;
  let unavailable: string | undefined;
  let insufficient: string | undefined;
  windows.forEach((w, i) => {
    if (unavailable) return;
    if (!(w.b > w.a)) {
      unavailable = `repetition ${i + 1} has an empty or inverted window`;
      return;
    }
    // A down period that overlaps the window (its edges may still be bridged within holdNs).
    const down = ch.downs.find((d) => d.fromNs <= w.b && (d.toNs ?? Infinity) >= w.a);
    if (down) {
      unavailable = `energy not measured: the meter failed at ${fmtS(down.fromNs)} into the session${down.toNs !== undefined ? ` until ${fmtS(down.toNs)}` : ""}: ${down.reason}`;
      return;
    }
    const r = windowEnergy(series, method, w.a, w.b, holdNs);
    samples += r.samples;
    if (!r.ok) {
      const last = ch.buffer.lastT;
      unavailable =
        `energy not measured: no reading ${r.edge === "start" ? "before the start" : "after the end"} of repetition ${i + 1} ` +
        `within ${(holdNs / 1e6).toFixed(0)} ms${ch.lastError ? ` (last error: ${ch.lastError})` : last === undefined ? " (the meter has produced no reading)" : ""}`;
      return;
    }
    if (r.peakW !== null) peak = Math.max(peak ?? 0, r.peakW);
    joules.push(Math.max(0, r.joules));
    if (r.samples < MIN_SAMPLES_PER_REP[method] && !insufficient) {
      const rate = ch.overallRateHz();
      insufficient =
        `repetition ${i + 1} (${((w.b - w.a) / 1e6).toFixed(0)} ms) holds ${r.samples} reading${r.samples === 1 ? "" : "s"}; ` +
        `a ${method} meter needs at least ${MIN_SAMPLES_PER_REP[method]} per repetition` +
        (rate ? ` (it reads at ${rate.toFixed(2)} Hz: repetitions of about ${(MIN_SAMPLES_PER_REP[method] / rate).toFixed(1)} s or longer)` : "");
    }
  });

  const out: TestEnergy = { meter: meterIndex, status: "measured", samples };
  const inSpan = countIn(series, spanA, spanB);
  const rate = inSpan >= 2 ? rateBetween(series, spanA, spanB) : ch.overallRateHz();
  if (rate !== undefined && Number.isFinite(rate)) out.achievedRateHz = round(rate, 3);
  const pts = powerPoints(series, method, spanA, spanB);
  if (pts.t.length >= 2) {
    const ds = downsample(pts.t, pts.w, LIMITS.maxTracePoints);
    out.trace = { tMs: ds.t.map((t) => round(Math.max(0, (t - spanA) / 1e6), 1)), w: ds.w.map((w) => round(Math.max(0, w), 4)) };
  }
  if (peak !== null) out.peakW = round(peak, 4);
  if (unavailable) return { ...out, status: "unavailable", reason: unavailable };
  if (insufficient) return { ...out, status: "insufficient-samples", reason: insufficient };
  return { ...out, joulesPerRep: joules.map((j) => round(j, 6)) };
}

function rateBetween(s: Series, a: number, b: number): number | undefined {
  // First and last reading inside [a, b].
  const first = lastBefore(s, a) + 1;
  const last = lastAtOrBefore(s, b);
  if (last <= first) return undefined;
  return ((last - first) * 1e9) / (s.t[last]! - s.t[first]!);
}

/** Mean power over [a, b] for the idle baseline, or why not. */
export function channelIdle(ch: MeterChannel, a: number, b: number): { watts: number; seconds: number; samples: number } | string {
  const method = ch.source.method;
  const holdNs = holdFor(ch);
  const down = ch.downs.find((d) => d.fromNs <= b && (d.toNs ?? Infinity) >= a);
  if (down) return `the meter failed during the idle baseline: ${down.reason}`;
  const r = windowEnergy(ch.buffer, method, a, b, holdNs);
  if (!r.ok) return `no reading ${r.edge === "start" ? "before" : "after"} the idle window${ch.lastError ? ` (last error: ${ch.lastError})` : ""}`;
  if (r.samples < MIN_SAMPLES_PER_REP[method] || r.samples < 1)
    return `${r.samples} readings in the idle window (need ${MIN_SAMPLES_PER_REP[method]})`;
  const seconds = (b - a) / 1e9;
  return { watts: round(Math.max(0, r.joules / seconds), 4), seconds: round(seconds, 3), samples: r.samples };
}
