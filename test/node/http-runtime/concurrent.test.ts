/**
 * Concurrent tests over HTTP (runtimes/http/concurrent.ts) against a server
 * on 127.0.0.1 whose pace is known in advance: every answer's first token 80
 * ms after its request gets a slot, then one token every 10 ms, two slots. The
 * measured figures must be what the server enforces.
 *
 * Tolerances: the server never sends sooner than its schedule and the client's
 * clock starts before the request reaches it, so every lower bound is exact.
 * Upper bounds allow for loopback, JSON and late timers on a loaded two-core
 * machine (load average 8 while these were written: single readings came 30
 * to 40 ms late): 60 ms on any one reading, 25 ms on a median, and 3 ms on
 * the median gap between tokens, which lateness spread over a fixed schedule
 * does not move.
 */
import {
  aggregateTps,
  goodputRps,
  interTokenPercentileMs,
  median,
  SERVING_SLO,
  type ServiceObjective,
  TestResult,
  ttftPercentileMs,
} from "@edgebench/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type GenClient } from "../../../uploader/src/runtimes/http/client.js";
import { type ConcurrentInputs, httpTestSteps, measureConcurrentTest } from "../../../uploader/src/runtimes/http/concurrent.js";
import { PromptMaker } from "../../../uploader/src/runtimes/http/prompts.js";
import type { SuiteTest } from "../../../uploader/src/suite/index.js";
import { type OpenAiServer, startOpenAiServer } from "../../fixtures/http-runtime/openai-server.js";

const TTFT_MS = 80;
const TOKEN_MS = 10;
const N_GEN = 16;
/** One answer from slot to last token: the first token, then 15 more paced ones. */
const ANSWER_MS = TTFT_MS + (N_GEN - 1) * TOKEN_MS;
const SLACK = 60;
const MEDIAN_SLACK = 25;
/** A test limit past the first repetition's end whatever the machine's load, and well before the third's. */
const LIMIT_MS = Math.round((1.5 * ANSWER_MS + SLACK) / 100) * 100;
/**
 * Met by an answer served at once (80 ms), missed by one that waited for a
 * slot (310 ms). The gap bound is loose (10 x the pace): a stream's p95 over
 * 15 gaps is its largest, and one late timer on a loaded machine can hold a
 * token back tens of ms; queueing is what these tests divide by.
 */
const SLO: ServiceObjective = { ttftMs: 200, itlP95Ms: 100 };

const shape: SuiteTest = { name: "c-pp16+tg16", kind: "concurrent", nPrompt: 16, nGen: N_GEN, depth: 0 };
const ms = (ns: number) => ns / 1e6;

