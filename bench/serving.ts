/**
 * bench/serving.ts: the suite's concurrent tests (1, 2 and 4 streams of 128
 * prompt + 128 generated tokens, batched decoding in one context) through
 * runBenchmark() (what `edgebench run` does) on the size-realistic stand-in
 * model (Qwen2.5-0.5B shape, Q8_0, random weights: bench/suite.ts), beside
 * llama.cpp's own llama-batched-bench (-npp 128 -ntg 128 -npl 1,2,4) on the
 * same model, threads and batch size, when `npm run build:llama-bench` has
 * built it: same-build (linked against the very libraries edgebench loads)
 * and native (built on this machine from the same llama.cpp source).
 *
 * What is compared, per level C:
 *  - decode-phase tokens/s: edgebench's C x (nGen - 1) over the decode steps'
 *    time (the streams' gaps), llama-batched-bench's S_TG (C x 128 over its
 *    128 steps' time);
 *  - tokens/s over the whole repetition: edgebench's aggregate (C x nGen over
 *    prompt + steps, the ranked serve_tps_cN), llama-batched-bench's C x 128
 *    over T (and its S: prompt and generated tokens over T);
 *  - the mean time of one decode step, and edgebench's p95 gap between a
 *    stream's tokens (llama-batched-bench reports no per-step times).
 * Also how long the three tests take in a standard run (warm-up and
 * repetitions, context creation included), which is what they add to it.
 *
 * BENCH_REPS (the suite's, 5), BENCH_ROUNDS (3: llama-batched-bench runs
 * each level once per process, so it runs that many times; edgebench runs
 * once with BENCH_REPS repetitions), BENCH_THREADS (default physical cores),
 * BENCH_PRESET (qwen2.5-0.5b), BENCH_TYPE (q8_0).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { aggregateTps, interTokenPercentileMs, median, streamTps, type TestResult, ttftPercentileMs } from "@edgebench/contract";
import { LLAMA_BATCHED_BENCH, LLAMA_BATCHED_BENCH_SAME_BUILD } from "../scripts/lib/llama-bench.mjs";
import { loadConfig } from "../uploader/src/config.js";
import { runBenchmark } from "../uploader/src/runner/index.js";
import { loadSuite, type Suite } from "../uploader/src/suite/index.js";
import { loadavg } from "./lib/seed.js";
import { STANDIN_PRESET, STANDIN_TYPE, standinModel } from "./lib/standin.js";

const preset = STANDIN_PRESET;
const type = STANDIN_TYPE;
const threadsWanted = process.env.BENCH_THREADS ? Number(process.env.BENCH_THREADS) : undefined;
const reps = process.env.BENCH_REPS ? Number(process.env.BENCH_REPS) : undefined;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

const file = standinModel();

const full = loadSuite();
const suite: Suite = { ...full, tests: full.tests.filter((t) => t.kind === "concurrent") };
const levels = suite.tests.map((t) => t.concurrency!);

const load = loadavg;
console.log(`load average at start: ${load()}`);

// Wall time of each test in the run: from its start (status line) to its result line.
const started = new Map<string, number>();
const took = new Map<string, number>();
const result = await runBenchmark({
  config: loadConfig(),
  suite,
  models: [file],
  backend: "cpu",
  reps,
  perplexity: false,
  accuracyTasks: 0,
  sweep: { threads: threadsWanted ? [threadsWanted] : undefined },
  // llama-batched-bench does not wait for the board to cool between levels: neither does edgebench here.
  cooldownSeconds: 0,
  progress: {
    line: (s: string) => {
      console.error(s);
      const m = /^ {2}[✓✗] (\S+)/.exec(s);
      if (m && started.has(m[1]!)) took.set(m[1]!, performance.now() - started.get(m[1]!)!);
    },
    status: (s: string) => {
      const m = /^ {2}(\S+) …$/.exec(s);
      if (m) started.set(m[1]!, performance.now());
    },
    fraction() {},
    end() {},
  },
});
const run = result.document.runs[0]!;
if (run.status !== "ok") {
  console.log(`edgebench run failed: ${run.error}`);
  process.exit(1);
}
const { threads, batchSize, contextSize } = run.settings;

interface Level {
  decodeTps: number;
  wholeTps: number;
  stepMs: number;
  itlP95Ms?: number;
  ttftP95Ms?: number;
  streamTps?: number;
  speed?: number;
}

/** edgebench's figures of one concurrent test (the contract's serving functions where it has them). */
function edgebenchLevel(t: TestResult): Level {
  const c = t.concurrency!;
  // Lockstep: every stream has the same gaps, the decode steps' durations.
  const stepsNs = t.streams!.map((rep) => rep[0]!.gapsNs.reduce((a, b) => a + b, 0));
  const steps = t.nGen - 1;
  return {
    decodeTps: median(stepsNs.map((ns) => (c * steps * 1e9) / ns)),
    wholeTps: aggregateTps(t)!,
    stepMs: median(stepsNs) / steps / 1e6,
    itlP95Ms: interTokenPercentileMs(t, 95) ?? undefined,
    ttftP95Ms: ttftPercentileMs(t, 95) ?? undefined,
    streamTps: streamTps(t) ?? undefined,
  };
}

