/**
 * Perplexity and HellaSwag scoring on the generated tiny model, each checked
 * against an independent computation from node-llama-cpp's full logits: every
 * sequence evaluated from an empty cache, log-softmax over the whole
 * vocabulary in JavaScript. That catches a wrong maximum in the filtered
 * logits (node-llama-cpp's includeMax filter drops it, which made perplexity
 * 35 % low) and any slip in sharing the context's cache across endings.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { HELLASWAG_SUBSET } from "@edgebench/contract";
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseEnding, commonPrefix, parseHellaswag } from "../../../uploader/src/accuracy/hellaswag.js";
import { loadLlama } from "../../../uploader/src/detect/llama.js";
import { measureAccuracy, taskTokens } from "../../../uploader/src/runner/accuracy.js";
import { measurePerplexity } from "../../../uploader/src/runner/perplexity.js";
import { loadSuite, suiteDir } from "../../../uploader/src/suite/index.js";
import { tinyModel } from "../helpers/models.js";

const suite = loadSuite();
let llama: Llama;
let model: LlamaModel;
let context: LlamaContext;
let seq: LlamaContextSequence;
let bos: Token | undefined;

beforeAll(async () => {
  llama = await loadLlama("cpu");
  model = await llama.loadModel({ modelPath: tinyModel("q8_0") });
  context = await model.createContext({ contextSize: 1024, batchSize: 512, threads: 2, sequences: 1 });
  seq = context.getSequence();
  bos = model.tokens.shouldPrependBosToken ? (model.tokens.bos ?? undefined) : undefined;
}, 60_000);

afterAll(async () => {
  await context?.dispose();
  await model?.dispose();
  await llama?.dispose();
});

/** log p(next token) at every position of `toks` from `from` on, evaluated from an empty cache with full logits. */
async function fullLogProbs(toks: readonly Token[], from: number): Promise<number[]> {
  await seq.clearHistory();
  const out = await seq.controlledEvaluate(toks.map((t, j) => (j >= from && j < toks.length - 1 ? [t, { generateNext: { logits: true } }] : t)));
  const lps: number[] = [];
  for (let j = from; j < toks.length - 1; j++) {
    const logits = [...out[j]!.next!.logits!.values()];
    const max = Math.max(...logits);
    const lse = max + Math.log(logits.reduce((a, v) => a + Math.exp(v - max), 0));
    lps.push(out[j]!.next!.logits!.get(toks[j + 1]!)! - lse);
  }
  await seq.clearHistory();
  return lps;
}

describe("perplexity", () => {
  it("equals the full-vocabulary log-softmax, chunked as llama-perplexity chunks (BOS first, second half scored)", async () => {
    const corpus = model.tokenize(suite.corpusText);
    const n = 256;
    const r = await measurePerplexity(seq, corpus, bos, n, 2);
    const stream = bos === undefined ? corpus : [bos, ...corpus];
    let nll = 0;
    for (let c = 0; c < 2; c++) {
      const chunk = stream.slice(c * n, (c + 1) * n);
      if (bos !== undefined) chunk[0] = bos;
      for (const lp of await fullLogProbs(chunk, n / 2)) nll -= lp;
    }
    expect(r.tokens).toBe(2 * (n / 2 - 1));
    expect(r.perplexity).toBeCloseTo(Math.exp(nll / r.tokens), 3);
  });
});

describe("HellaSwag", () => {
  it("ships the subset the registry holds the key for: same hash, same labels, 400 tasks", () => {
    const def = suite.accuracy!;
    const bytes = fs.readFileSync(path.join(suiteDir(), def.file));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(HELLASWAG_SUBSET.sha256);
    expect(def).toMatchObject({ id: HELLASWAG_SUBSET.id, sha256: HELLASWAG_SUBSET.sha256, tasks: HELLASWAG_SUBSET.tasks });
    expect(suite.accuracyTasks!.map((t) => t.label).join("")).toBe(HELLASWAG_SUBSET.labels);
  });

  it("refuses a malformed task file with the line at fault", () => {
    expect(() => parseHellaswag("ctx\n4\na\nb\nc\nd\n")).toThrow(/line 2: the label is 0-3/);
    expect(() => parseHellaswag("ctx\n1\na\nb\n")).toThrow(/six lines per task/);
  });

  it("keeps the first of equal means and leaves every ending a token of its own", () => {
    expect(chooseEnding([-2, -1, -1, -3])).toBe(1);
    expect(
      commonPrefix([
        [1, 2, 3],
        [1, 2, 4],
        [1, 2, 3, 5],
        [1, 2, 3, 6],
      ]),
    ).toBe(2);
    expect(
      commonPrefix([
        [1, 2],
        [1, 2, 3],
        [1, 2, 4],
        [1, 2, 5],
      ]),
    ).toBe(1);
  });

  it("chooses, task by task, the ending an independent full-logit scorer chooses, and the same on a second run", async () => {
    const tasks = suite.accuracyTasks!.slice(0, 10);
    const first = await measureAccuracy(seq, model, tasks, bos);
    const second = await measureAccuracy(seq, model, tasks, bos);
    expect(second.choices).toEqual(first.choices);
    for (let i = 0; i < tasks.length; i++) {
      const seqs = taskTokens(model, tasks[i]!, bos);
      const prefix = commonPrefix(seqs);
      const means: number[] = [];
      for (const s of seqs) {
        const lps = await fullLogProbs(s, prefix - 1);
        means.push(lps.reduce((a, b) => a + b, 0) / lps.length);
      }
      const sorted = [...means].sort((a, b) => b - a);
      // A near-tie may fall either way with a different evaluation order; there is none in these ten.
      expect(sorted[0]! - sorted[1]!).toBeGreaterThan(1e-3);
      expect(first.choices[i], `task ${i}`).toBe(chooseEnding(means));
    }
  });

  it("says which task does not fit the context rather than scoring part of it", async () => {
    // node-llama-cpp makes a context at least 256 tokens; the tiny model's byte tokens overflow it within a few tasks.
    const small = await model.createContext({ contextSize: 64, batchSize: 64, threads: 1, sequences: 1 });
    try {
      await expect(measureAccuracy(small.getSequence(), model, suite.accuracyTasks!.slice(0, 10), bos)).rejects.toThrow(
        new RegExp(`task \\d+ needs \\d+ tokens, more than the context's ${small.contextSize}`),
      );
    } finally {
      await small.dispose();
    }
  });
});
