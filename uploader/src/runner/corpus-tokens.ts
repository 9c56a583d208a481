/**
 * The fixed tokens the timed tests feed: corpus text, cycled when a test
 * needs more than the corpus holds, never sampled, so every model sees the
 * same input. The first token of an empty sequence is BOS where the model
 * wants one, as in llama-bench.
 */
import type { Token } from "node-llama-cpp";

/** `n` corpus tokens from `offset`, cycling. */
export function take(corpus: readonly Token[], n: number, offset: number): Token[] {
  const out: Token[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = corpus[(offset + i) % corpus.length]!;
  return out;
}

/** The same, starting an empty sequence: BOS first where the model has one. */
export function startTokens(corpus: readonly Token[], bos: Token | undefined, n: number, offset: number): Token[] {
  const toks = take(corpus, n, offset);
  if (bos !== undefined && n > 0) toks[0] = bos;
  return toks;
}

/** An error as one bounded line for the document and the progress stream. */
export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 1000);
