/**
 * bench/sustained.ts: the whole standard suite through runBenchmark() (what
 * `edgebench run` does) on the size-realistic stand-in model, for the two
 * figures a short test cannot give: the sustained test's tokens/s over its
 * last 30 s and the ratio of its last 30 s to its first (the contract's own
 * formulas, as the registry ranks them), and how long the standard suite now
 * takes end to end (load, every test with warm-up, the 120 s sustained test,
 * perplexity).
 *
 * BENCH_PRESET (qwen2.5-0.5b), BENCH_TYPE (q8_0), BENCH_THREADS (default
 * physical cores), BENCH_SUSTAINED_SECONDS (default the suite's, 120),
 * BENCH_ACCURACY_TASKS (default 0: the stand-in's byte-level tokenizer makes
 * about four times the tokens of a real one, so bench/quality.ts times the
 * accuracy test on its own and scales it).
 * A VM's host is not a fanless board: a ratio near 1 here says the harness
 * keeps its pace, not that any board holds its clocks.
 */
import { computeMetrics, windowRates } from "@edgebench/contract";
import { loadConfig } from "../uploader/src/config.js";
import { runBenchmark } from "../uploader/src/runner/index.js";
import { loadSuite } from "../uploader/src/suite/index.js";
import { loadavg } from "./lib/seed.js";
import { STANDIN_PRESET, STANDIN_TYPE, standinModel } from "./lib/standin.js";

const preset = STANDIN_PRESET;
const type = STANDIN_TYPE;
const threads = process.env.BENCH_THREADS ? [Number(process.env.BENCH_THREADS)] : undefined;
const sustainedSeconds = process.env.BENCH_SUSTAINED_SECONDS ? Number(process.env.BENCH_SUSTAINED_SECONDS) : undefined;

const file = standinModel();

const load = loadavg;
console.log(`load average at start: ${load()}`);
const t0 = performance.now();
const result = await runBenchmark({
  config: loadConfig(),
  suite: loadSuite(),
  models: [file],
  backend: "cpu",
  sweep: { threads },
  sustainedSeconds,
  accuracyTasks: Number(process.env.BENCH_ACCURACY_TASKS ?? 0),
  progress: { line: (s: string) => console.error(s), status() {}, fraction() {}, end() {} },
});
const wallS = (performance.now() - t0) / 1000;
const run = result.document.runs[0]!;
const t = run.tests.find((x) => x.kind === "sustained");
if (run.status !== "ok" || !t?.windows) {
  console.log(`run failed: ${run.error ?? "no sustained test"}`);
  process.exit(1);
}
const m = computeMetrics({ run, doc: result.document });
const rates = windowRates(t);
const tg = m.tg_tps?.value;
console.log(`\nstand-in ${preset} ${type.toUpperCase()}, ${run.settings.threads} threads; load average at end ${load()}`);
console.log(`sustained test: ${rates.length} windows of ${t.windows.ms} ms, ${t.nGen} tokens`);
console.log(`  sustained tokens/s (median of the last 30 s): ${m.sustained_tps ? m.sustained_tps.value.toFixed(2) : "not ranked (not 120 s)"}`);
console.log(`  sustained ratio (last 30 s / first 30 s): ${m.sustained_ratio ? m.sustained_ratio.value.toFixed(3) : "not ranked (not 120 s)"}`);
console.log(
  `  window rates: min ${Math.min(...rates).toFixed(1)}, max ${Math.max(...rates).toFixed(1)} tokens/s; tg128 in the same run ${tg?.toFixed(2) ?? "?"}`,
);
console.log(
  `model load: cold ${run.load?.coldMs?.toFixed(0) ?? "?"} ms, warm ${run.load?.warmMs?.toFixed(0) ?? "?"} ms, first token after load ${run.load?.firstTokenMs?.toFixed(0) ?? "?"} ms`,
);
console.log(`standard suite wall time: ${wallS.toFixed(1)} s (detect, hash, load, ${run.tests.length} tests with warm-up, perplexity)`);
