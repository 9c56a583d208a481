/**
 * A concurrent test over HTTP: C streaming requests started together, each a
 * prompt of ~nPrompt tokens from the suite's corpus (its own nonce, so no
 * stream shares another's prompt cache) asking for nGen tokens with
 * ignore_eos, as the other HTTP tests ask. A repetition starts when the first
 * request is handed to the network and ends at the last stream's last token;
 * each stream's time to first token counts from that start, so a request the
 * server queues behind others shows the wait, and its gaps are those between
 * its content chunks (one per token on the servers we know, fewer when a
 * server batches tokens into a chunk). Every figure (aggregate tokens/s,
 * percentiles, goodput) is the contract's, from these raw streams.
 *
 * One stream failing fails the test: the others are cancelled (a half-served
 * level has no honest aggregate), and the whole test, warm-up included, runs
 * under a time limit besides each request's own.
 */
import {
  aggregateTps,
  goodputRps,
  interTokenPercentileMs,
  LIMITS,
  SERVING_GEN_TOKENS,
  SERVING_PROMPT_TOKENS,
  SERVING_SLO,
  type ServiceObjective,
  type StreamTiming,
  streamTps,
  type TestResult,
  ttftPercentileMs,
} from "@edgebench/contract";
import type { SuiteTest } from "../../suite/index.js";
import type { GenClient, GenRequest, GenResult } from "./client.js";
import { type CountSource, counts, type HttpTestOutcome, leastSure, varies } from "./measure.js";
import type { PromptMaker } from "./prompts.js";
import { seconds } from "./stream.js";
import type { LocalTokenizer } from "./tokens.js";

/** One concurrent test to run: the suite's shape at one level, under one objective. */
export interface ConcurrentPlan {
  test: SuiteTest;
  concurrency: number;
  slo: ServiceObjective;
}

export interface ConcurrentInputs {
  client: GenClient;
  prompts: PromptMaker;
  tokenizer?: LocalTokenizer;
  /** The server's context size when known; a stream that cannot fit skips the level. */
  contextSize?: number;
  warmup: number;
  reps: number;
  /** Limit for the whole test, warm-up and repetitions together. */
  testTimeoutMs: number;
}

/** Default limit for one concurrent test: half an hour, for a fleet endpoint's highest level on a slow model. */
export const DEFAULT_TEST_TIMEOUT_MS = 1_800_000;

const suiteSlo = (test: SuiteTest): ServiceObjective => test.slo ?? SERVING_SLO;

/** A level's test name, as the suite names its own: "c4-pp128+tg128". */
function levelName(template: SuiteTest, c: number): string {
  const m = /^c\d+-(.+)$/.exec(template.name);
  return `c${c}-${m ? m[1] : `pp${template.nPrompt}+tg${template.nGen}`}`;
}

export type HttpTestStep = { kind: "single"; test: SuiteTest } | { kind: "concurrent"; plan: ConcurrentPlan };

/**
 * The suite's tests in order, its concurrent tests expanded to their levels.
 * `levels` (--concurrency) replaces the suite's levels, in the order given, for
 * every concurrent shape the suite has (the serving shape when it has none):
 * such levels are recorded and shown, and ranked only where they match the suite's.
 */