describe("concurrent streams against a server with a known pace and 2 slots", () => {
  let server: OpenAiServer;
  let inputs: ConcurrentInputs;
  beforeAll(async () => {
    server = await startOpenAiServer({ modelName: "paced", ttftMs: TTFT_MS, tokenDelayMs: TOKEN_MS, parallel: 2 });
    const client = createClient({ api: "openai", baseUrl: server.url, model: "paced", requestTimeoutMs: 5_000, stallTimeoutMs: 2_000 });
    inputs = {
      client,
      prompts: new PromptMaker("It is a truth universally acknowledged, that a single man in possession of a good fortune."),
      warmup: 1,
      reps: 3,
      testTimeoutMs: 10_000,
    };
  });
  afterAll(() => server?.close());

  it("C=1: the server's time to first token, its token pace, and one request per repetition in goodput", async () => {
    const { test, windows } = await measureConcurrentTest({ test: { ...shape, name: "c1" }, concurrency: 1, slo: SLO }, inputs);
    expect(test.status, test.error).toBe("ok");
    TestResult.parse(test);
    expect(test).toMatchObject({
      kind: "concurrent",
      concurrency: 1,
      nGen: N_GEN,
      depth: 0,
      timing: "client",
      tokenCounts: "server-usage",
      slo: SLO,
    });
    expect(Math.abs(test.nPrompt - 16)).toBeLessThanOrEqual(4);
    expect(test.streams).toHaveLength(3);
    expect(windows).toHaveLength(3);
    for (const [r, rep] of test.streams!.entries()) {
      expect(rep).toHaveLength(1);
      const s = rep[0]!;
      expect(ms(s.ttftNs)).toBeGreaterThanOrEqual(TTFT_MS);
      expect(ms(s.ttftNs)).toBeLessThan(TTFT_MS + SLACK);
      expect(s.gapsNs).toHaveLength(N_GEN - 1);
      expect(ms(test.samplesNs[r]!)).toBeGreaterThanOrEqual(ANSWER_MS);
      expect(ms(test.samplesNs[r]!)).toBeLessThan(ANSWER_MS + SLACK);
      expect(Number(windows[r]!.endNs - windows[r]!.startNs)).toBe(test.samplesNs[r]);
    }
    expect(ttftPercentileMs(test, 50)!).toBeLessThan(TTFT_MS + MEDIAN_SLACK);
    expect(ms(median(test.samplesNs))).toBeLessThan(ANSWER_MS + MEDIAN_SLACK);
    // Tokens leave the server every 10 ms on a fixed schedule: the middle gap is the pace.
    expect(interTokenPercentileMs(test, 50)!).toBeGreaterThan(TOKEN_MS - 3);
    expect(interTokenPercentileMs(test, 50)!).toBeLessThan(TOKEN_MS + 3);
    expect(interTokenPercentileMs(test, 95)!).toBeLessThan(TOKEN_MS + 15);
    // 16 tokens in 230 ms: 69.6 tokens/s at most.
    const agg = aggregateTps(test)!;
    expect(agg).toBeLessThanOrEqual((N_GEN * 1000) / ANSWER_MS);
    expect(agg).toBeGreaterThan((N_GEN * 1000) / (ANSWER_MS + SLACK));
    const goodput = goodputRps(test, SLO)!;
    expect(goodput).toBeLessThanOrEqual(1000 / ANSWER_MS);
    expect(goodput).toBeGreaterThan(1000 / (ANSWER_MS + SLACK));
  });

  it("C=2 on 2 slots: no stream waits, and the aggregate doubles", async () => {
    const { test } = await measureConcurrentTest({ test: { ...shape, name: "c2" }, concurrency: 2, slo: SLO }, inputs);
    expect(test.status, test.error).toBe("ok");
    TestResult.parse(test);
    expect(server.peakActive).toBe(2);
    for (const s of test.streams!.flat()) {
      expect(ms(s.ttftNs)).toBeGreaterThanOrEqual(TTFT_MS);
      expect(ms(s.ttftNs)).toBeLessThan(TTFT_MS + SLACK);
      expect(s.gapsNs).toHaveLength(N_GEN - 1);
    }
    expect(ttftPercentileMs(test, 50)!).toBeLessThan(TTFT_MS + MEDIAN_SLACK);
    for (const ns of test.samplesNs) expect(ms(ns)).toBeLessThan(ANSWER_MS + SLACK);
    expect(interTokenPercentileMs(test, 50)!).toBeGreaterThan(TOKEN_MS - 3);
    expect(interTokenPercentileMs(test, 50)!).toBeLessThan(TOKEN_MS + 3);
    const agg = aggregateTps(test)!;
    expect(agg).toBeLessThanOrEqual((2 * N_GEN * 1000) / ANSWER_MS);
    expect(agg).toBeGreaterThan((2 * N_GEN * 1000) / (ANSWER_MS + SLACK));
    const goodput = goodputRps(test, SLO)!;
    // A stream's 15 gaps span at least 150 ms, so its largest (its p95) is at least the 10 ms pace: none meets 5 ms.
    const tight = { ttftMs: 1000, itlP95Ms: 5 };
    expect(goodputRps({ ...test, slo: tight }, tight)).toBe(0);
    expect(goodput).toBeLessThanOrEqual(2000 / ANSWER_MS);
    expect(goodput).toBeGreaterThan(2000 / (ANSWER_MS + SLACK));
  });

  it("C=4 on 2 slots: two streams queue behind the others, and only the two served at once count in goodput", async () => {
    const { test } = await measureConcurrentTest({ test: { ...shape, name: "c4" }, concurrency: 4, slo: SLO }, { ...inputs, warmup: 0, reps: 2 });
    expect(test.status, test.error).toBe("ok");
    TestResult.parse(test);
    // The queued pair starts once a slot frees (one whole answer), then waits its own 80 ms.
    const queuedMs = ANSWER_MS + TTFT_MS;
    for (const [r, rep] of test.streams!.entries()) {
      const ttfts = rep.map((s) => ms(s.ttftNs)).sort((a, b) => a - b);
      expect(ttfts[0]).toBeGreaterThanOrEqual(TTFT_MS);
      expect(ttfts[1]).toBeLessThan(TTFT_MS + SLACK);
      expect(ttfts[2]).toBeGreaterThanOrEqual(queuedMs);
      expect(ttfts[3]).toBeLessThan(queuedMs + SLACK);
      expect(ms(test.samplesNs[r]!)).toBeGreaterThanOrEqual(2 * ANSWER_MS);
      expect(ms(test.samplesNs[r]!)).toBeLessThan(2 * ANSWER_MS + SLACK);
    }
    expect(ttftPercentileMs(test, 95)!).toBeGreaterThanOrEqual(queuedMs);
    // The queue does not slow a stream once it is served: the pace is still 10 ms.
    expect(interTokenPercentileMs(test, 50)!).toBeLessThan(TOKEN_MS + 3);
    const agg = aggregateTps(test)!;
    expect(agg).toBeLessThanOrEqual((4 * N_GEN * 1000) / (2 * ANSWER_MS));
    expect(agg).toBeGreaterThan((4 * N_GEN * 1000) / (2 * ANSWER_MS + SLACK));
    // Two of four requests per repetition met the objective.
    const goodput = goodputRps(test, SLO)!;
    expect(goodput).toBeLessThanOrEqual(2000 / (2 * ANSWER_MS));
    expect(goodput).toBeGreaterThan(2000 / (2 * ANSWER_MS + SLACK));
    // Under a looser objective every request counts: goodput is the test's own objective's.
    const loose = { ttftMs: 1000, itlP95Ms: 100 };
    expect(goodputRps({ ...test, slo: loose }, loose)!).toBeCloseTo(2 * goodput, 5);
  });

  it("a connection dropped mid-stream fails the test with the reason, promptly, and the next test runs", async () => {
    server.fault = "reset";
    const t0 = Date.now();
    const { test } = await measureConcurrentTest({ test: { ...shape, name: "c2" }, concurrency: 2, slo: SLO }, inputs);
    server.fault = "none";
    expect(test.status).toBe("failed");
    expect(test.error).toMatch(/^warm-up 1: stream [12] of 2: connection lost mid-stream after \d+ event\(s\)/);
    expect(test).toMatchObject({ concurrency: 2, samplesNs: [] });
    TestResult.parse(test);
    // Failed at the first drop, not after the other stream's request timeout (5 s).
    expect(Date.now() - t0).toBeLessThan(2_000);

    const next = await measureConcurrentTest({ test: { ...shape, name: "c1" }, concurrency: 1, slo: SLO }, { ...inputs, warmup: 0, reps: 1 });
    expect(next.test.status, next.test.error).toBe("ok");
  });

  it("a test that runs past its time limit fails, saying which limit", async () => {
    const t0 = Date.now();
    const { test } = await measureConcurrentTest(
      { test: { ...shape, name: "c2" }, concurrency: 2, slo: SLO },
      // Past one repetition (an answer takes ANSWER_MS), well short of three, even on a loaded machine.
      { ...inputs, warmup: 0, reps: 3, testTimeoutMs: LIMIT_MS },
    );
    expect(test.status).toBe("failed");
    expect(test.error).toMatch(
      new RegExp(`^repetition [23] of 3: stream [12] of 2: the test ran past its time limit \\(${LIMIT_MS / 1000} s, --test-timeout\\)`),
    );
    expect(Date.now() - t0).toBeLessThan(LIMIT_MS + 1_000);
  });

  it("a level whose streams cannot fit the server's context is skipped", async () => {
    const { test } = await measureConcurrentTest({ test: shape, concurrency: 2, slo: SLO }, { ...inputs, contextSize: 24 });
    expect(test).toMatchObject({ status: "failed", error: "skipped: each stream needs 32 tokens of context, the server's context holds 24" });
  });
});

