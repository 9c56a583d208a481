/**
 * bench/quality.ts: edgebench's perplexity and HellaSwag choices beside
 * llama.cpp's own llama-perplexity, built by `npm run build:llama-bench` from
 * the llama.cpp source node-llama-cpp ships (same-build: linked against the
 * very libraries edgebench loads; native: compiled for this CPU, when built).
 * Same model, text, chunking (512-token chunks, 8 chunks) and tasks (the
 * first N of the suite's subset, in order), on the generated tiny model and
 * the size-realistic stand-in (Qwen2.5-0.5B shape, Q8_0, random weights).
 *
 * Printed per model: both perplexities and their ratio; both tools' choice
 * of ending per task, how many agree, and for each disagreement the gap
 * between the two endings' mean log-probabilities in edgebench's scoring (a
 * near-tie the evaluation order can tip); the time each tool took; and the
 * tokens the accuracy test evaluated, with their rate beside llama-bench's
 * pp512 on the same build, which is what a board's time for the test scales
 * with (README "Accuracy": the Raspberry Pi 5 estimate).
 *
 * BENCH_TINY_TASKS (400), BENCH_STANDIN_TASKS (40: about 2 s per task here,
 * the stand-in's byte-level tokenizer makes ~4x a real tokenizer's tokens),
 * BENCH_THREADS (2).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { LLAMA_BENCH_SAME_BUILD, LLAMA_PERPLEXITY, LLAMA_PERPLEXITY_SAME_BUILD } from "../scripts/lib/llama-bench.mjs";
import { commonPrefix } from "../uploader/src/accuracy/hellaswag.js";
import { loadLlama } from "../uploader/src/detect/llama.js";
import { findPreset, synthModel } from "../uploader/src/gguf/index.js";
import { endingScores, measureAccuracy, taskTokens } from "../uploader/src/runner/accuracy.js";
import { measurePerplexity } from "../uploader/src/runner/perplexity.js";
import { loadSuite, suiteDir } from "../uploader/src/suite/index.js";
import { llamaHellaswag, llamaPerplexity } from "./lib/llama-perplexity.js";
import { loadavg } from "./lib/seed.js";
import { standinModel } from "./lib/standin.js";

const threads = Number(process.env.BENCH_THREADS ?? 2);
if (!fs.existsSync(LLAMA_PERPLEXITY_SAME_BUILD)) {
  console.log(`no ${LLAMA_PERPLEXITY_SAME_BUILD}: run \`npm run build:llama-bench -- --same-build-only\` first`);
  process.exit(1);
}
const builds = [
  { name: "same-build", binary: LLAMA_PERPLEXITY_SAME_BUILD },
  ...(fs.existsSync(LLAMA_PERPLEXITY) ? [{ name: "native", binary: LLAMA_PERPLEXITY }] : []),
];

const tinyFile = path.join(import.meta.dirname, "..", ".tmp", "models", "tiny-q8_0.gguf");
if (!fs.existsSync(tinyFile)) synthModel(tinyFile, { shape: findPreset("tiny").shape, type: "q8_0", name: "edgebench tiny q8_0" });
const models = [
  { name: "tiny (generated, 170k parameters)", file: tinyFile, tasks: Number(process.env.BENCH_TINY_TASKS ?? 400) },
  { name: "stand-in (Qwen2.5-0.5B shape, Q8_0)", file: standinModel(), tasks: Number(process.env.BENCH_STANDIN_TASKS ?? 40) },
];

const suite = loadSuite();
const corpusFile = path.join(suiteDir(), suite.perplexity.file);
const taskFile = path.join(suiteDir(), suite.accuracy!.file);
const llama = await loadLlama("cpu");
const s = (x: number) => `${x.toFixed(1)} s`;
console.log(`load average at start: ${loadavg()}; ${threads} threads`);

function pp512(file: string): number | null {
  if (!fs.existsSync(LLAMA_BENCH_SAME_BUILD)) return null;
  const r = spawnSync(LLAMA_BENCH_SAME_BUILD, ["-m", file, "-p", "512", "-n", "0", "-r", "2", "-t", String(threads), "-o", "json"], {
    encoding: "utf8",
  });
  if (r.status !== 0) return null;
  return (JSON.parse(r.stdout) as Array<{ avg_ts: number }>)[0]?.avg_ts ?? null;
}

for (const m of models) {
  console.log(`\n## ${m.name}: ${path.basename(m.file)}`);
  const model = await llama.loadModel({ modelPath: m.file });
  const bos = model.tokens.shouldPrependBosToken ? (model.tokens.bos ?? undefined) : undefined;

  // Perplexity, 512-token chunks, 8 chunks.
  let context = await model.createContext({ contextSize: 512, batchSize: 512, threads, sequences: 1 });
  let t0 = performance.now();
  const ours = await measurePerplexity(context.getSequence(), model.tokenize(suite.corpusText), bos, 512, 8);
  const oursS = (performance.now() - t0) / 1000;
  await context.dispose();
  console.log(`perplexity (-c 512 --chunks 8, ${ours.tokens} scored tokens)`);
  console.log(`  edgebench          ${ours.perplexity.toFixed(4)}  in ${s(oursS)}`);
  for (const b of builds) {
    const theirs = llamaPerplexity(b.binary, m.file, corpusFile, 512, 8, threads);
    console.log(
      `  llama-perplexity ${b.name.padEnd(10)} ${theirs.perplexity.toFixed(4)}  in ${s(theirs.seconds)}  (edgebench / llama.cpp ${(ours.perplexity / theirs.perplexity).toFixed(5)})`,
    );
  }

  // HellaSwag, the first N tasks in order.
  const tasks = suite.accuracyTasks!.slice(0, m.tasks);
  context = await model.createContext({ contextSize: 2048, batchSize: 512, threads, sequences: 1 });
  const seq = context.getSequence();
  t0 = performance.now();
  const acc = await measureAccuracy(seq, model, tasks, bos);
  const accS = (performance.now() - t0) / 1000;
  let evaluated = 0;
  let chars = 0;
  for (const t of tasks) {
    const seqs = taskTokens(model, t, bos);
    const p = commonPrefix(seqs);
    evaluated += p + seqs.reduce((a, x) => a + x.length - p - 1, 0);
    chars += t.context.length + t.endings.reduce((a, e) => a + e.length + 1, 0);
  }
  const right = (choices: number[]) => choices.filter((c, i) => c === tasks[i]!.label).length;
  console.log(`HellaSwag, first ${tasks.length} tasks of ${suite.accuracy!.id}`);
  console.log(
    `  edgebench          accuracy ${right(acc.choices)}/${tasks.length} in ${s(accS)} (${(accS / tasks.length).toFixed(2)} s per task; ${evaluated} tokens evaluated, ${(evaluated / accS).toFixed(0)} tokens/s, ${(chars / evaluated).toFixed(2)} characters per token)`,
  );
  const rate = pp512(m.file);
  if (rate)
    console.log(
      `  llama-bench pp512 on the same build: ${rate.toFixed(1)} tokens/s (the accuracy test runs at ${((evaluated / accS / rate) * 100).toFixed(0)} % of it)`,
    );
  for (const b of builds) {
    const theirs = llamaHellaswag(b.binary, m.file, taskFile, tasks.length, threads);
    const differ = acc.choices.flatMap((c, i) => (c === theirs.choices[i] ? [] : [i]));
    console.log(
      `  llama-perplexity ${b.name.padEnd(10)} accuracy ${right(theirs.choices)}/${tasks.length} in ${s(theirs.seconds)} (edgebench time / llama.cpp ${(accS / theirs.seconds).toFixed(2)}); same choice on ${tasks.length - differ.length}/${tasks.length} tasks`,
    );
    for (const i of differ) {
      const means = await endingScores(seq, taskTokens(model, tasks[i]!, bos), `task ${i + 1}`);
      console.log(
        `    task ${i + 1}: edgebench ${acc.choices[i]}, llama.cpp ${theirs.choices[i]}; their means differ by ${Math.abs(means[acc.choices[i]!]! - means[theirs.choices[i]!]!).toExponential(2)} in edgebench's scoring`,
      );
    }
  }
  await context.dispose();
  await model.dispose();
}
console.log(`\nload average at end: ${loadavg()}`);