export function httpTestSteps(tests: readonly SuiteTest[], levels?: readonly number[]): HttpTestStep[] {
  const concurrent = tests.filter((t) => t.kind === "concurrent");
  const steps: HttpTestStep[] = [];
  const expand = (): HttpTestStep[] => {
    // The suite's schema makes every concurrent test name its level; a missing one fails that test, saying so.
    if (!levels?.length)
      return concurrent.map((t) => ({ kind: "concurrent" as const, plan: { test: t, concurrency: t.concurrency ?? 0, slo: suiteSlo(t) } }));
    const shapes: SuiteTest[] = concurrent.length
      ? concurrent
      : [{ name: "serving", kind: "concurrent", nPrompt: SERVING_PROMPT_TOKENS, nGen: SERVING_GEN_TOKENS, depth: 0 }];
    const seen = new Set<string>();
    return shapes.flatMap((t) => {
      const slo = suiteSlo(t);
      const key = `${t.nPrompt}/${t.nGen}/${slo.ttftMs}/${slo.itlP95Ms}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return levels.map((c) => ({
        kind: "concurrent" as const,
        plan: { test: { ...t, name: levelName(t, c), concurrency: c }, concurrency: c, slo },
      }));
    });
  };
  let placed = false;
  for (const t of tests) {
    if (t.kind !== "concurrent") steps.push({ kind: "single", test: t });
    else if (!placed) {
      placed = true;
      steps.push(...expand());
    }
  }
  if (!placed) steps.push(...expand());
  return steps;
}

/** The earliest or latest of some clock readings (Math.min/max take no bigint). */
function extremeNs(xs: bigint[], which: "first" | "last"): bigint {
  let out = xs[0]!;
  for (const x of xs) if (which === "first" ? x < out : x > out) out = x;
  return out;
}

interface StreamFigures {
  timing: StreamTiming;
  lastNs: bigint;
  prompt: number;
  gen: number;
  source: CountSource;
  chunks: number;
}

/** C requests at once; the first failure cancels the rest and is the one reported. */
async function oneRepetition(
  plan: ConcurrentPlan,
  inp: ConcurrentInputs,
  testSignal: AbortSignal,
): Promise<{ answers: Array<{ r: GenResult; req: GenRequest }> } | { error: string }> {
  const c = plan.concurrency;
  const { nPrompt, nGen } = plan.test;
  const reqs: GenRequest[] = Array.from({ length: c }, () => ({
    kind: "text",
    prompt: nPrompt > 0 ? inp.prompts.text(nPrompt) : inp.prompts.minimal(),
    maxTokens: Math.max(1, nGen),
    ignoreEos: true,
  }));
  const ac = new AbortController();
  const onTestAbort = () => ac.abort(testSignal.reason);
  if (testSignal.aborted) return { error: String(testSignal.reason) };
  testSignal.addEventListener("abort", onTestAbort, { once: true });
  let error: string | undefined;
  try {
    const settled = await Promise.allSettled(
      reqs.map((req, i) =>
        inp.client.generate(req, ac.signal).then(
          (r) => ({ r, req }),
          (err: unknown) => {
            if (error === undefined) {
              error = `stream ${i + 1} of ${c}: ${(err as Error).message}`;
              ac.abort(`cancelled: stream ${i + 1} of ${c} failed`);
            }
            throw err;
          },
        ),
      ),
    );
    if (error !== undefined) return { error };
    return { answers: settled.map((s) => (s as PromiseFulfilledResult<{ r: GenResult; req: GenRequest }>).value) };
  } finally {
    testSignal.removeEventListener("abort", onTestAbort);
  }
}

function streamFigures(a: { r: GenResult; req: GenRequest }, startNs: bigint, tokenizer: LocalTokenizer | undefined): StreamFigures | string {
  const { r } = a;
  const first = r.firstTokenNs;
  if (first === undefined) return `the server returned no token (finish_reason ${r.finishReason ?? "none"})`;
  const times = r.tokenTimesNs.length ? r.tokenTimesNs : [first];
  const c = counts(r, a.req, tokenizer);
  return {
    timing: {
      ttftNs: Math.max(1, Number(first - startNs)),
      gapsNs: times.slice(1).map((t, i) => Number(t - times[i]!)),
    },
    lastNs: times.at(-1)!,
    prompt: c.prompt,
    gen: c.gen,
    source: c.source,
    chunks: times.length,
  };
}

export async function measureConcurrentTest(plan: ConcurrentPlan, inp: ConcurrentInputs): Promise<HttpTestOutcome> {
  const { test, concurrency: c, slo } = plan;
  const fail = (error: string): HttpTestOutcome => ({
    test: {
      name: test.name,
      kind: "concurrent",
      nPrompt: test.nPrompt,
      nGen: test.nGen,
      depth: 0,
      status: "failed",
      error: error.slice(0, 1024),
      samplesNs: [],
      ...(c >= 1 && c <= LIMITS.maxStreams ? { concurrency: c } : {}),
      slo,
    },
    windows: [],
    notes: [],
  });
  if (!(Number.isInteger(c) && c >= 1 && c <= LIMITS.maxStreams))
    return fail(`the suite's test ${test.name} names no concurrency level from 1 to ${LIMITS.maxStreams}`);
  if (test.depth !== 0) return fail("a concurrent test starts from an empty context (depth 0)");
  if (test.nGen < 1) return fail("a concurrent test generates at least one token per stream");
  if (inp.contextSize !== undefined && test.nPrompt + test.nGen > inp.contextSize)
    return fail(`skipped: each stream needs ${test.nPrompt + test.nGen} tokens of context, the server's context holds ${inp.contextSize}`);

  const testAc = new AbortController();
  const limit = setTimeout(() => testAc.abort(`the test ran past its time limit (${seconds(inp.testTimeoutMs)}, --test-timeout)`), inp.testTimeoutMs);
  const reps: Array<Array<{ r: GenResult; req: GenRequest }>> = [];
  try {
    for (let i = 0; i < inp.warmup + inp.reps; i++) {
      const timed = i >= inp.warmup;
      const label = timed ? `repetition ${i - inp.warmup + 1} of ${inp.reps}` : `warm-up ${i + 1}`;
      const out = await oneRepetition(plan, inp, testAc.signal);
      if ("error" in out) return fail(`${label}: ${out.error}`);
      if (timed) reps.push(out.answers);
    }
  } finally {
    clearTimeout(limit);
  }

  const notes: string[] = [];
  const perRep: Array<{ startNs: bigint; endNs: bigint; streams: StreamFigures[] }> = [];
  for (const [i, answers] of reps.entries()) {
    // The repetition starts as its first request goes out (they all go out within the same tick).
    const startNs = extremeNs(
      answers.map((a) => a.r.sentNs),
      "first",
    );
    const streams: StreamFigures[] = [];
    for (const [k, a] of answers.entries()) {
      const f = streamFigures(a, startNs, inp.tokenizer);
      if (typeof f === "string") return fail(`repetition ${i + 1} of ${inp.reps}, stream ${k + 1} of ${c}: ${f}`);
      streams.push(f);
    }
    const endNs = extremeNs(
      streams.map((s) => s.lastNs),
      "last",
    );
    perRep.push({ startNs, endNs, streams });
  }
  const all = perRep.flatMap((r) => r.streams);
  // One count per test, the smallest of any stream: no stream is credited with a token it may not have made.
  const nGen = Math.min(...all.map((s) => s.gen));
  const nPrompt = Math.min(...all.map((s) => s.prompt));
  if (nGen < 1) return fail("the server generated no tokens");
  if (nPrompt < 1 && test.nPrompt > 0) return fail("the server reported 0 prompt tokens");
  if (nGen > 1 && all.some((s) => s.chunks < 2))
    return fail(`a stream arrived as one chunk of ${nGen} or more tokens: no time between its tokens to measure (does the server stream?)`);
  const prompts = all.map((s) => s.prompt);
  const gens = all.map((s) => s.gen);
  if (varies(gens) || varies(prompts))
    notes.push(
      `token counts varied between streams (prompt ${nPrompt}-${Math.max(...prompts)}, generated ${nGen}-${Math.max(...gens)}); the smallest is recorded`,
    );
  if (nGen < test.nGen) notes.push(`the server returned ${nGen} of ${test.nGen} tokens in a stream (it stopped early: no ignore_eos?)`);
  let trimmed = false;
  for (const s of all) {
    // A stream with more chunks than the recorded count keeps the gaps of its first nGen tokens.
    if (s.timing.gapsNs.length > nGen - 1) {
      s.timing.gapsNs = s.timing.gapsNs.slice(0, nGen - 1);
      trimmed = true;
    }
  }
  if (trimmed) notes.push(`streams with more than ${nGen} token chunks keep the gaps of their first ${nGen} tokens`);
  if (all.some((s) => s.chunks < Math.min(s.gen, nGen)))
    notes.push("the server sent several tokens in some chunks: the gaps are between chunks, not tokens");

  const result: TestResult = {
    name: test.name,
    kind: "concurrent",
    nPrompt: Math.max(0, nPrompt),
    nGen,
    depth: 0,
    status: "ok",
    samplesNs: perRep.map((r) => Math.max(1, Number(r.endNs - r.startNs))),
    timing: "client",
    tokenCounts: leastSure(all.map((s) => s.source)),
    concurrency: c,
    streams: perRep.map((r) => r.streams.map((s) => s.timing)),
    slo,
  };
  return { test: result, windows: perRep.map((r) => ({ startNs: r.startNs, endNs: r.endNs })), notes };
}

const f1 = (v: number | null, digits = 1) => (v === null ? "n/a" : v.toFixed(digits));

/** The console line for a concurrent test: the contract's serving figures, goodput against the test's own objective. */
export function concurrentSummary(test: TestResult): string {
  const goodput = test.slo ? goodputRps(test, test.slo) : null;
  const slo = test.slo ?? SERVING_SLO;
  return [
    `${f1(aggregateTps(test))} tokens/s aggregate at ${test.concurrency} stream${test.concurrency === 1 ? "" : "s"}`,
    `${f1(streamTps(test))} tokens/s per stream`,
    `TTFT p95 ${f1(ttftPercentileMs(test, 95), 2)} ms`,
    `inter-token p95 ${f1(interTokenPercentileMs(test, 95), 2)} ms`,
    `goodput ${f1(goodput, 2)} requests/s (TTFT ≤ ${slo.ttftMs} ms, p95 gap ≤ ${slo.itlP95Ms} ms)`,
    `${test.tokenCounts} counts`,
  ].join(" · ");
}
