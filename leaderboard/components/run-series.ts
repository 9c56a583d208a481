/**
 * What one test's run chart plots, read from the signed document: the
 * generation rate per window, the clocks (CPU clusters and any GPU/NPU
 * devfreq), the hottest zone and the primary meter's power, all on the test's
 * own clock, with the samples the contract's throttle rule marks shaded.
 */
import { type TestResult, THROTTLE_FREQ_SHARE, type Thermal, throttledSamples, windowRates } from "@edgebench/contract";
import { num } from "../format.js";
import type { RunPanel, RunSeries, Span } from "./run-chart.js";

export const THROTTLE_NOTE = `Shaded: throttled (a CPU cluster's clock below ${THROTTLE_FREQ_SHARE * 100} % of its peak so far, or a throttle flag set)`;

type Series = NonNullable<Thermal["series"]>;

/** Seconds from milliseconds, paired with values (the shorter array decides the length). */
function fromMs(label: string, tMs: readonly number[], values: readonly number[]): RunSeries {
  const n = Math.min(tMs.length, values.length);
  return { label, tS: tMs.slice(0, n).map((t) => t / 1000), values: values.slice(0, n) };
}

/** "CPU 4,5,6,7": the cluster's CPUs as the uploader recorded them. */
export function clusterLabel(cpus: readonly number[]): string {
  return `CPU ${cpus.join(",")}`;
}

/** The rate of each window at the window's middle: a decode counts in the window it ended in, so the rate belongs to the whole window. */
export function rateSeries(test: TestResult, label: string): RunSeries | null {
  const w = test.windows;
  if (!w) return null;
  const rates = windowRates(test);
  return { label, tS: rates.map((_, i) => ((i + 0.5) * w.ms) / 1000), values: rates };
}

/** "CPU 4,5,6,7 (max 2,400 MHz, schedutil)": what a reader needs to tell a capped clock from a throttled one. */
function clockLabel(name: string, maxMHz: number | undefined, governor: string | undefined): string {
  const parts = [maxMHz !== undefined ? `max ${num(maxMHz)} MHz` : null, governor ?? null].filter((p) => p !== null);
  return parts.length ? `${name} (${parts.join(", ")})` : name;
}

/** CPU clusters, then devfreq devices (GPU, NPU) when the document has them. */
function clocks(series: Series): RunSeries[] {
  return [
    ...(series.clusters ?? []).map((c) => fromMs(clockLabel(clusterLabel(c.cpus), c.maxMHz, c.governor), series.tMs, c.mhz)),
    ...(series.devfreq ?? []).map((d) => fromMs(clockLabel(d.name, d.maxMHz, d.governor), series.tMs, d.mhz)),
  ];
}

/** The hottest zone per sample: the recorded maximum, else the maximum over the per-zone series. */
function hottest(series: Series): number[] | null {
  if (series.maxTempC) return series.maxTempC;
  const zones = (series.zones ?? []).map((z) => z.c);
  if (zones.length === 0) return null;
  // A sample no zone read stays NaN: a gap in the line and "not measured" in the table, never a made-up value.
  return series.tMs.map((_, i) => {
    const read = zones.flatMap((c) => (c[i] === undefined ? [] : [c[i]]));
    return read.length ? Math.max(...read) : Number.NaN;
  });
}

/** Spans of throttled samples (the contract's throttledSamples), each sample owning the time to its neighbours' midpoints. */
export function heldBackSpans(thermal: Thermal): Span[] {
  const tMs = thermal.series?.tMs ?? [];
  const held = throttledSamples(thermal);
  const spans: Span[] = [];
  const edge = (i: number, side: -1 | 1) => {
    const j = i + side;
    return j < 0 || j >= tMs.length ? tMs[i]! / 1000 : (tMs[i]! + tMs[j]!) / 2000;
  };
  held.forEach((h, i) => {
    if (!h) return;
    const from = edge(i, -1);
    const to = edge(i, 1);
    const last = spans[spans.length - 1];
    if (last && last.toS >= from) last.toS = Math.max(last.toS, to);
    else spans.push({ fromS: from, toS: to });
  });
  return spans;
}

export interface TestChart {
  panels: RunPanel[];
  shaded: Span[];
}

/** The panels one test has data for: none at all means no chart. */
export function testChart(test: TestResult): TestChart {
  const panels: RunPanel[] = [];
  const rate = rateSeries(test, "generation rate");
  if (rate) panels.push({ key: "rate", title: "Generation rate", unit: "tokens/s", fromZero: true, series: [rate] });
  const series = test.thermal?.series;
  if (series && series.tMs.length > 0) {
    const clk = clocks(series);
    if (clk.length > 0) panels.push({ key: "clock", title: "Clock", unit: "MHz", fromZero: true, series: clk });
    const temp = hottest(series);
    if (temp && temp.length > 0) {
      panels.push({
        key: "temperature",
        title: "Temperature, hottest zone",
        unit: "°C",
        fromZero: false,
        series: [fromMs("hottest zone", series.tMs, temp)],
      });
    }
  }
  const trace = test.energy?.find((e) => e.meter === 0)?.trace;
  if (trace && trace.tMs.length > 0) {
    panels.push({ key: "power", title: "Power, primary meter", unit: "W", fromZero: true, series: [fromMs("power", trace.tMs, trace.w)] });
  }
  return { panels, shaded: test.thermal ? heldBackSpans(test.thermal) : [] };
}
