/**
 * Serving figures: several users on one board. A concurrent test runs C
 * streams at once (batched decoding in one llama.cpp context, as llama-server
 * and llama-batched-bench do, or C concurrent requests to an HTTP server); the
 * document keeps each stream's time to first token and the gaps between its
 * tokens, and every figure here is computed from those.
 *
 * The levels, prompt and generation lengths and the service objective that
 * rank are fixed here (the suite names the same ones as data): figures of
 * other shapes are kept and shown, compared with nothing.
 */
import type { ServiceObjective, TestResult } from "./schema.js";
import { mean, percentile } from "./stats.js";
import { histogramPercentileNs } from "./token-times.js";

/** The concurrency levels the suite runs and the registry ranks. */
export const SERVING_LEVELS = [1, 2, 4] as const;
/** The level the serving view ranks by: the highest of the suite's. */
export const SERVING_RANKED_C = 4;
/** Tokens each stream's prompt holds and each stream generates at every level. */
export const SERVING_PROMPT_TOKENS = 128;
export const SERVING_GEN_TOKENS = 128;
/** A request counts towards goodput when it meets both (vLLM / GuideLLM style service objective). */
export const SERVING_SLO: ServiceObjective = { ttftMs: 1000, itlP95Ms: 200 };

/** Whether a concurrent test has the ranked shape: C streams of 128 prompt + 128 generated tokens, under the ranked objective. */
export function isRankedConcurrent(test: TestResult, c: number): boolean {
  return (
    test.kind === "concurrent" &&
    test.status === "ok" &&
    test.concurrency === c &&
    test.nPrompt === SERVING_PROMPT_TOKENS &&
    test.nGen === SERVING_GEN_TOKENS &&
    test.depth === 0 &&
    test.streams !== undefined
  );
}

/** Aggregate generation tokens/s of each repetition: C x nGen over its wall time (first prompt token to the last stream's last token). */
export function aggregateRates(test: TestResult): number[] {
  if (!test.streams || !test.concurrency) return [];
  const c = test.concurrency;
  return test.samplesNs.map((ns) => (c * test.nGen * 1e9) / ns);
}

/** Aggregate generation tokens/s: the mean over repetitions of aggregateRates. */
export function aggregateTps(test: TestResult): number | null {
  const rates = aggregateRates(test);
  return rates.length ? mean(rates) : null;
}

/** What one stream saw, per stream and repetition: its generation rate after the first token (tokens/s) and its gaps. */
function streamRates(test: TestResult): number[] {
  return (test.streams ?? []).flat().flatMap((s) => {
    const span = s.gapsNs.reduce((a, b) => a + b, 0);
    return span > 0 ? [((test.nGen - 1) * 1e9) / span] : [];
  });
}

/** Per-stream generation tokens/s at the test's concurrency: the mean over every stream of every repetition. */
export function streamTps(test: TestResult): number | null {
  const rates = streamRates(test);
  return rates.length ? mean(rates) : null;
}

/** Time to first token at the test's concurrency, percentile p over every stream of every repetition, in ms. */
export function ttftPercentileMs(test: TestResult, p: number): number | null {
  const all = (test.streams ?? []).flat().map((s) => s.ttftNs / 1e6);
  return all.length ? percentile(all, p) : null;
}

/**
 * Gaps between generated tokens in ms: a concurrent test's streams' gaps, a
 * generation test's per-token decode times (tokenNs), or a sustained test's
 * token-time histogram (within one 5 % bucket). Percentile p over all.
 */
export function interTokenPercentileMs(test: TestResult, p: number): number | null {
  if (!test.streams && !test.tokenNs && test.tokenTimes) {
    const ns = histogramPercentileNs(test.tokenTimes, p);
    return ns === null ? null : ns / 1e6;
  }
  const gaps = test.streams ? test.streams.flat().flatMap((s) => s.gapsNs) : (test.tokenNs ?? []).flat();
  return gaps.length ? percentile(gaps, p) / 1e6 : null;
}

/**
 * Goodput: requests per second that met the objective (time to first token
 * and their own p95 gap both within it), per repetition over its wall time,
 * mean over repetitions. Null when the test ran under another objective.
 */
export function goodputRps(test: TestResult, slo: ServiceObjective = SERVING_SLO): number | null {
  if (!test.streams || test.samplesNs.length !== test.streams.length) return null;
  if (!test.slo || test.slo.ttftMs !== slo.ttftMs || test.slo.itlP95Ms !== slo.itlP95Ms) return null;
  return mean(
    test.streams.map((rep, r) => {
      const met = rep.filter((s) => s.ttftNs / 1e6 <= slo.ttftMs && (s.gapsNs.length === 0 || percentile(s.gapsNs, 95) / 1e6 <= slo.itlP95Ms));
      return (met.length * 1e9) / test.samplesNs[r]!;
    }),
  );
}

/** One point of a run's scaling curve: a concurrency level and what it delivered. */
export interface ServingPoint {
  concurrency: number;
  aggregateTps: number;
  streamTps: number | null;
  ttftP95Ms: number | null;
  interTokenP95Ms: number | null;
  /** Ranked shape (./isRankedConcurrent) or another. */
  ranked: boolean;
}

/** A run's concurrent tests as a scaling curve, lowest concurrency first (the result and compare pages plot it). */
export function servingCurve(tests: readonly TestResult[]): ServingPoint[] {
  return tests
    .filter((t) => t.kind === "concurrent" && t.status === "ok" && t.concurrency !== undefined)
    .flatMap((t) => {
      const agg = aggregateTps(t);
      return agg === null
        ? []
        : [
            {
              concurrency: t.concurrency!,
              aggregateTps: agg,
              streamTps: streamTps(t),
              ttftP95Ms: ttftPercentileMs(t, 95),
              interTokenP95Ms: interTokenPercentileMs(t, 95),
              ranked: isRankedConcurrent(t, t.concurrency!),
            },
          ];
    })
    .sort((a, b) => a.concurrency - b.concurrency);
}
