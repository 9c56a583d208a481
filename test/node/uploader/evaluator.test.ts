/**
 * The timed evaluator (uploader/src/runner/evaluator.ts) uses node-llama-cpp's
 * internal batch calls. These tests pin that down on real inference with the
 * tiny model: the pinned node-llama-cpp has every call (a version bump that
 * drops one fails here rather than silently slowing tg by 5 %), and a timed
 * repetition leaves the KV cache exactly as it found it, which is what lets the
 * next repetition, the next test and perplexity run on the same sequence.
 */
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLlama } from "../../../uploader/src/detect/llama.js";
import { directEvaluator, type Evaluator, publicEvaluator } from "../../../uploader/src/runner/evaluator.js";
import { tinyModel } from "../helpers/models.js";

let llama: Llama;
let model: LlamaModel;
let context: LlamaContext;
let sequence: LlamaContextSequence;
let tokens: Token[];

beforeAll(async () => {
  llama = await loadLlama("cpu");
  model = await llama.loadModel({ modelPath: tinyModel("f32") });
  context = await model.createContext({ contextSize: 512, batchSize: 64, threads: 1, sequences: 1 });
  sequence = context.getSequence();
  tokens = model.tokenize(
    "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife. ".repeat(3),
  );
}, 60_000);

afterAll(async () => {
  await context?.dispose();
  await model?.dispose();
  await llama?.dispose();
});

/** The next-token distribution after `probe` is evaluated from the sequence's current end. */
async function nextDistribution(probe: readonly Token[]): Promise<number[]> {
  const items = probe.slice(0, -1) as (Token | [Token, { generateNext: { probabilities: true } }])[];
  items.push([probe[probe.length - 1]!, { generateNext: { probabilities: true } }]);
  const out = await sequence.controlledEvaluate(items);
  const probs = out[out.length - 1]?.next?.probabilities;
  if (!probs) throw new Error("no probabilities returned");
  return [...probs.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
}

/** Fill `depth` tokens, let `evaluator` run a tg-like span and a pp-like span after them, rewind. */
async function runAndRewind(evaluator: Evaluator, depth: number, rewind: boolean): Promise<void> {
  const prepared = evaluator.prepare([
    { tokens: tokens.slice(depth, depth + 100), pos: depth, oneByOne: false },
    { tokens: tokens.slice(0, 16), pos: depth + 100, oneByOne: true },
  ]);
  await evaluator.run(prepared);
  if (rewind) await evaluator.rewind(depth);
}

async function distributionAfter(evaluator: Evaluator | undefined, rewind = true): Promise<number[]> {
  await sequence.clearHistory();
  await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(0, 20));
  if (evaluator) await runAndRewind(evaluator, 20, rewind);
  expect(sequence.nextTokenIndex).toBe(20);
  return nextDistribution(tokens.slice(20, 28));
}

describe("timed evaluator", () => {
  it("the pinned node-llama-cpp offers every internal call the direct evaluator needs", () => {
    expect(directEvaluator(context, sequence)?.path).toBe("direct");
  });

  it("prepares pp spans in n_batch chunks with logits on the last token only, tg spans token by token", () => {
    const ev = directEvaluator(context, sequence)!;
    const prepared = ev.prepare([
      { tokens: tokens.slice(0, 150), pos: 0, oneByOne: false },
      { tokens: tokens.slice(0, 3), pos: 150, oneByOne: true },
    ]);
    if (prepared.kind !== "direct") throw new Error("expected direct batches");
    expect(prepared.batches.map((b) => [b.pos, b.tokens.length, [...b.logits]])).toEqual([
      [0, 64, []],
      [64, 64, []],
      [128, 22, [21]],
      [150, 1, [0]],
      [151, 1, [0]],
      [152, 1, [0]],
    ]);
  });

  it("a direct repetition leaves the KV cache as it found it (same next-token distribution as never having run)", async () => {
    const untouched = await distributionAfter(undefined);
    const afterDirect = await distributionAfter(directEvaluator(context, sequence)!);
    const afterPublic = await distributionAfter(publicEvaluator(sequence));
    expect(afterDirect.length).toBe(untouched.length);
    for (let i = 0; i < untouched.length; i++) {
      expect(afterDirect[i]).toBeCloseTo(untouched[i]!, 6);
      expect(afterPublic[i]).toBeCloseTo(untouched[i]!, 6);
    }
  });

  it("without the rewind llama.cpp refuses the next evaluation (so the test above can fail)", async () => {
    await expect(distributionAfter(directEvaluator(context, sequence)!, false)).rejects.toThrow(/Eval has failed/);
    await sequence.clearHistory();
    expect((await distributionAfter(undefined)).length).toBeGreaterThan(0);
  });
});
