/**
 * Runs llama.cpp's own llama-perplexity (built by `npm run build:llama-bench`
 * from the llama.cpp source node-llama-cpp was built from) and reads its
 * figures: the final perplexity, and with --hellaswag the chosen ending of
 * each task (the build's patch logs them when HELLASWAG_IN_ORDER_ENV is set,
 * taking the tasks in the file's order).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { HELLASWAG_IN_ORDER_ENV } from "../../scripts/lib/llama-bench.mjs";

function run(binary: string, args: string[]): { text: string; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(binary, args, { encoding: "utf8", env: { ...process.env, [HELLASWAG_IN_ORDER_ENV]: "1" }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${path.basename(binary)} exited with ${r.status ?? r.signal}:\n${(r.stderr + r.stdout).slice(-2000)}`);
  return { text: r.stdout + r.stderr, seconds: (performance.now() - t0) / 1000 };
}

/** `llama-perplexity -c <chunk> --chunks <n>` over a text file: its final estimate. */
export function llamaPerplexity(binary: string, model: string, textFile: string, chunk: number, chunks: number, threads: number) {
  const { text, seconds } = run(binary, ["-m", model, "-f", textFile, "-c", String(chunk), "--chunks", String(chunks), "-t", String(threads)]);
  const m = /Final estimate: PPL = ([0-9.]+)/.exec(text);
  if (!m) throw new Error(`no final estimate in llama-perplexity's output:\n${text.slice(-2000)}`);
  return { perplexity: Number(m[1]), seconds };
}

/** `llama-perplexity --hellaswag` over the first `tasks` tasks of a six-line task file, in order: each task's chosen ending. */
export function llamaHellaswag(binary: string, model: string, taskFile: string, tasks: number, threads: number, contextSize = 2048) {
  const lines = fs
    .readFileSync(taskFile, "utf8")
    .split("\n")
    .slice(0, tasks * 6);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-hellaswag-")), "tasks.txt");
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  try {
    const { text, seconds } = run(binary, [
      "-m",
      model,
      "-f",
      file,
      "--hellaswag",
      "--hellaswag-tasks",
      String(tasks),
      "-c",
      String(contextSize),
      "-t",
      String(threads),
    ]);
    const choices = [...text.matchAll(/^choice\t(\d+)\t(\d)$/gm)].map((m) => Number(m[2]));
    if (choices.length !== tasks) throw new Error(`llama-perplexity logged ${choices.length} choices for ${tasks} tasks (is it the patched build?)`);
    return { choices, seconds };
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
