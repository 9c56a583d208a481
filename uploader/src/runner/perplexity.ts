/**
 * Perplexity over the suite's fixed text, computed the way llama.cpp's
 * llama-perplexity does: the token stream is cut into chunks of n tokens, each
 * evaluated from an empty cache with its first token replaced by BOS, and only
 * the second half of each chunk is scored (so every scored token has at least
 * n/2 tokens of context). For position j the log-probability of token j+1 is
 *   log p = logit[t] - max(logit) - ln(sum_k exp(logit[k] - max(logit)))
 * using node-llama-cpp's filtered logits (target and max) and its
 * totalLogitWeight (= sum_k exp(logit[k] - max)). PPL = exp(mean of -log p).
 */
import type { ControlledEvaluateInputItem, LlamaContextSequence, Token } from "node-llama-cpp";

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
  const chunks = Math.min(maxChunks, Math.floor(corpus.length / chunkTokens));
  if (chunks < 1) throw new Error(`the text has ${corpus.length} tokens with this tokenizer, fewer than one chunk of ${chunkTokens}`);
  if (chunkTokens > seq.contextSize) throw new Error(`perplexity chunks of ${chunkTokens} tokens do not fit a context of ${seq.contextSize}`);
  const first = Math.floor(chunkTokens / 2);
  let nll = 0;
  let count = 0;
  for (let c = 0; c < chunks; c++) {
    const toks = corpus.slice(c * chunkTokens, (c + 1) * chunkTokens);
    if (bos !== undefined) toks[0] = bos;
    const items: ControlledEvaluateInputItem[] = toks.map((t, j) =>
      j >= first && j < toks.length - 1
        ? [t, { generateNext: { logits: { filter: { tokens: [toks[j + 1]!], includeMax: true } }, totalLogitWeight: true } }]
        : t,
    );
    await seq.clearHistory();
    const out = await seq.controlledEvaluate(items);
    for (let j = first; j < toks.length - 1; j++) {
      const next = out[j]?.next;
      const logits = next?.logits;
      const target = logits?.get(toks[j + 1]!);
      if (!logits || target === undefined || !next?.totalLogitWeight) throw new Error(`no logits for position ${j} of chunk ${c}`);
      let max = -Infinity;
      for (const v of logits.values()) if (v > max) max = v;
      nll -= target - max - Math.log(next.totalLogitWeight);
      count++;
    }
  }
  await seq.clearHistory();
  const perplexity = Math.exp(nll / count);
  if (!Number.isFinite(perplexity)) throw new Error("perplexity is not finite (the model produced non-finite logits)");
  return { perplexity, tokens: count };
}
