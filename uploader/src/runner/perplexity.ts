/**
 * Perplexity over the suite's fixed text, computed the way llama.cpp's
 * llama-perplexity does: the text is tokenised with BOS first where the model
 * adds one, the token stream is cut into chunks of n tokens, each evaluated
 * from an empty cache with its first token replaced by BOS, and only the
 * second half of each chunk is scored (so every scored token has at least
 * n/2 tokens of context). PPL = exp(mean of -log p) over the scored tokens,
 * with log p over the full vocabulary (runner/log-prob.ts).
 */
import type { ControlledEvaluateInputItem, LlamaContextSequence, Token } from "node-llama-cpp";
import { logProbs, scored } from "./log-prob.js";

export interface PerplexityResult {
  perplexity: number;
  /** Tokens scored. */
  tokens: number;
}

export async function measurePerplexity(
  seq: LlamaContextSequence,
  corpus: readonly Token[],
  bos: Token | undefined,
  chunkTokens: number,
  maxChunks: number,
): Promise<PerplexityResult> {
  // llama-perplexity tokenises with BOS first, so its chunk boundaries fall one token earlier in the text.
  const stream = bos === undefined ? corpus : [bos, ...corpus];
  const chunks = Math.min(maxChunks, Math.floor(stream.length / chunkTokens));
  if (chunks < 1) throw new Error(`the text has ${corpus.length} tokens with this tokenizer, fewer than one chunk of ${chunkTokens}`);
  if (chunkTokens > seq.contextSize) throw new Error(`perplexity chunks of ${chunkTokens} tokens do not fit a context of ${seq.contextSize}`);
  const first = Math.floor(chunkTokens / 2);
  let nll = 0;
  let count = 0;
  for (let c = 0; c < chunks; c++) {
    const toks = stream.slice(c * chunkTokens, (c + 1) * chunkTokens);
    if (bos !== undefined) toks[0] = bos;
    const items: ControlledEvaluateInputItem[] = toks.map((t, j) => (j >= first && j < toks.length - 1 ? scored(t, [toks[j + 1]!]) : t));
    await seq.clearHistory();
    const out = await seq.controlledEvaluate(items);
    for (let j = first; j < toks.length - 1; j++) {
      nll -= logProbs(out[j], [toks[j + 1]!], `position ${j} of chunk ${c}`)[0]!;
      count++;
    }
  }
  await seq.clearHistory();
  const perplexity = Math.exp(nll / count);
  if (!Number.isFinite(perplexity)) throw new Error("perplexity is not finite (the model produced non-finite logits)");
  return { perplexity, tokens: count };
}
