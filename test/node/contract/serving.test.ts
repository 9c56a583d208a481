/** Serving figures from raw stream timings, the schema's rules for them, and which shapes rank. */
import {
  aggregateTps,
  computeMetrics,
  goodputRps,
  histogramPercentileNs,
  interTokenPercentileMs,
  percentile,
  ResultDocument,
  SERVING_SLO,
  servingCurve,
  streamTps,
  type TestResult,
  TestResult as TestResultSchema,
  TOKEN_TIME_BUCKETS,
  tokenTimeBucket,
  tokenTimeHistogram,
  ttftPercentileMs,
} from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { buildDocument } from "../../fixtures/documents.js";

const ms = 1e6;

/** Two repetitions of C streams of 4 generated tokens: first token at `ttft` ms, then gaps of `gap` ms (stream k's last gap `slow` ms). */
function concurrent(c: number, ttft: number[], gap: number, slow = gap): TestResult {
  const streams = ttft.map(() =>
    Array.from({ length: c }, (_, k) => ({ ttftNs: ttft[0]! * ms + k * ms, gapsNs: [gap * ms, gap * ms, (k === c - 1 ? slow : gap) * ms] })),
  );
  const samplesNs = streams.map((rep) => Math.max(...rep.map((s) => s.ttftNs + s.gapsNs.reduce((a, b) => a + b, 0))));
  return { name: `c${c}`, kind: "concurrent", nPrompt: 8, nGen: 4, depth: 0, status: "ok", samplesNs, concurrency: c, streams, slo: SERVING_SLO };
}

describe("serving figures", () => {
  it("nearest-rank percentiles", () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 95)).toBe(5);
    expect(percentile([5, 1, 4, 2, 3], 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });

  it("aggregate and per-stream rates, TTFT and inter-token percentiles from the streams", () => {
    const t = concurrent(2, [100, 100], 50);
    // Stream 1 starts 1 ms later: each repetition ends at 101 + 150 ms, and 2 x 4 tokens ran in it.
    expect(aggregateTps(t)).toBeCloseTo((2 * 4) / 0.251, 9);
    // 3 tokens after the first over 150 ms, in every stream.
    expect(streamTps(t)).toBeCloseTo(3 / 0.15, 9);
    expect(ttftPercentileMs(t, 95)).toBe(101);
    expect(interTokenPercentileMs(t, 99)).toBe(50);
  });

  it("counts as goodput only the requests that met both objectives, and nothing under another objective", () => {
    // The last stream's last gap is 900 ms: its own p95 gap misses the 200 ms objective.
    const t = concurrent(4, [100, 100], 50, 900);
    const wall = t.samplesNs[0]! / 1e9;
    expect(goodputRps(t)).toBeCloseTo(3 / wall, 9);
    const late = concurrent(4, [1500, 1500], 50);
    expect(goodputRps(late)).toBe(0);
    expect(goodputRps({ ...t, slo: { ttftMs: 2000, itlP95Ms: 200 } })).toBeNull();
  });

  it("a run's scaling curve: concurrent tests that ran, lowest concurrency first, the ranked shape marked", () => {
    const ranked = concurrent(4, [100, 100], 80);
    ranked.nPrompt = 128;
    ranked.nGen = 128;
    for (const rep of ranked.streams!) for (const st of rep) st.gapsNs = Array.from({ length: 127 }, () => 80 * ms);
    ranked.samplesNs = ranked.streams!.map((rep) => Math.max(...rep.map((st) => st.ttftNs + st.gapsNs.reduce((a, b) => a + b, 0))));
    const failed: TestResult = { ...concurrent(8, [100, 100], 50), status: "failed", error: "skipped: does not fit" };
    const tg: TestResult = { name: "tg4", kind: "tg", nPrompt: 0, nGen: 4, depth: 0, status: "ok", samplesNs: [4e6] };
    const curve = servingCurve([ranked, concurrent(1, [100, 100], 40), failed, tg, concurrent(2, [100, 100], 50)]);
    expect(curve.map((p) => [p.concurrency, p.ranked])).toEqual([
      [1, false],
      [2, false],
      [4, true],
    ]);
    // 4 x 128 tokens over each repetition's 103 ms + 127 x 80 ms, written out rather than through aggregateTps.
    expect(curve[2]!.aggregateTps).toBeCloseTo((4 * 128) / (0.103 + 127 * 0.08), 9);
    expect(curve[2]!.interTokenP95Ms).toBe(80);
    expect(curve[2]!.ttftP95Ms).toBe(103);
  });
});

