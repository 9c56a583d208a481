/**
 * bench/suite.ts: edgebench's timing against llama.cpp's own llama-bench, side
 * by side in one run, on a size-realistic stand-in model (Qwen2.5-0.5B shape,
 * Q8_0, random weights: same compute per token as the real model in Q8_0),
 * for the suite's pp512, tg128 and tg128 at depth 2048.
 *
 * Four tools, alternated over BENCH_ROUNDS rounds (order rotated each round,
 * so neither gains from going first on a machine whose speed drifts):
 *   edgebench          runBenchmark(), the function `edgebench run` calls;
 *   same-build         llama-bench linked against the very libraries edgebench
 *                      loads (node-llama-cpp's prebuilt, CPU variant picked at
 *                      run time), its persistent thread pool attached;
 *   same-build, fresh  the same binary with LLAMA_BENCH_NO_THREADPOOL=1: ggml
 *   threads            starts a thread set around every decode, as it does under
 *                      node-llama-cpp, whose addon attaches no thread pool;
 *   native             llama-bench built on this machine for this CPU.
 * `npm run build:llama-bench` builds both llama-benches (scripts/lib/llama-bench.mjs).
 *
 * Per test and tool: the best repetition and the median over every
 * repetition of every round, and their ratio to same-build. The gap splits
 * into: edgebench / fresh threads (the harness: JavaScript, IPC, the thread
 * hop per decode), fresh threads / same-build (the binding's missing thread
 * pool), native / same-build (the build). Also edgebench's share of timed
 * time outside llama.cpp's evaluation (llama.cpp's own perf counters) and the
 * CPU time the hypervisor stole during each tool's run (/proc/stat), since a
 * VM's steal bursts slow whichever tool runs through them.
 *
 * BENCH_ROUNDS (3), BENCH_REPS (5), BENCH_THREADS (default physical cores),
 * BENCH_PRESET (qwen2.5-0.5b), BENCH_TYPE (q8_0). The stand-in is written
 * once to .tmp/models/ (deterministic, about 530 MB).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { median, repRates, type TestResult } from "@edgebench/contract";
import { LLAMA_BENCH, LLAMA_BENCH_SAME_BUILD, NO_THREADPOOL_ENV } from "../scripts/lib/llama-bench.mjs";
import { loadConfig } from "../uploader/src/config.js";
import { runBenchmark } from "../uploader/src/runner/index.js";
import { loadSuite, type Suite } from "../uploader/src/suite/index.js";
import { loadavg } from "./lib/seed.js";
import { STANDIN_PRESET, STANDIN_TYPE, standinModel } from "./lib/standin.js";

const preset = STANDIN_PRESET;
const type = STANDIN_TYPE;
const threadsWanted = process.env.BENCH_THREADS ? Number(process.env.BENCH_THREADS) : undefined;
const reps = Number(process.env.BENCH_REPS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const TESTS = ["pp512", "tg128", "tg128@d2048"];

const file = standinModel();

const full = loadSuite();
const suite: Suite = { ...full, tests: full.tests.filter((t) => TESTS.includes(t.name)) };
const quiet = { line() {}, status() {}, fraction() {}, end() {} };

/** Per test: every repetition's rate (tokens/s). */
type Rates = Map<string, number[]>;

interface ToolRun {
  rates: Rates;
  /** Share of CPU time the hypervisor stole while it ran (all CPUs), %. */
  stealPct: number;
}

function cpuTimes(): { steal: number; total: number } {
  const f = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { steal: f[7] ?? 0, total: f.reduce((a, b) => a + b, 0) };
}

async function measured<T extends Omit<ToolRun, "stealPct">>(fn: () => Promise<T> | T): Promise<T & ToolRun> {
  const a = fs.existsSync("/proc/stat") ? cpuTimes() : undefined;
  const out = await fn();
  const b = a ? cpuTimes() : undefined;
  const stealPct = a && b && b.total > a.total ? (100 * (b.steal - a.steal)) / (b.total - a.total) : Number.NaN;
  return { ...out, stealPct };
}

let threads = threadsWanted ?? 0;
let batchSize = 512;
let binaries = "";
const outsideEval = new Map<string, number[]>();

async function edgebench(): Promise<Omit<ToolRun, "stealPct">> {
  const result = await runBenchmark({
    config: loadConfig(),
    suite,
    models: [file],
    backend: "cpu",
    reps,
    perplexity: false,
    accuracyTasks: 0,
    sweep: { threads: threadsWanted ? [threadsWanted] : undefined },
    llamaTimings: true,
    // The tools it is compared with do not wait for the board to cool between tests: neither does it here.
    cooldownSeconds: 0,
    progress: quiet,
  });
  const run = result.document.runs[0]!;
  if (run.status !== "ok") throw new Error(`edgebench run failed: ${run.error}`);
  threads = run.settings.threads;
  batchSize = run.settings.batchSize;
  const b = result.document.runtime.llamaCpp;
  binaries = `${result.document.runtime.llamaCppBuild}, commit ${b?.commit ?? "?"}, ${b?.origin ?? "?"}, CPU variant ${b?.cpuVariant ?? "?"}`;
  const rates: Rates = new Map();
  for (const t of run.tests as TestResult[]) {
    if (t.status !== "ok") continue;
    rates.set(t.name, repRates(t));
    const d = result.diagnostics.find((x) => x.test === t.name);
    const wallMs = t.samplesNs.reduce((x, y) => x + y, 0) / 1e6;
    if (d?.llamaEvalMs !== undefined) outsideEval.set(t.name, [...(outsideEval.get(t.name) ?? []), (100 * (wallMs - d.llamaEvalMs)) / wallMs]);
  }
  return { rates };
}

