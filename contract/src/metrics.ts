/**
 * Every derived figure, defined once, computed from raw samples only.
 *
 * METRICS below is the one list: the uploader's console table, the figures the
 * registry stores per run, its configuration aggregates, the ranking, the API
 * (sort keys, /api/v1/metrics), the CSV export and the site's columns and sort
 * choices all come from it. Adding a metric is one entry here; the registry
 * stores figures as (metric, value) pairs, so no column, index or migration
 * follows.
 *
 * Rates follow llama-bench (anchors: llama.cpp tools/llama-bench): per
 * repetition ts = (n_prompt + n_gen) / t, the figure is the mean of
 * per-repetition rates and the spread is the sample (N-1) standard deviation.
 * Energy is gross (idle included), as MLPerf Power and ML.ENERGY rank it; the
 * result page shows the net figure (idle subtracted) beside it, never ranked.
 */

import { batteryDrain } from "./battery.js";
import { HELLASWAG_SUBSET, scoreAccuracy } from "./hellaswag.js";
import type { Envelope, ModelRun, ResultDocument, TestResult } from "./schema.js";
import {
  aggregateRates,
  goodputRps,
  interTokenPercentileMs,
  isRankedConcurrent,
  SERVING_LEVELS,
  SERVING_RANKED_C,
  streamTps,
  ttftPercentileMs,
} from "./serving.js";
import { mean, median, sampleStddev } from "./stats.js";
import { peakTempC, throttleOnsetMs, throttleWatched } from "./thermal.js";

/** Tokens a test processes per repetition (llama-bench: n_prompt + n_gen). */
export function testTokens(test: TestResult): number {
  return test.nPrompt + test.nGen;
}

/** Per-repetition rates in tokens/s, from the raw ns samples. */
export function repRates(test: TestResult): number[] {
  const tokens = testTokens(test);
  return test.samplesNs.map((ns) => (tokens * 1e9) / ns);
}

export interface Figure {
  value: number;
  /** Sample stddev over repetitions, in the figure's unit, where it has one. */
  stddev?: number;
}

/** Mean of per-repetition rates and their sample stddev. */
export function rateFigure(test: TestResult): Figure | null {
  if (test.status !== "ok" || test.samplesNs.length === 0) return null;
  const rates = repRates(test);
  return { value: mean(rates), stddev: sampleStddev(rates) };
}

/** Mean time in ms (TTFT): mean of the per-repetition times. */
export function msFigure(test: TestResult): Figure | null {
  if (test.status !== "ok" || test.samplesNs.length === 0) return null;
  const ms = test.samplesNs.map((ns) => ns / 1e6);
  return { value: mean(ms), stddev: sampleStddev(ms) };
}

/** The primary meter's measured energy for a test (meters[0]), or null when not measured. */
export function primaryEnergy(test: TestResult): number[] | null {
  if (test.status !== "ok") return null;
  const e = test.energy?.find((x) => x.meter === 0);
  if (e?.status !== "measured" || !e.joulesPerRep || e.joulesPerRep.length !== test.samplesNs.length) return null;
  return e.joulesPerRep;
}

/** Average power over the test's repetitions: total J over total s. */
export function avgWattsFigure(test: TestResult): Figure | null {
  const joules = primaryEnergy(test);
  if (!joules) return null;
  const seconds = test.samplesNs.reduce((a, ns) => a + ns / 1e9, 0);
  const perRep = joules.map((j, i) => j / (test.samplesNs[i]! / 1e9));
  return { value: joules.reduce((a, b) => a + b, 0) / seconds, stddev: sampleStddev(perRep) };
}

/** Joules per token over the test: total J over total tokens. */
export function joulesPerTokenFigure(test: TestResult): Figure | null {
  const joules = primaryEnergy(test);
  if (!joules) return null;
  const tokens = testTokens(test);
  const total = joules.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  return { value: total / (tokens * joules.length), stddev: sampleStddev(joules.map((j) => j / tokens)) };
}

/** Net energy per repetition: gross minus the primary meter's idle power over the repetition. */
export function netJoulesPerRep(test: TestResult, doc: Pick<ResultDocument, "power">): number[] | null {
  const joules = primaryEnergy(test);
  const idle = doc.power.meters[0]?.idle;
  if (!joules || !idle) return null;
  return joules.map((j, i) => j - idle.watts * (test.samplesNs[i]! / 1e9));
}

