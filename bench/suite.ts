/**
 * bench/suite.ts: the standard suite on a size-realistic stand-in model
 * (Qwen2.5-0.5B shape, Q8_0, random weights: same compute per token as the
 * real model in Q8_0), through runBenchmark(), the function `edgebench run`
 * calls. Prints per test: tokens/s (mean of per-repetition rates), the sample
 * stddev as % of the mean, and the harness overhead: the share of the timed
 * wall time not spent inside llama.cpp evaluation (from llama.cpp's own
 * llama_perf_context counters). Targets: overhead < 2 %, stddev < 3 %.
 * Then the wall time of the whole suite (load, all tests, perplexity).
 *
 * BENCH_PRESET (default qwen2.5-0.5b), BENCH_TYPE (q8_0), BENCH_THREADS
 * (default: physical cores), BENCH_REPS (5) override the defaults.
 * The stand-in is written once to .tmp/models/ (deterministic, about 530 MB).
 *
 * With llama.cpp's own llama-bench built from the same llama.cpp source
 * (`node scripts/build-llama-bench.mjs`, or BENCH_LLAMA_BENCH=path), it then
 * runs llama-bench on the same file, threads, batch sizes and repetitions and
 * prints both side by side: the issue asks for numbers as trustworthy as
 * llama-bench's on the same machine and model, and on a shared VM the stddev
 * is mostly the machine's, which llama-bench shows too.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { TestResult } from "@edgebench/contract";
import { msFigure, rateFigure, repRates } from "@edgebench/contract";
import { LLAMA_BENCH } from "../scripts/lib/llama-bench.mjs";
import { loadConfig } from "../uploader/src/config.js";
import { findPreset, synthModel, type WeightType } from "../uploader/src/gguf/index.js";
import { runBenchmark } from "../uploader/src/runner/index.js";
import { loadSuite } from "../uploader/src/suite/index.js";

const preset = process.env.BENCH_PRESET ?? "qwen2.5-0.5b";
const type = (process.env.BENCH_TYPE ?? "q8_0") as WeightType;
const threads = process.env.BENCH_THREADS ? [Number(process.env.BENCH_THREADS)] : undefined;
const reps = Number(process.env.BENCH_REPS ?? 5);

const dir = path.join(import.meta.dirname, "..", ".tmp", "models");
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `standin-${preset}-${type}.gguf`);
if (!fs.existsSync(file)) {
  const t0 = performance.now();
  const r = synthModel(file, { shape: findPreset(preset).shape, type, name: `edgebench stand-in ${preset}` });
  console.log(
    `wrote ${file}: ${(r.bytes / 1e6).toFixed(0)} MB, ${(r.parameters / 1e6).toFixed(0)}M parameters in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

const load = fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const progress = { line: (s: string) => console.error(s), status() {}, fraction() {}, end() {} };
const t0 = performance.now();
const result = await runBenchmark({
  config: loadConfig(),
  suite: loadSuite(),
  models: [file],
  backend: "cpu",
  reps,
  sweep: { threads },
  llamaTimings: true,
  progress,
});
const wallS = (performance.now() - t0) / 1000;
const run = result.document.runs[0]!;
if (run.status !== "ok") {
  console.log(`run failed: ${run.error}`);
  process.exit(1);
}

console.log(
  `\nmodel: ${run.model.name} (${run.model.quantisation}, ${((run.model.parameters ?? 0) / 1e6).toFixed(0)}M parameters), backend ${result.document.runtime.backend}, threads ${run.settings.threads}, ${reps} reps + 1 warm-up`,
);
console.log(
  `machine: ${result.document.system.cpu.model}, ${result.document.system.cpu.cores} cores; load average at start ${load} (the machine is shared with other work)`,
);
console.log("| test | tokens/s (or ms) | stddev % of mean | harness overhead % | per repetition |");
console.log("|---|---|---|---|---|");
for (const test of run.tests) {
  const d = result.diagnostics.find((x) => x.test === test.name);
  if (test.status !== "ok") {
    console.log(`| ${test.name} | ${test.error} | | |`);
    continue;
  }
  const f = test.kind === "ttft" ? msFigure(test)! : rateFigure(test)!;
  const wallMs = test.samplesNs.reduce((a, b) => a + b, 0) / 1e6;
  const overhead = d?.llamaEvalMs !== undefined ? (100 * (wallMs - d.llamaEvalMs)) / wallMs : NaN;
  const value = test.kind === "ttft" ? `${f.value.toFixed(1)} ms` : f.value.toFixed(2);
  const perRep = (test.kind === "ttft" ? test.samplesNs.map((ns) => ns / 1e6) : repRates(test)).map((x) => x.toFixed(1)).join(" ");
  console.log(`| ${test.name} | ${value} | ${((100 * (f.stddev ?? 0)) / f.value).toFixed(2)} | ${overhead.toFixed(2)} | ${perRep} |`);
}
if (run.quality) console.log(`perplexity ${run.quality.perplexity.toFixed(1)} over ${run.quality.tokens} tokens (random weights)`);
console.log(`full suite wall time: ${wallS.toFixed(1)} s (detect, model hash and load, ${run.tests.length} tests with warm-up, perplexity)`);

/** llama-bench's JSON for one invocation (the fields used here). */
interface LlamaBenchRow {
  n_prompt: number;
  n_gen: number;
  n_depth?: number;
  avg_ts: number;
  stddev_ts: number;
}