describe("the schema's rules for concurrent tests and token times", () => {
  const ok = concurrent(2, [100, 100], 50);
  const issues = (t: unknown) => {
    const r = TestResultSchema.safeParse(t);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };

  it("takes a well-formed concurrent test", () => {
    expect(issues(ok)).toEqual([]);
  });

  it("refuses missing streams, a wrong stream count, too many gaps, tokens past the end", () => {
    expect(issues({ ...ok, concurrency: undefined })).toContain("a concurrent test states how many streams ran at once");
    expect(issues({ ...ok, streams: [ok.streams![0]] })).toContain("a concurrent test carries every repetition's streams");
    expect(issues({ ...ok, concurrency: 3 }).join()).toMatch(/has 2 streams, not 3/);
    const extraGap = structuredClone(ok);
    extraGap.streams![0]![0]!.gapsNs.push(ms);
    expect(issues(extraGap).join()).toMatch(/gaps must number 1 to nGen - 1/);
    const late = structuredClone(ok);
    late.streams![1]![0]!.ttftNs = late.samplesNs[1]! + 1;
    expect(issues(late).join()).toMatch(/first token came after repetition 1 ended/);
  });

  it("takes tokenNs only with nGen times per repetition", () => {
    const tg: TestResult = {
      name: "tg4",
      kind: "tg",
      nPrompt: 0,
      nGen: 4,
      depth: 0,
      status: "ok",
      samplesNs: [4e6, 4e6],
      tokenNs: [
        [ms, ms, ms, ms],
        [ms, ms, ms, ms],
      ],
    };
    expect(issues(tg)).toEqual([]);
    expect(issues({ ...tg, tokenNs: [[ms, ms, ms]] })).toContain("tokenNs holds nGen decode times for every repetition");
  });
});

describe("serving metrics", () => {
  it("rank only the suite's shape: 1, 2 and 4 streams of 128 + 128 tokens", () => {
    const doc = buildDocument({ tests: ["tg"], serving: { scaling: 1.6 } });
    expect(ResultDocument.safeParse(doc).success).toBe(true);
    const run = doc.runs[0]!;
    const m = computeMetrics({ run, doc });
    for (const id of [
      "serve_tps_c1",
      "serve_tps_c2",
      "serve_tps_c4",
      "serve_stream_tps_c4",
      "serve_ttft_p95_ms_c4",
      "goodput_rps_c4",
      "itl_p99_ms",
    ] as const)
      expect(m[id], id).toBeDefined();
    // Batching: four streams together deliver more than one, each stream less.
    expect(m.serve_tps_c4!.value).toBeGreaterThan(m.serve_tps_c1!.value);
    expect(m.serve_stream_tps_c4!.value).toBeLessThan(m.serve_tps_c1!.value);
    // Every 32nd token of the fixture's tg128 is 1.5 times slower: the p99 is one of those.
    const tg = run.tests.find((t) => t.kind === "tg")!;
    expect(m.itl_p99_ms!.value).toBeCloseTo(Math.max(...tg.tokenNs!.flat()) / 1e6, 9);
    // Another shape (64-token prompts) is kept, never ranked.
    for (const t of run.tests) if (t.kind === "concurrent") t.nPrompt = 64;
    expect(computeMetrics({ run, doc }).serve_tps_c4).toBeUndefined();
  });
});

describe("token-time histograms (the sustained test's inter-token times)", () => {
  it("puts each time in its 5 % bucket and reads percentiles within one bucket, never below the true value", () => {
    const times = Array.from({ length: 1000 }, (_, i) => (i % 100 === 99 ? 120 * ms : 40 * ms + i * 1000));
    const h = tokenTimeHistogram(times);
    expect(h.counts).toHaveLength(TOKEN_TIME_BUCKETS);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(h.maxNs).toBe(120 * ms);
    for (const p of [50, 95, 99]) {
      const exact = percentile(times, p);
      const read = histogramPercentileNs(h, p)!;
      expect(read).toBeGreaterThanOrEqual(exact);
      expect(read).toBeLessThanOrEqual(exact * 1.05);
    }
    expect(histogramPercentileNs(h, 100)).toBe(120 * ms);
    expect(histogramPercentileNs(tokenTimeHistogram([]), 50)).toBeNull();
    // The edges: at or under 100 µs is the first bucket, anything past 100 s the last.
    expect(tokenTimeBucket(50_000)).toBe(0);
    expect(tokenTimeBucket(1e12)).toBe(TOKEN_TIME_BUCKETS - 1);
  });

  it("gives a sustained test's inter-token percentiles, and the schema holds the counts to nGen", () => {
    const times = Array.from({ length: 200 }, (_, i) => 30 * ms + (i % 10) * ms);
    const t: TestResult = {
      name: "sustained",
      kind: "sustained",
      nPrompt: 0,
      nGen: 200,
      depth: 0,
      status: "ok",
      samplesNs: [times.reduce((a, b) => a + b, 0)],
      windows: { ms: 1000, tokens: [200] },
      tokenTimes: tokenTimeHistogram(times),
    };
    expect(TestResultSchema.safeParse(t).success).toBe(true);
    expect(interTokenPercentileMs(t, 99)).toBeGreaterThanOrEqual(39);
    expect(interTokenPercentileMs(t, 99)).toBeLessThanOrEqual(39 * 1.05);
    expect(TestResultSchema.safeParse({ ...t, nGen: 201, windows: { ms: 1000, tokens: [201] } }).success).toBe(false);
  });
});