/** Net joules per token (idle subtracted): shown beside the gross figure, never ranked (idle is measured differently per meter). */
export function netJoulesPerTokenFigure(test: TestResult, doc: Pick<ResultDocument, "power">): Figure | null {
  const net = netJoulesPerRep(test, doc);
  if (!net) return null;
  const tokens = testTokens(test);
  return { value: net.reduce((a, b) => a + b, 0) / (tokens * net.length), stddev: sampleStddev(net.map((j) => j / tokens)) };
}

/**
 * The sustained test's length that ranks: heat builds with time, so figures of
 * a 600 s run (the uploader's `long` profile) or a short trial are kept in the
 * document and shown on its page, but compared with nothing else.
 */
export const SUSTAINED_RANKED_SECONDS = 120;

/** Seconds at each end of a sustained test that its figures compare (fewer when the test is shorter than twice this). */
export const SUSTAINED_EDGE_S = 30;

/** Whether a sustained test ran for exactly the ranked length (windows x window length). */
export function isRankedSustained(test: TestResult): boolean {
  return test.windows !== undefined && test.windows.tokens.length * test.windows.ms === SUSTAINED_RANKED_SECONDS * 1000;
}

/** Tokens/s of each window of a sustained test. */
export function windowRates(test: TestResult): number[] {
  const w = test.windows;
  return w ? w.tokens.map((n) => (n * 1000) / w.ms) : [];
}

/** Windows in each compared end: 30 s worth, at most half the windows (at least one). */
function edgeWindows(test: TestResult): number {
  const w = test.windows!;
  return Math.max(1, Math.min(Math.round((SUSTAINED_EDGE_S * 1000) / w.ms), Math.floor(w.tokens.length / 2)));
}

/** Sustained tokens/s: the median window rate over the test's last 30 s. */
export function sustainedRateFigure(test: TestResult): Figure | null {
  if (test.status !== "ok" || !test.windows) return null;
  const rates = windowRates(test);
  return { value: median(rates.slice(-edgeWindows(test))) };
}

/** Sustained ratio: tokens in the last 30 s over tokens in the first 30 s (1: no slowdown). */
export function sustainedRatioFigure(test: TestResult): Figure | null {
  if (test.status !== "ok" || !test.windows || test.windows.tokens.length < 2) return null;
  const k = edgeWindows(test);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const first = sum(test.windows.tokens.slice(0, k));
  return first > 0 ? { value: sum(test.windows.tokens.slice(-k)) / first } : null;
}

/** Envelope volume in litres (1 L = 1e6 mm^3). */
export function envelopeLitres(envelope: Pick<Envelope, "widthMm" | "depthMm" | "heightMm"> | undefined | null): number | null {
  if (!envelope) return null;
  return (envelope.widthMm * envelope.depthMm * envelope.heightMm) / 1e6;
}

/** A board's footprint on the bench or in the enclosure: width x depth in mm, and where it comes from. */
export interface Footprint {
  widthMm: number;
  depthMm: number;
  source: "catalogue" | "declared";
}

/** Footprint area in cm² (1 cm² = 100 mm²). */
export function footprintCm2(footprint: Pick<Footprint, "widthMm" | "depthMm"> | undefined | null): number | null {
  if (!footprint) return null;
  return (footprint.widthMm * footprint.depthMm) / 100;
}

/** The size a document declares by itself: its envelope, and the envelope's width x depth as its footprint. */
export function declaredSize(doc: Pick<ResultDocument, "system">): { envelope: Envelope | null; footprint: Footprint | null } {
  const envelope = doc.system.envelope ?? null;
  return { envelope, footprint: envelope ? { widthMm: envelope.widthMm, depthMm: envelope.depthMm, source: envelope.source } : null };
}

/**
 * The tests the headline figures are read from. The first matching test wins,
 * so the suite's order decides which pp size is headline.
 */
export function findTest(run: ModelRun, kind: TestResult["kind"], atDepth: boolean): TestResult | undefined {
  return run.tests.find((t) => t.kind === kind && t.status === "ok" && (atDepth ? t.depth > 0 : t.depth === 0));
}