interface BatchedRow {
  pp: number;
  tg: number;
  pl: number;
  t_pp: number;
  t_tg: number;
  t: number;
  speed_tg: number;
  speed: number;
}

/** llama-batched-bench, `rounds` processes; per level the median of each figure. */
function batchedBench(binary: string): Map<number, Level> | string {
  if (!fs.existsSync(binary)) return `not built (${binary}; \`npm run build:llama-bench\` builds it)`;
  const rows = new Map<number, BatchedRow[]>();
  const args = ["-m", file, "-c", String(contextSize), "-b", String(batchSize), "-ub", String(batchSize), "-t", String(threads)];
  args.push("-fa", "off", "-npp", "128", "-ntg", "128", "-npl", levels.join(","), "--output-format", "jsonl");
  for (let r = 0; r < rounds; r++) {
    const p = spawnSync(binary, args, { encoding: "utf8", maxBuffer: 64 << 20 });
    if (p.status !== 0) return `llama-batched-bench exited with ${p.status}: ${p.stderr.slice(-400)}`;
    for (const line of `${p.stdout}\n${p.stderr}`.split("\n")) {
      if (!line.startsWith("{")) continue;
      const row = JSON.parse(line) as BatchedRow;
      rows.set(row.pl, [...(rows.get(row.pl) ?? []), row]);
    }
    console.error(`${path.basename(path.dirname(binary))}/llama-batched-bench round ${r + 1}/${rounds} done`);
  }
  return new Map(
    [...rows].map(([pl, rs]) => [
      pl,
      {
        decodeTps: median(rs.map((x) => x.speed_tg)),
        wholeTps: median(rs.map((x) => (x.pl * x.tg) / x.t)),
        stepMs: median(rs.map((x) => (1000 * x.t_tg) / x.tg)),
        speed: median(rs.map((x) => x.speed)),
      },
    ]),
  );
}

const references = [
  { label: "llama-batched-bench same-build", result: batchedBench(LLAMA_BATCHED_BENCH_SAME_BUILD) },
  { label: "llama-batched-bench native", result: batchedBench(LLAMA_BATCHED_BENCH) },
];
const cpu = /model name\s*:\s*(.+)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "?";
console.log(
  `\nmachine: ${cpu}; stand-in ${preset} ${type.toUpperCase()}, ${threads} threads, context ${contextSize} (shared by the streams), batch ${batchSize}; edgebench ${run.tests[0]?.samplesNs.length ?? "?"} repetitions + ${full.warmup} warm-up, llama-batched-bench ${rounds} runs; load average at end ${load()}`,
);
console.log(
  "\n| C | tool | decode tokens/s (S_TG) | tokens/s over the repetition | S (prompt + gen) | step ms (mean) | inter-token p95 ms | TTFT p95 ms | stream tokens/s |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
const f = (x: number | undefined, d = 2) => (x === undefined ? "-" : x.toFixed(d));
for (const t of run.tests) {
  const c = t.concurrency!;
  if (t.status !== "ok") {
    console.log(`| ${c} | edgebench | ${t.error} | | | | | | |`);
    continue;
  }
  const e = edgebenchLevel(t);
  console.log(
    `| ${c} | edgebench | ${f(e.decodeTps)} | ${f(e.wholeTps)} | - | ${f(e.stepMs, 3)} | ${f(e.itlP95Ms, 3)} | ${f(e.ttftP95Ms, 1)} | ${f(e.streamTps)} |`,
  );
  for (const { label, result } of references) {
    const b = typeof result === "string" ? undefined : result.get(c);
    if (b) console.log(`| ${c} | ${label} | ${f(b.decodeTps)} | ${f(b.wholeTps)} | ${f(b.speed)} | ${f(b.stepMs, 3)} | - | - | - |`);
  }
}
for (const { label, result } of references) if (typeof result === "string") console.log(`\n${label}: ${result}`);
const total = [...took.values()].reduce((a, b) => a + b, 0);
console.log(
  `\ntime each concurrent test took in the run (warm-up, repetitions, its context's creation): ${[...took].map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s`).join(", ")}; all three ${(total / 1000).toFixed(1)} s`,
);