describe("a repetition's streams fail together", () => {
  it("the first stream's failure is the one reported, and the others are cancelled rather than waited for", async () => {
    const cancelled: string[] = [];
    let calls = 0;
    const client: GenClient = {
      generate(_req, signal) {
        // Stream 1 fails at once; the others never answer unless cancelled.
        if (calls++ === 0) return Promise.reject(new Error("HTTP 503 Service Unavailable from /v1/completions"));
        return new Promise((_resolve, reject) =>
          signal!.addEventListener("abort", () => {
            cancelled.push(String(signal!.reason));
            reject(new Error(String(signal!.reason)));
          }),
        );
      },
    };
    const { test } = await measureConcurrentTest(
      { test: shape, concurrency: 3, slo: SLO },
      { client, prompts: new PromptMaker("Some corpus text."), warmup: 0, reps: 1, testTimeoutMs: 5_000 },
    );
    expect(test).toMatchObject({ status: "failed", error: "repetition 1 of 1: stream 1 of 3: HTTP 503 Service Unavailable from /v1/completions" });
    expect(cancelled).toEqual(["cancelled: stream 1 of 3 failed", "cancelled: stream 1 of 3 failed"]);
  });
});

describe("httpTestSteps: which concurrent tests a run makes", () => {
  const single: SuiteTest = { name: "tg16", kind: "tg", nPrompt: 0, nGen: 16, depth: 0 };
  const level = (c: number): SuiteTest => ({
    name: `c${c}-pp16+tg16`,
    kind: "concurrent",
    nPrompt: 16,
    nGen: 16,
    depth: 0,
    concurrency: c,
    slo: SLO,
  });
  const names = (steps: ReturnType<typeof httpTestSteps>) =>
    steps.map((s) => (s.kind === "single" ? s.test.name : `${s.plan.test.name}@${s.plan.concurrency}`));

  it("runs the suite's levels, in place, under the suite's objective", () => {
    const steps = httpTestSteps([single, level(1), level(4), { ...single, name: "ttft", kind: "ttft" }]);
    expect(names(steps)).toEqual(["tg16", "c1-pp16+tg16@1", "c4-pp16+tg16@4", "ttft"]);
    expect(steps[2]).toMatchObject({ kind: "concurrent", plan: { slo: SLO } });
  });

  it("--concurrency replaces the suite's levels with its own, in its order, keeping the shape and objective", () => {
    const steps = httpTestSteps([single, level(1), level(2), level(4)], [1, 4, 16]);
    expect(names(steps)).toEqual(["tg16", "c1-pp16+tg16@1", "c4-pp16+tg16@4", "c16-pp16+tg16@16"]);
    expect(steps[3]).toMatchObject({ plan: { test: { nPrompt: 16, nGen: 16, concurrency: 16 }, slo: SLO } });
  });

  it("a suite without serving tests gets the serving shape and objective at the levels asked for, after its own tests", () => {
    const steps = httpTestSteps([single], [8]);
    expect(names(steps)).toEqual(["tg16", "c8-pp128+tg128@8"]);
    expect(steps[1]).toMatchObject({ plan: { test: { nPrompt: 128, nGen: 128 }, slo: SERVING_SLO } });
    expect(names(httpTestSteps([single]))).toEqual(["tg16"]);
  });
});