export interface MetricContext {
  run: ModelRun;
  doc: Pick<ResultDocument, "power">;
  /** The envelope the registry resolved: declared in the document, else the catalogue's. */
  envelope?: Envelope | null;
  /** The footprint the registry resolved: the declared envelope's, else the catalogue's board size. */
  footprint?: Footprint | null;
}

export interface MetricDef {
  /** Stable id used in the API, CSV headers, URL sort keys and the stored (metric, value) pairs. */
  id: string;
  label: string;
  unit: string;
  better: "higher" | "lower";
  /** Which axis of the leaderboard it belongs to. */
  axis: "throughput" | "latency" | "serving" | "energy" | "size" | "thermal" | "quality";
  /**
   * Ranked only against results of the same primary meter scope: a wall meter
   * also counts the power supply and peripherals, a rail meter only the chip.
   */
  withinMeterScope: boolean;
  /** What the ± beside a figure is: the spread over repetitions unless the metric says otherwise. */
  spread?: "standard error";
  description: string;
  compute(ctx: MetricContext): Figure | null;
}

const byTest =
  (kind: TestResult["kind"], atDepth: boolean, f: (t: TestResult) => Figure | null) =>
  ({ run }: MetricContext): Figure | null => {
    const t = findTest(run, kind, atDepth);
    return t ? f(t) : null;
  };

const tgRate = byTest("tg", false, rateFigure);
/** A figure of the sustained test, only when it ran for the ranked length. */
const bySustained = (f: (t: TestResult) => Figure | null) => byTest("sustained", false, (t) => (isRankedSustained(t) ? f(t) : null));
const tgJoulesPerToken = byTest("tg", false, joulesPerTokenFigure);

/** A figure of the concurrent test at `c` streams, only in the ranked shape (contract/src/serving.ts). */
const byConcurrent =
  (c: number, f: (t: TestResult) => Figure | null) =>
  ({ run }: MetricContext): Figure | null => {
    const t = run.tests.find((x) => isRankedConcurrent(x, c));
    return t ? f(t) : null;
  };
const value = (v: number | null): Figure | null => (v === null ? null : { value: v });
const aggregateFigure = (t: TestResult): Figure | null => {
  const rates = aggregateRates(t);
  return rates.length ? { value: mean(rates), stddev: sampleStddev(rates) } : null;
};

/** Lists metrics with their ids kept as literal types, so MetricId below is the union of the ids. */
const defineMetrics = <const T extends readonly MetricDef[]>(metrics: T): T => metrics;