interface LlamaBenchRow {
  n_prompt: number;
  n_gen: number;
  n_depth?: number;
  samples_ts: number[];
  build_commit?: string;
}

const buildCommits = new Map<string, string>();

function llamaBench(label: string, binary: string, env: Record<string, string> = {}): Omit<ToolRun, "stealPct"> {
  const common = ["-m", file, "-t", String(threads), "-b", String(batchSize), "-ub", String(batchSize), "-fa", "0", "-r", String(reps), "-o", "json"];
  const rates: Rates = new Map();
  for (const args of [
    ["-p", "512", "-n", "128"],
    ["-p", "0", "-n", "128", "-d", "2048"],
  ]) {
    const r = spawnSync(binary, [...common, ...args], { encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(`${label}: llama-bench ${args.join(" ")} exited with ${r.status}: ${r.stderr.slice(-400)}`);
    for (const row of JSON.parse(r.stdout) as LlamaBenchRow[]) {
      const name = row.n_prompt > 0 ? `pp${row.n_prompt}` : `tg${row.n_gen}${row.n_depth ? `@d${row.n_depth}` : ""}`;
      rates.set(name, row.samples_ts);
      if (row.build_commit) buildCommits.set(label, row.build_commit);
    }
  }
  return { rates };
}

const tools: { label: string; run: () => Promise<Omit<ToolRun, "stealPct">> | Omit<ToolRun, "stealPct"> }[] = [
  { label: "edgebench", run: edgebench },
];
const missing: string[] = [];
if (fs.existsSync(LLAMA_BENCH_SAME_BUILD)) {
  tools.push({ label: "same-build", run: () => llamaBench("same-build", LLAMA_BENCH_SAME_BUILD) });
  tools.push({
    label: "same-build, fresh threads",
    run: () => llamaBench("same-build, fresh threads", LLAMA_BENCH_SAME_BUILD, { [NO_THREADPOOL_ENV]: "1" }),
  });
} else missing.push(LLAMA_BENCH_SAME_BUILD);
if (fs.existsSync(LLAMA_BENCH)) tools.push({ label: "native", run: () => llamaBench("native", LLAMA_BENCH) });
else missing.push(LLAMA_BENCH);

const load = loadavg;
console.log(`load average at start: ${load()}`);
const t0 = performance.now();
const all = new Map<string, Rates>(tools.map((t) => [t.label, new Map()]));
const steal = new Map<string, number[]>();
// edgebench first in round one: it finds the thread count the llama-benches then use.
for (let round = 0; round < rounds; round++) {
  const order = tools.map((_, i) => tools[(i + round) % tools.length]!);
  for (const tool of order) {
    const r = await measured(tool.run);
    for (const [test, xs] of r.rates) all.get(tool.label)!.set(test, [...(all.get(tool.label)!.get(test) ?? []), ...xs]);
    steal.set(tool.label, [...(steal.get(tool.label) ?? []), r.stealPct]);
    console.error(`round ${round + 1}/${rounds}: ${tool.label} done (steal ${r.stealPct.toFixed(1)} %)`);
  }
}
const minutes = (performance.now() - t0) / 60_000;

const cpu = fs.existsSync("/proc/cpuinfo") ? (/model name\s*:\s*(.+)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "?") : "?";
console.log(
  `\nmachine: ${cpu}; stand-in ${preset} ${type.toUpperCase()}, ${threads} threads, batch ${batchSize}, ${rounds} rounds x ${reps} repetitions + 1 warm-up each, ${minutes.toFixed(1)} min; load average at end ${load()}`,
);
console.log(`edgebench ran: ${binaries}`);
for (const [label, commit] of buildCommits) console.log(`${label} llama-bench: build ${commit}`);
console.log("\n| test | tool | best rep t/s | median t/s | best / same-build | median / same-build |");
console.log("|---|---|---|---|---|---|");
for (const test of TESTS) {
  const ref = all.get("same-build")?.get(test);
  for (const tool of tools) {
    const xs = all.get(tool.label)!.get(test);
    if (!xs?.length) continue;
    const best = Math.max(...xs);
    const med = median(xs);
    const ratio = (a: number, b: number | undefined) => (b ? (a / b).toFixed(3) : "-");
    console.log(
      `| ${test} | ${tool.label} | ${best.toFixed(2)} | ${med.toFixed(2)} | ${ratio(best, ref && Math.max(...ref))} | ${ratio(med, ref && median(ref))} |`,
    );
  }
}
console.log("\nedgebench: share of timed time outside llama.cpp's evaluation (per round)");
for (const [test, xs] of outsideEval) console.log(`  ${test}: ${xs.map((x) => `${x.toFixed(2)} %`).join(", ")}`);
console.log("CPU time stolen by the hypervisor while each tool ran (per round)");
for (const [label, xs] of steal) console.log(`  ${label}: ${xs.map((x) => `${x.toFixed(1)} %`).join(", ")}`);
if (missing.length)
  console.log(`\n(not built: ${missing.join(", ")}; \`npm run build:llama-bench\` builds them from node-llama-cpp's bundled llama.cpp source)`);
