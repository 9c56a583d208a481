/**
 * edgebench's perplexity and HellaSwag choices against llama.cpp's own
 * llama-perplexity, built from the llama.cpp source the installed
 * node-llama-cpp ships and linked against the same prebuilt libraries
 * (scripts/build-llama-bench.mjs; built here when missing and a compiler is
 * at hand, about half a minute). Same model, text, chunking and tasks.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Llama, LlamaModel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { llamaHellaswag, llamaPerplexity } from "../../../bench/lib/llama-perplexity.js";
import { LLAMA_PERPLEXITY_SAME_BUILD } from "../../../scripts/lib/llama-bench.mjs";
import { commonPrefix } from "../../../uploader/src/accuracy/hellaswag.js";
import { loadLlama } from "../../../uploader/src/detect/llama.js";
import { endingScores, measureAccuracy, taskTokens } from "../../../uploader/src/runner/accuracy.js";
import { measurePerplexity } from "../../../uploader/src/runner/perplexity.js";
import { loadSuite, suiteDir } from "../../../uploader/src/suite/index.js";
import { REPO_ROOT, tinyModel } from "../helpers/models.js";

const have = (cmd: string) => spawnSync(cmd, ["--version"], { stdio: "ignore" }).status === 0;
if (!fs.existsSync(LLAMA_PERPLEXITY_SAME_BUILD) && have("c++") && have("git")) {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts", "build-llama-bench.mjs"), "--same-build-only"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`building llama-perplexity failed:\n${(r.stderr + r.stdout).slice(-3000)}`);
}
const built = fs.existsSync(LLAMA_PERPLEXITY_SAME_BUILD);
const suite = loadSuite();
const TASKS = 40;

let llama: Llama;
let model: LlamaModel;

beforeAll(async () => {
  llama = await loadLlama("cpu");
  model = await llama.loadModel({ modelPath: tinyModel("q8_0") });
}, 60_000);

afterAll(async () => {
  await model?.dispose();
  await llama?.dispose();
});

describe.skipIf(!built)("against llama.cpp's llama-perplexity (same source, same libraries)", () => {
  it("gives the same perplexity over the suite's text: 512-token chunks, 8 chunks", async () => {
    const theirs = llamaPerplexity(LLAMA_PERPLEXITY_SAME_BUILD, tinyModel("q8_0"), path.join(suiteDir(), suite.perplexity.file), 512, 8, 2);
    const context = await model.createContext({ contextSize: 512, batchSize: 512, threads: 2, sequences: 1 });
    try {
      const bos = model.tokens.shouldPrependBosToken ? (model.tokens.bos ?? undefined) : undefined;
      const ours = await measurePerplexity(context.getSequence(), model.tokenize(suite.corpusText), bos, 512, 8);
      expect(ours.tokens).toBe(8 * 255);
      expect(Math.abs(ours.perplexity / theirs.perplexity - 1)).toBeLessThan(0.01);
    } finally {
      await context.dispose();
    }
  });

  it(`chooses the same ending task by task over the first ${TASKS} HellaSwag tasks, but for near-ties`, async () => {
    const theirs = llamaHellaswag(LLAMA_PERPLEXITY_SAME_BUILD, tinyModel("q8_0"), path.join(suiteDir(), suite.accuracy!.file), TASKS, 2);
    const context = await model.createContext({ contextSize: 2048, batchSize: 512, threads: 2, sequences: 1 });
    try {
      const seq = context.getSequence();
      const bos = model.tokens.shouldPrependBosToken ? (model.tokens.bos ?? undefined) : undefined;
      const tasks = suite.accuracyTasks!.slice(0, TASKS);
      const ours = await measureAccuracy(seq, model, tasks, bos);
      const differ = ours.choices.flatMap((c, i) => (c === theirs.choices[i] ? [] : [i]));
      // llama.cpp evaluates the four endings in one batch, edgebench one after another: sums differ in the last bits,
      // so two endings whose means are within 1e-3 of each other may be ordered either way.
      for (const i of differ) {
        const seqs = taskTokens(model, tasks[i]!, bos);
        expect(commonPrefix(seqs)).toBeGreaterThan(0);
        const means = await endingScores(seq, seqs, `task ${i + 1}`);
        expect(Math.abs(means[ours.choices[i]!]! - means[theirs.choices[i]!]!), `task ${i + 1}`).toBeLessThan(1e-3);
      }
      expect(differ.length).toBeLessThanOrEqual(2);
    } finally {
      await context.dispose();
    }
  });
});