export const METRICS = defineMetrics([
  {
    id: "pp_tps",
    label: "Prompt tokens/s",
    unit: "tokens/s",
    better: "higher",
    axis: "throughput",
    withinMeterScope: false,
    description: "Prompt processing (pp512): mean over repetitions of n_prompt / t.",
    compute: byTest("pp", false, rateFigure),
  },
  {
    id: "tg_tps",
    label: "Generation tokens/s",
    unit: "tokens/s",
    better: "higher",
    axis: "throughput",
    withinMeterScope: false,
    description: "Text generation (tg128) at empty context: mean over repetitions of n_gen / t.",
    compute: tgRate,
  },
  {
    id: "pg_tps",
    label: "pp+tg tokens/s",
    unit: "tokens/s",
    better: "higher",
    axis: "throughput",
    withinMeterScope: false,
    description: "Prompt then generation in one test (pp512+tg128): mean of (n_prompt + n_gen) / t.",
    compute: byTest("pg", false, rateFigure),
  },
  {
    id: "tg_depth_tps",
    label: "Generation tokens/s at depth",
    unit: "tokens/s",
    better: "higher",
    axis: "throughput",
    withinMeterScope: false,
    description: "Text generation with the KV cache already holding tokens (e.g. tg128 at depth 2048).",
    compute: byTest("tg", true, rateFigure),
  },
  {
    id: "ttft_ms",
    label: "Time to first token",
    unit: "ms",
    better: "lower",
    axis: "latency",
    withinMeterScope: false,
    description: "Time from start to the first generated token for a short chat prompt, prompt processing included.",
    compute: byTest("ttft", false, msFigure),
  },
  {
    id: "load_ms",
    label: "Model load time",
    unit: "ms",
    better: "lower",
    axis: "latency",
    withinMeterScope: false,
    description:
      "Time to load the model file the first time the benchmarking process loads it (the operating system may already cache the file; the uploader cannot tell).",
    compute: ({ run }) => (run.load?.coldMs !== undefined ? { value: run.load.coldMs } : null),
  },
  {
    id: "load_first_token_ms",
    label: "First token after load",
    unit: "ms",
    better: "lower",
    axis: "latency",
    withinMeterScope: false,
    description:
      "From a freshly loaded model to its first generated token for a short chat prompt: context creation, prompt and the first decode's one-time costs.",
    compute: ({ run }) => (run.load?.firstTokenMs !== undefined ? { value: run.load.firstTokenMs } : null),
  },
  {
    id: "itl_p99_ms",
    label: "Inter-token time p99",
    unit: "ms",
    better: "lower",
    axis: "latency",
    withinMeterScope: false,
    description:
      "99th percentile of the time each token of the generation test (tg128) took, over every repetition: the stutter a reader of a stream sees.",
    compute: byTest("tg", false, (t) => value(t.tokenNs ? interTokenPercentileMs(t, 99) : null)),
  },
  ...SERVING_LEVELS.map((c) => ({
    id: `serve_tps_c${c}` as const,
    label: `Serving tokens/s at ${c} stream${c > 1 ? "s" : ""}`,
    unit: "tokens/s",
    better: "higher" as const,
    axis: "serving" as const,
    withinMeterScope: false,
    description: `${c} stream${c > 1 ? "s" : ""} at once of 128 prompt and 128 generated tokens each (batched in one context, or concurrent requests to a server): all streams' generated tokens over each repetition's wall time, mean over repetitions.`,
    compute: byConcurrent(c, aggregateFigure),
  })),
  {
    id: "serve_stream_tps_c4",
    label: "Per-stream tokens/s at 4 streams",
    unit: "tokens/s",
    better: "higher",
    axis: "serving",
    withinMeterScope: false,
    description:
      "What each of 4 concurrent streams sees after its first token: its generated tokens over the time from its first to its last, mean over streams and repetitions.",
    compute: byConcurrent(SERVING_RANKED_C, (t) => value(streamTps(t))),
  },
  {
    id: "serve_ttft_p95_ms_c4",
    label: "Time to first token p95 at 4 streams",
    unit: "ms",
    better: "lower",
    axis: "serving",
    withinMeterScope: false,
    description:
      "95th percentile over every stream and repetition of the time from the start to a stream's first token, 4 streams of a 128-token prompt at once.",
    compute: byConcurrent(SERVING_RANKED_C, (t) => value(ttftPercentileMs(t, 95))),
  },
  {
    id: "goodput_rps_c4",
    label: "Goodput at 4 streams",
    unit: "requests/s",
    better: "higher",
    axis: "serving",
    withinMeterScope: false,
    description:
      "Requests per second, at 4 streams, that met the service objective: first token within 1 s and their own p95 gap between tokens within 200 ms (contract SERVING_SLO).",
    compute: byConcurrent(SERVING_RANKED_C, (t) => value(goodputRps(t))),
  },
  {
    id: "avg_w",
    label: "Average power (generation)",
    unit: "W",
    better: "lower",
    axis: "energy",
    withinMeterScope: true,
    description: "Primary meter's energy over the generation test divided by its duration (gross, idle included).",
    compute: byTest("tg", false, avgWattsFigure),
  },
  {
    id: "j_per_token",
    label: "Joules per generated token",
    unit: "J/token",
    better: "lower",
    axis: "energy",
    withinMeterScope: true,
    description: "Primary meter's gross energy over the generation test divided by the tokens generated.",
    compute: tgJoulesPerToken,
  },
  {
    id: "tokens_per_j",
    label: "Tokens per joule",
    unit: "tokens/J",
    better: "higher",
    axis: "energy",
    withinMeterScope: true,
    description: "Generated tokens per joule (the inverse of J/token); only comparable within one meter scope.",
    compute: (ctx) => {
      const j = tgJoulesPerToken(ctx);
      return j ? { value: 1 / j.value } : null;
    },
  },
  {
    id: "tps_per_litre",
    label: "Generation tokens/s per litre",
    unit: "tokens/s/L",
    better: "higher",
    axis: "size",
    withinMeterScope: false,
    description: "Generation tokens/s divided by the board's envelope volume (declared by the contributor, else the catalogue's).",
    compute: (ctx) => {
      const tg = tgRate(ctx);
      const litres = envelopeLitres(ctx.envelope);
      return tg && litres ? { value: tg.value / litres } : null;
    },
  },
  {
    id: "tps_per_cm2",
    label: "Generation tokens/s per cm²",
    unit: "tokens/s/cm²",
    better: "higher",
    axis: "size",
    withinMeterScope: false,
    description:
      "Generation tokens/s divided by the board's footprint: width x depth of the declared envelope, else the catalogue's board size (known for more boards than a height).",
    compute: (ctx) => {
      const tg = tgRate(ctx);
      const area = footprintCm2(ctx.footprint);
      return tg && area ? { value: tg.value / area } : null;
    },
  },
  {
    id: "sustained_tps",
    label: "Sustained tokens/s",
    unit: "tokens/s",
    better: "higher",
    axis: "throughput",
    withinMeterScope: false,
    description:
      "Generation without pause for 120 s (the suite's sustained test): the median of the 1 s windows' tokens/s over the last 30 s, what a board delivers once it is hot.",
    compute: bySustained(sustainedRateFigure),
  },
  {
    id: "sustained_ratio",
    label: "Sustained ratio",
    unit: "",
    better: "higher",
    axis: "throughput",
    withinMeterScope: false,
    description:
      "Tokens generated in the last 30 s of the 120 s sustained test over its first 30 s: 1 holds its speed, 0.5 lost half to heat or power limits.",
    compute: bySustained(sustainedRatioFigure),
  },
  {
    id: "sustained_j_per_token",
    label: "Joules per token (sustained)",
    unit: "J/token",
    better: "lower",
    axis: "energy",
    withinMeterScope: true,
    description: "Primary meter's gross energy over the whole 120 s sustained test divided by the tokens it generated.",
    compute: bySustained(joulesPerTokenFigure),
  },
  {
    id: "battery_pct_per_1k",
    label: "Battery per 1,000 tokens",
    unit: "%",
    better: "lower",
    axis: "energy",
    withinMeterScope: false,
    description:
      "Battery capacity (percentage points) the 120 s sustained test used per 1,000 generated tokens, from the device's fuel gauge while discharging. The gauge reads whole percent: the result page states that uncertainty beside the figure.",
    compute: bySustained((t) => {
      const d = batteryDrain(t);
      return d ? { value: d.pctPer1kTokens } : null;
    }),
  },
  {
    id: "throttle_s",
    label: "Time to throttle",
    unit: "s",
    better: "higher",
    axis: "thermal",
    withinMeterScope: false,
    description:
      "Seconds into the 120 s sustained test until a CPU cluster's clock fell below 90 % of the highest it had reached or a throttle flag was set; 120 when neither happened. Only where the board exposes its clocks or flags.",
    compute: bySustained((t) => {
      if (!t.thermal) return null;
      const onset = throttleOnsetMs(t.thermal);
      if (onset !== null) return { value: Math.min(onset / 1000, SUSTAINED_RANKED_SECONDS) };
      // Never throttled counts only when there was something to see.
      return throttleWatched(t.thermal) ? { value: SUSTAINED_RANKED_SECONDS } : null;
    }),
  },
  {
    id: "peak_temp_c",
    label: "Peak temperature (sustained)",
    unit: "°C",
    better: "lower",
    axis: "thermal",
    withinMeterScope: false,
    description:
      "Hottest thermal zone reading during the 120 s sustained test. Depends on the room and the cooling: read it with the declared cooling and ambient temperature.",
    compute: bySustained((t) => {
      const c = t.thermal ? peakTempC(t.thermal) : null;
      return c === null ? null : { value: c };
    }),
  },
  {
    id: "perplexity",
    label: "Perplexity",
    unit: "",
    better: "lower",
    axis: "quality",
    withinMeterScope: false,
    description: "Perplexity over the suite's fixed public-domain text; compares quantisations of one model.",
    compute: ({ run }) => (run.quality ? { value: run.quality.perplexity } : null),
  },
  {
    id: "hellaswag_acc",
    label: "HellaSwag accuracy",
    unit: "%",
    better: "higher",
    axis: "quality",
    withinMeterScope: false,
    spread: "standard error",
    description: `Share of the suite's ${HELLASWAG_SUBSET.tasks} HellaSwag tasks (every 25th of the validation set) where the ending the model finds most likely (highest mean log-probability per token) is the right one; chance is 25 %. The registry scores the per-task choices in the document against its own key; ± is the standard error. Runs that answered fewer tasks (--accuracy-tasks) are shown on their page, not ranked.`,
    compute: ({ run }) => {
      const a = run.accuracy;
      const score = a?.status === "measured" ? scoreAccuracy(a.subset, a.choices) : null;
      return score?.full ? { value: score.accuracy * 100, stddev: score.stderr * 100 } : null;
    },
  },
]);

