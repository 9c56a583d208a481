/**
 * The HellaSwag accuracy test on llama.cpp, scored as `llama-perplexity
 * --hellaswag` scores it (uploader/src/accuracy/hellaswag.ts holds the rule):
 * each of a task's four texts (context + " " + ending) is tokenised with BOS
 * first where the model adds one; the tokens all four share are evaluated
 * once, with the log-probability of each ending's first token read from the
 * last shared position; then each ending's own tokens are evaluated on top of
 * that cache and erased again, so the context's KV cache serves all four.
 */
import type { LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { chooseEnding, commonPrefix, endingText, type HellaswagTask } from "../accuracy/hellaswag.js";
import { logProbs, scored } from "./log-prob.js";

export interface AccuracyRun {
  /** The chosen ending of each task, in order. */
  choices: number[];
  elapsedMs: number;
}

/** One task's four token sequences, as llama.cpp's common_tokenize(ctx, text, add_special = true) gives them. */
export function taskTokens(model: LlamaModel, task: HellaswagTask, bos: Token | undefined): Token[][] {
  return [0, 1, 2, 3].map((s) => {
    const toks = model.tokenize(endingText(task, s));
    return bos === undefined ? toks : [bos, ...toks];
  });
}

/** Mean log-probability of each ending's tokens given the context, for one task. */
export async function endingScores(seq: LlamaContextSequence, seqs: Token[][], where: string): Promise<number[]> {
  const prefix = commonPrefix(seqs);
  if (prefix < 1) throw new Error(`${where}: the four texts share no first token`);
  const longest = Math.max(...seqs.map((s) => s.length));
  if (longest > seq.contextSize) throw new Error(`${where} needs ${longest} tokens, more than the context's ${seq.contextSize}`);
  const firsts = [...new Set(seqs.map((s) => s[prefix]!))];
  await seq.clearHistory();
  const shared = seqs[0]!.slice(0, prefix);
  const head = await seq.controlledEvaluate(shared.map((t, i) => (i === prefix - 1 ? scored(t, firsts) : t)));
  const firstLp = new Map(firsts.map((t, i) => [t, logProbs(head[prefix - 1], firsts, `${where}, last context token`)[i]!]));
  const means: number[] = [];
  for (let s = 0; s < 4; s++) {
    const ending = seqs[s]!.slice(prefix);
    let sum = firstLp.get(ending[0]!)!;
    // Every ending token but the last is evaluated, each scoring the token after it.
    const body = ending.slice(0, -1);
    if (body.length > 0) {
      const out = await seq.controlledEvaluate(body.map((t, j) => scored(t, [ending[j + 1]!])));
      for (let j = 0; j < body.length; j++) sum += logProbs(out[j], [ending[j + 1]!], `${where}, ending ${s} token ${j + 1}`)[0]!;
      await seq.eraseContextTokenRanges([{ start: prefix, end: prefix + body.length }]);
    }
    means.push(sum / ending.length);
  }
  return means;
}

/** Scores the tasks in order; `onProgress` hears how many are done. */
export async function measureAccuracy(
  seq: LlamaContextSequence,
  model: LlamaModel,
  tasks: readonly HellaswagTask[],
  bos: Token | undefined,
  onProgress?: (done: number) => void | Promise<void>,
): Promise<AccuracyRun> {
  const t0 = performance.now();
  const choices: number[] = [];
  try {
    for (let i = 0; i < tasks.length; i++) {
      choices.push(chooseEnding(await endingScores(seq, taskTokens(model, tasks[i]!, bos), `task ${i + 1}`)));
      await onProgress?.(i + 1);
    }
  } finally {
    await seq.clearHistory();
  }
  return { choices, elapsedMs: performance.now() - t0 };
}
