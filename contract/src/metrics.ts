/**
 * Every derived figure, defined once, computed from raw samples only.
 *
 * The uploader's console table, the Worker's stored metrics, the API, the CSV
 * export and the leaderboard columns all come from METRICS below. Rates follow
 * llama-bench (anchors.md): per repetition ts = (n_prompt + n_gen) / t, the
 * figure is the mean of per-repetition rates and the spread is the sample
 * (N-1) standard deviation. Energy is gross (no idle subtraction), as MLPerf
 * Power and ML.ENERGY publish it; net figures are shown beside it, never ranked.
 */
import type { Envelope, ModelRun, ResultDocument, TestResult } from "./schema.js";

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (N-1); 0 for a single value. */
export function sampleStddev(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

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
  if (!e || e.status !== "measured" || !e.joulesPerRep || e.joulesPerRep.length !== test.samplesNs.length) return null;
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

/** Net energy per repetition: gross minus the meter's idle power over the repetition. */
export function netJoulesPerRep(test: TestResult, doc: Pick<ResultDocument, "power">): number[] | null {
  const joules = primaryEnergy(test);
  const idle = doc.power.meters[0]?.idle;
  if (!joules || !idle) return null;
  return joules.map((j, i) => j - idle.watts * (test.samplesNs[i]! / 1e9));
}

/** Envelope volume in litres (1 L = 1e6 mm^3). */
export function envelopeLitres(envelope: Envelope | undefined | null): number | null {
  if (!envelope) return null;
  return (envelope.widthMm * envelope.depthMm * envelope.heightMm) / 1e6;
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
}

export interface MetricDef {
  /** Stable id used in the API, CSV headers, URL sort keys and database columns. */
  id: MetricId;
  label: string;
  unit: string;
  better: "higher" | "lower";
  /** Which axis of the leaderboard it belongs to. */
  axis: "throughput" | "latency" | "energy" | "size" | "quality";
  description: string;
  compute(ctx: MetricContext): Figure | null;
}

export const METRIC_IDS = [
  "pp_tps",
  "tg_tps",
  "pg_tps",
  "tg_depth_tps",
  "ttft_ms",
  "avg_w",
  "j_per_token",
  "tokens_per_j",
  "tps_per_litre",
  "perplexity",
] as const;
export type MetricId = (typeof METRIC_IDS)[number];

const byTest =
  (kind: TestResult["kind"], atDepth: boolean, f: (t: TestResult) => Figure | null) =>
  ({ run }: MetricContext) => {
    const t = findTest(run, kind, atDepth);
    return t ? f(t) : null;
  };

const tgRate = byTest("tg", false, rateFigure);

export const METRICS: readonly MetricDef[] = [
  {
    id: "pp_tps",
    label: "Prompt tokens/s",
    unit: "tokens/s",
    better: "higher",
    axis: "throughput",
    description: "Prompt processing (pp512): mean over repetitions of n_prompt / t.",
    compute: byTest("pp", false, rateFigure),
  },
  {
    id: "tg_tps",
    label: "Generation tokens/s",
    unit: "tokens/s",
    better: "higher",
    axis: "throughput",
    description: "Text generation (tg128) at empty context: mean over repetitions of n_gen / t.",
    compute: tgRate,
  },
  {
    id: "pg_tps",
    label: "pp+tg tokens/s",
    unit: "tokens/s",
    better: "higher",
    axis: "throughput",
    description: "Prompt then generation in one test (pp512+tg128): mean of (n_prompt + n_gen) / t.",
    compute: byTest("pg", false, rateFigure),
  },
  {
    id: "tg_depth_tps",
    label: "Generation tokens/s at depth",
    unit: "tokens/s",
    better: "higher",
    axis: "throughput",
    description: "Text generation with the KV cache already holding tokens (e.g. tg128 at depth 2048).",
    compute: byTest("tg", true, rateFigure),
  },
  {
    id: "ttft_ms",
    label: "Time to first token",
    unit: "ms",
    better: "lower",
    axis: "latency",
    description: "Time from start to the first generated token for a short chat prompt, prompt processing included.",
    compute: byTest("ttft", false, msFigure),
  },
  {
    id: "avg_w",
    label: "Average power (generation)",
    unit: "W",
    better: "lower",
    axis: "energy",
    description: "Primary meter's energy over the generation test divided by its duration (gross, idle included).",
    compute: byTest("tg", false, avgWattsFigure),
  },
  {
    id: "j_per_token",
    label: "Joules per generated token",
    unit: "J/token",
    better: "lower",
    axis: "energy",
    description: "Primary meter's gross energy over the generation test divided by the tokens generated.",
    compute: byTest("tg", false, joulesPerTokenFigure),
  },
  {
    id: "tokens_per_j",
    label: "Tokens per joule",
    unit: "tokens/J",
    better: "higher",
    axis: "energy",
    description: "Generated tokens per joule (the inverse of J/token); only comparable within one meter scope.",
    compute: (ctx) => {
      const j = byTest("tg", false, joulesPerTokenFigure)(ctx);
      return j ? { value: 1 / j.value } : null;
    },
  },
  {
    id: "tps_per_litre",
    label: "Generation tokens/s per litre",
    unit: "tokens/s/L",
    better: "higher",
    axis: "size",
    description: "Generation tokens/s divided by the board's envelope volume (catalogue or declared).",
    compute: (ctx) => {
      const tg = tgRate(ctx);
      const litres = envelopeLitres(ctx.envelope);
      return tg && litres ? { value: tg.value / litres } : null;
    },
  },
  {
    id: "perplexity",
    label: "Perplexity",
    unit: "",
    better: "lower",
    axis: "quality",
    description: "Perplexity over the suite's fixed public-domain text; compares quantisations of one model.",
    compute: ({ run }) => (run.quality ? { value: run.quality.perplexity } : null),
  },
];

export const METRIC_BY_ID: Readonly<Record<MetricId, MetricDef>> = Object.fromEntries(
  METRICS.map((m) => [m.id, m]),
) as Record<MetricId, MetricDef>;

export type ComputedMetrics = Partial<Record<MetricId, Figure>>;

/** All metrics of one model run that can be computed (absent = not measured). */
export function computeMetrics(ctx: MetricContext): ComputedMetrics {
  const out: ComputedMetrics = {};
  for (const m of METRICS) {
    const f = m.compute(ctx);
    if (f && Number.isFinite(f.value)) out[m.id] = f;
  }
  return out;
}