export type MetricId = (typeof METRICS)[number]["id"];

export const METRIC_IDS: readonly MetricId[] = METRICS.map((m) => m.id);

export const METRIC_BY_ID: Readonly<Record<MetricId, MetricDef>> = Object.fromEntries(METRICS.map((m) => [m.id, m])) as Record<MetricId, MetricDef>;

export function isMetricId(id: string): id is MetricId {
  return Object.hasOwn(METRIC_BY_ID, id);
}

export type ComputedMetrics = Partial<Record<MetricId, Figure>>;

/**
 * Bump when a metric's formula changes (a new metric needs no bump: the ids
 * are part of FIGURES_VERSION). The registry recomputes the stored figures of
 * every result whose version differs, from the stored signed document.
 */
export const FIGURES_REVISION = 1;

/** 32-bit FNV-1a, hex: a short, stable fingerprint of the metric list. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** The version of the figures computeMetrics() gives: the formula revision and the metric list. */
export const FIGURES_VERSION = `${FIGURES_REVISION}.${fnv1a(METRIC_IDS.join(","))}`;

/** All metrics of one model run that can be computed (absent = not measured). */
export function computeMetrics(ctx: MetricContext): ComputedMetrics {
  const out: ComputedMetrics = {};
  for (const m of METRICS) {
    const f = m.compute(ctx);
    if (f && Number.isFinite(f.value)) out[m.id] = f;
  }
  return out;
}