const llamaBench = process.env.BENCH_LLAMA_BENCH ?? LLAMA_BENCH;
if (!fs.existsSync(llamaBench)) {
  console.log(
    `\n(no llama-bench at ${llamaBench}: \`node scripts/build-llama-bench.mjs\` builds it from node-llama-cpp's bundled llama.cpp source, for a side-by-side comparison)`,
  );
} else {
  const s = run.settings;
  const common = [
    "-m",
    file,
    "-t",
    String(s.threads),
    "-b",
    String(s.batchSize),
    "-ub",
    String(s.ubatchSize ?? s.batchSize),
    "-fa",
    s.flashAttention ? "1" : "0",
    "-r",
    String(reps),
    "-o",
    "json",
  ];
  const rows: LlamaBenchRow[] = [];
  for (const args of [
    ["-p", "512", "-n", "128", "-pg", "512,128"],
    ["-p", "0", "-n", "128", "-d", "2048"],
  ]) {
    const r = spawnSync(llamaBench, [...common, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
    if (r.status !== 0) {
      console.log(`llama-bench ${args.join(" ")} failed (${r.status}): ${r.stderr.slice(-500)}`);
      continue;
    }
    rows.push(...(JSON.parse(r.stdout) as LlamaBenchRow[]));
  }
  const match = (t: TestResult) => rows.find((r) => r.n_prompt === t.nPrompt && r.n_gen === t.nGen && (r.n_depth ?? 0) === t.depth);
  console.log(`\nllama-bench (${llamaBench}) on the same file, ${s.threads} threads, batch ${s.batchSize}, ${reps} reps + its warm-up:`);
  console.log("| test | edgebench t/s (stddev %) | llama-bench t/s (stddev %) | edgebench / llama-bench |");
  console.log("|---|---|---|---|");
  for (const test of run.tests) {
    if (test.status !== "ok" || test.kind === "ttft") continue;
    const ours = rateFigure(test)!;
    const theirs = match(test);
    if (!theirs) continue;
    const pct = (sd: number, v: number) => ((100 * sd) / v).toFixed(2);
    console.log(
      `| ${test.name} | ${ours.value.toFixed(2)} (${pct(ours.stddev ?? 0, ours.value)}) | ${theirs.avg_ts.toFixed(2)} (${pct(theirs.stddev_ts, theirs.avg_ts)}) | ${(ours.value / theirs.avg_ts).toFixed(3)} |`,
    );
  }
}
