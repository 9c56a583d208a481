/**
 * The sustained test: generation without pause for a fixed time, as a user
 * who keeps a board busy sees it, so a fanless board or a phone shows what it
 * delivers once it is hot. Tokens are counted per window (1 s) by the time
 * each decode ended. Every `cycle` tokens (the suite's cycleTokens, else when
 * the context is full) the sequence starts again from empty, so each window
 * is generation at the same small depth and a falling rate means heat or a
 * power limit, not a growing KV cache; the removal of the cells is inside the
 * timing (it is part of running without a pause, and costs microseconds). The test ends with the
 * first decode that finishes past the duration; that decode counts in the
 * last window, so the windows sum to the tokens generated. Each token's time
 * (from the end of the previous decode to the end of its own) is counted in
 * the contract's token-time histogram for the inter-token percentiles.
 */
import { TOKEN_TIME_BUCKETS, tokenTimeBucket } from "@edgebench/contract";
import type { Token } from "node-llama-cpp";
import type { Evaluator } from "./evaluator.js";

export const SUSTAINED_WINDOW_MS = 1000;

export interface SustainedInputs {
  evaluator: Evaluator;
  /** Tokens fed one by one, cycled; the first is BOS where the model wants one. */
  tokens: readonly Token[];
  contextSize: number;
  /** Tokens per cycle before starting again from empty. */
  cycle?: number;
  seconds: number;
}

export interface SustainedOutcome {
  startNs: bigint;
  endNs: bigint;
  tokens: number;
  windowMs: number;
  perWindow: number[];
  tokenTimes: { counts: number[]; maxNs: number };
}

export async function measureSustained(inp: SustainedInputs): Promise<SustainedOutcome> {
  const windowsCount = Math.max(1, Math.round((inp.seconds * 1000) / SUSTAINED_WINDOW_MS));
  const windowNs = BigInt(SUSTAINED_WINDOW_MS) * 1_000_000n;
  const endNs = BigInt(windowsCount) * windowNs;
  const perWindow = new Array<number>(windowsCount).fill(0);
  // One prepared single-token span per context position, built before the clock starts.
  const limit = Math.min(inp.cycle ?? inp.contextSize, inp.contextSize, inp.tokens.length);
  const spans = Array.from({ length: limit }, (_, pos) => inp.evaluator.prepare([{ tokens: [inp.tokens[pos]!], pos, oneByOne: true }]));
  await inp.evaluator.rewind(0);
  let generated = 0;
  let pos = 0;
  const counts = new Array<number>(TOKEN_TIME_BUCKETS).fill(0);
  let maxNs = 0;
  const startNs = process.hrtime.bigint();
  let lastNs = 0n;
  for (;;) {
    if (pos === limit) {
      await inp.evaluator.rewind(0);
      pos = 0;
    }
    await inp.evaluator.run(spans[pos]!);
    pos++;
    generated++;
    const t = process.hrtime.bigint() - startNs;
    const took = Number(t - lastNs);
    lastNs = t;
    counts[tokenTimeBucket(took)]!++;
    if (took > maxNs) maxNs = took;
    const w = Number(t / windowNs);
    const i = Math.min(w, windowsCount - 1);
    perWindow[i]!++;
    if (t >= endNs)
      return { startNs, endNs: startNs + t, tokens: generated, windowMs: SUSTAINED_WINDOW_MS, perWindow, tokenTimes: { counts, maxNs } };
  }
}