/** One metric over a configuration's runs: the median of the runs' figures. */
export interface AggregateFigure {
  value: number;
  /** Median of the runs' stddevs over repetitions, where the runs carry one. */
  stddev?: number;
  /** Runs that measured it. */
  runs: number;
}

export type AggregatedMetrics = Partial<Record<MetricId, AggregateFigure>>;

/** One metric's figures over a configuration's runs: every run's value, and every run's stddev where it has one. */
export interface RunFigures {
  values: number[];
  stddevs: number[];
}

/**
 * The configuration aggregate (a leaderboard row's figures): per metric, the
 * median over the runs that measured it, and the median of their stddevs over
 * repetitions. The median, not the mean, so one outlying run cannot move a
 * row; the registry's aggregation step computes every row with this.
 */
export function aggregateFigures(figures: Partial<Record<MetricId, RunFigures>>): AggregatedMetrics {
  const out: AggregatedMetrics = {};
  for (const m of METRICS) {
    const f = figures[m.id];
    if (!f || f.values.length === 0) continue;
    out[m.id] = { value: median(f.values), ...(f.stddevs.length ? { stddev: median(f.stddevs) } : {}), runs: f.values.length };
  }
  return out;
}

/** The same over runs' computed figures (each run's ComputedMetrics). */
export function aggregateRuns(runs: readonly ComputedMetrics[]): AggregatedMetrics {
  const figures: Partial<Record<MetricId, RunFigures>> = {};
  for (const r of runs) {
    for (const m of METRICS) {
      const f = r[m.id];
      if (!f) continue;
      const acc = figures[m.id] ?? { values: [], stddevs: [] };
      figures[m.id] = acc;
      acc.values.push(f.value);
      if (f.stddev !== undefined) acc.stddevs.push(f.stddev);
    }
  }
  return aggregateFigures(figures);
}
