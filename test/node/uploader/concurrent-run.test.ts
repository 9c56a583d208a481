/**
 * The concurrent test and per-token decode times on real inference: the
 * runner (runBenchmark, the function `edgebench run` calls, its child process
 * included) on the tiny model with a small suite: a tg128, 2 streams of a
 * small shape, 4 streams of the ranked shape (128 + 128) and 8 streams that
 * cannot fit the context. One thread, two repetitions: a few seconds.
 */
import {
  aggregateTps,
  computeMetrics,
  type ResultDocument as Doc,
  ResultDocument,
  SERVING_SLO,
  streamTps,
  type TestResult,
} from "@edgebench/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../uploader/src/config.js";
import { runBenchmark } from "../../../uploader/src/runner/index.js";
import { loadSuite, type Suite } from "../../../uploader/src/suite/index.js";
import { SuiteDefinition } from "../../../uploader/src/suite/schema.js";
import { tinyModel } from "../helpers/models.js";

const REPS = 2;
const CONTEXT = 1024;

function smallSuite(): Suite {
  const full = loadSuite();
  const concurrent = (c: number, nPrompt: number, nGen: number) => ({
    name: `c${c}-pp${nPrompt}+tg${nGen}`,
    kind: "concurrent" as const,
    concurrency: c,
    nPrompt,
    nGen,
    depth: 0,
    slo: SERVING_SLO,
  });
  const tests = [
    { name: "tg128", kind: "tg" as const, nPrompt: 0, nGen: 128, depth: 0 },
    concurrent(2, 24, 12),
    concurrent(4, 128, 128),
    // 8 x 256 tokens: more than the 1024 the context holds.
    concurrent(8, 128, 128),
  ];
  // Through the suite schema, as a suite file would be read.
  const { corpusText, accuracyTasks: _tasks, ...def } = full;
  return { ...SuiteDefinition.parse({ ...def, id: "edge-llm-concurrent-test", version: "test", tests }), corpusText };
}

let doc: Doc;
const lines: string[] = [];
const byName = (name: string): TestResult => doc.runs[0]!.tests.find((t) => t.name === name)!;

beforeAll(async () => {
  const result = await runBenchmark({
    config: loadConfig(),
    suite: smallSuite(),
    models: [tinyModel("q8_0")],
    backend: "cpu",
    reps: REPS,
    warmup: 1,
    perplexity: false,
    accuracyTasks: 0,
    sweep: { threads: [1], contextSizes: [CONTEXT] },
    cooldownSeconds: 0,
    progress: { line: (l) => lines.push(l), status() {}, fraction() {}, end() {} },
  });
  doc = result.document;
}, 120_000);

describe("concurrent streams on the tiny model (batched decodes, real inference)", () => {
  it("produces a contract-valid document; a level that does not fit is skipped and the run goes on", () => {
    expect(() => ResultDocument.parse(doc)).not.toThrow();
    const run = doc.runs[0]!;
    expect(run.status).toBe("ok");
    expect(run.tests.map((t) => [t.name, t.status])).toEqual([
      ["tg128", "ok"],
      ["c2-pp24+tg12", "ok"],
      ["c4-pp128+tg128", "ok"],
      ["c8-pp128+tg128", "failed"],
    ]);
    const c8 = byName("c8-pp128+tg128");
    expect(c8.error).toMatch(/^skipped: 8 streams of 256 tokens need 2048 tokens of context, the context holds 1024/);
    expect(c8.concurrency).toBe(8);
    expect(c8.streams).toBeUndefined();
  });

  it("accounts for every stream's tokens inside each repetition", () => {
    for (const [name, c, nGen] of [
      ["c2-pp24+tg12", 2, 12],
      ["c4-pp128+tg128", 4, 128],
    ] as const) {
      const t = byName(name);
      expect(t).toMatchObject({ kind: "concurrent", concurrency: c, nGen, depth: 0, slo: SERVING_SLO });
      expect(t.samplesNs).toHaveLength(REPS);
      expect(t.streams).toHaveLength(REPS);
      t.streams!.forEach((rep, r) => {
        expect(rep).toHaveLength(c);
        for (const s of rep) {
          expect(s.gapsNs).toHaveLength(nGen - 1);
          expect(s.gapsNs.every((g) => g > 0)).toBe(true);
          expect(s.ttftNs).toBeGreaterThan(0);
          expect(s.ttftNs + s.gapsNs.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(t.samplesNs[r]!);
          // Lockstep: every stream saw the same decode steps.
          expect(s.gapsNs).toEqual(rep[0]!.gapsNs);
        }
        // Streams are prefilled one after another: a later stream's first token never comes earlier.
        for (let s = 1; s < c; s++) expect(rep[s]!.ttftNs).toBeGreaterThanOrEqual(rep[s - 1]!.ttftNs);
      });
    }
  });

  it("gives the serving figures: ranked ones for the ranked shape, sane rates for a small one", () => {
    const run = doc.runs[0]!;
    const m = computeMetrics({ run, doc });
    for (const id of ["serve_tps_c4", "serve_stream_tps_c4", "serve_ttft_p95_ms_c4", "goodput_rps_c4", "itl_p99_ms"] as const)
      expect(m[id]?.value, id).toBeGreaterThan(0);
    // The small shape is kept, compared with nothing.
    expect(m.serve_tps_c2).toBeUndefined();
    for (const name of ["c2-pp24+tg12", "c4-pp128+tg128"]) {
      const t = byName(name);
      const agg = aggregateTps(t)!;
      const stream = streamTps(t)!;
      expect(agg).toBeGreaterThan(0);
      expect(stream).toBeGreaterThan(0);
      // In lockstep the streams' tokens after the first span their gaps, which lie inside the repetition.
      expect(agg).toBeLessThanOrEqual((t.concurrency! * stream * t.nGen) / (t.nGen - 1) + 1e-6);
    }
    // The ranked figure from the raw spans, written out: 4 streams x 128 tokens over each repetition, averaged.
    const c4 = byName("c4-pp128+tg128");
    const perRep = c4.samplesNs.map((ns) => (4 * 128 * 1e9) / ns);
    expect(m.serve_tps_c4!.value).toBeCloseTo(perRep.reduce((a, b) => a + b, 0) / perRep.length, 9);
    expect(lines.some((l) => /✓ c4-pp128\+tg128 [\d.]+ tokens\/s over 4 streams · inter-token p95 [\d.]+ ms/.test(l))).toBe(true);
  });

  it("keeps every generated token's decode time on the tg test, inside its repetition", () => {
    const t = byName("tg128");
    expect(t.tokenNs).toHaveLength(REPS);
    t.tokenNs!.forEach((rep, r) => {
      expect(rep).toHaveLength(128);
      expect(rep.every((ns) => Number.isInteger(ns) && ns > 0)).toBe(true);
      expect(rep.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(t.samplesNs[r]!);
    });
  });

  it("records the whole system's CPU and memory share for the tests that ran", () => {
    // /proc/stat counts in 10 ms ticks: the skipped level ends within one, and its share is absent (not measured), not zero.
    for (const name of ["tg128", "c4-pp128+tg128"]) {
      const r = byName(name).resources;
      expect(r?.systemCpuPct, name).toBeGreaterThan(0);
      expect(r?.systemCpuPct, name).toBeLessThanOrEqual(100);
    }
    for (const t of doc.runs[0]!.tests) {
      expect(t.resources?.memUsedPct, t.name).toBeGreaterThan(0);
      expect(t.resources?.memUsedPct, t.name).toBeLessThanOrEqual(100);
    }
  });
});
