/**
 * The concurrent test: C streams served at once by one llama.cpp context, as
 * llama-server with --parallel and llama-batched-bench run them. A context of
 * its own holds C sequences (the other tests keep their single-sequence
 * context); the point's context size is shared among them, as llama-server's
 * -c is among its slots.
 *
 * A repetition, timed from its start:
 *  - the prompt phase: the C prompts (nPrompt tokens each, BOS first) in
 *    batches of n_batch, one stream after another, logits for each stream's
 *    last prompt token. A stream's first token is ready when the decode that
 *    produced its logits ends: its time to first token;
 *  - nGen - 1 decode steps, each one batch holding one token of every stream
 *    (lockstep, llama-batched-bench's 0123 0123 pattern): every stream sees
 *    the same gaps, each step's end to the next's.
 * The fed tokens are fixed corpus text (each stream its own stretch), never
 * sampled, as in the other tests; only the decodes are inside the timing.
 *
 * Where node-llama-cpp lacks the addon calls (./evaluator.ts) each stream
 * runs through the public API on its own sequence, all at once, and
 * node-llama-cpp batches what is queued together; the caller says so.
 */
import { LIMITS } from "@edgebench/contract";
import type { ControlledEvaluateInputItem, LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import type { SuiteTest } from "../suite/index.js";
import { errorText, startTokens, take } from "./corpus-tokens.js";
import { type BatchPart, directMultiDecoder, type MultiSequenceDecoder, WITH_LOGITS, withLastLogits } from "./evaluator.js";
import type { ContextPoint, RepWindow, TestOutcome } from "./protocol.js";

export interface ConcurrentInputs {
  model: LlamaModel;
  point: ContextPoint;
  /** Corpus tokens (no BOS), cycled when the streams need more. */
  corpus: readonly Token[];
  bos?: Token;
  warmup: number;
  reps: number;
  /** Called once when the public API stands in for the addon calls. */
  onFallback?: () => Promise<void>;
}

/** What one repetition gives: its window and every stream's timing. */
interface Rep extends RepWindow {
  streams: { ttftNs: number; gapsNs: number[] }[];
}

/** Stream s's prompt (BOS first where the model wants one) and the tokens its decode steps feed. */
function streamTokens(test: SuiteTest, inp: ConcurrentInputs, s: number): { prompt: Token[]; gen: Token[] } {
  const offset = s * (test.nPrompt + test.nGen);
  const prompt = startTokens(inp.corpus, inp.bos, test.nPrompt, offset);
  return { prompt, gen: take(inp.corpus, test.nGen - 1, offset + test.nPrompt) };
}

/** The prompt phase as batches of at most `batchSize` tokens; with each, the streams whose last prompt token it holds. */
export function promptBatches(
  prompts: readonly (readonly Token[])[],
  sequenceIds: readonly number[],
  batchSize: number,
): { parts: BatchPart[]; firstTokenOf: number[] }[] {
  const out: { parts: BatchPart[]; firstTokenOf: number[] }[] = [];
  let current: { parts: BatchPart[]; firstTokenOf: number[] } = { parts: [], firstTokenOf: [] };
  let room = batchSize;
  prompts.forEach((prompt, s) => {
    for (let i = 0; i < prompt.length; ) {
      const n = Math.min(room, prompt.length - i);
      const last = i + n === prompt.length;
      current.parts.push({
        sequenceId: sequenceIds[s]!,
        pos: i,
        tokens: Uint32Array.from(prompt.slice(i, i + n)),
        logits: last ? Uint32Array.of(n - 1) : new Uint32Array(0),
      });
      if (last) current.firstTokenOf.push(s);
      i += n;
      room -= n;
      if (room === 0) {
        out.push(current);
        current = { parts: [], firstTokenOf: [] };
        room = batchSize;
      }
    }
  });
  if (current.parts.length) out.push(current);
  return out;
}

/** Decode step k: one token of every stream at position nPrompt + k, logits for each. */
function stepBatches(gens: readonly (readonly Token[])[], sequenceIds: readonly number[], nPrompt: number, steps: number): BatchPart[][] {
  return Array.from({ length: steps }, (_, k) =>
    gens.map((gen, s) => ({ sequenceId: sequenceIds[s]!, pos: nPrompt + k, tokens: Uint32Array.of(gen[k]!), logits: Uint32Array.of(0) })),
  );
}

async function directRep(
  decoder: MultiSequenceDecoder,
  prompt: { parts: BatchPart[]; firstTokenOf: number[] }[],
  steps: BatchPart[][],
  c: number,
): Promise<Rep> {
  const ttft = new Array<number>(c).fill(0);
  const gaps: number[] = [];
  const startNs = process.hrtime.bigint();
  let prev = startNs;
  for (const b of prompt) {
    await decoder.decode(b.parts);
    prev = process.hrtime.bigint();
    for (const s of b.firstTokenOf) ttft[s] = Number(prev - startNs);
  }
  for (const step of steps) {
    await decoder.decode(step);
    const t = process.hrtime.bigint();
    gaps.push(Number(t - prev));
    prev = t;
  }
  const endNs = prev;
  decoder.clear();
  return { startNs, endNs, streams: ttft.map((ttftNs) => ({ ttftNs: Math.max(1, ttftNs), gapsNs: gaps })) };
}

/** The fallback: each stream on its own sequence through the public API, all at once; node-llama-cpp batches them. */
async function publicRep(sequences: readonly LlamaContextSequence[], tokens: { prompt: Token[]; gen: Token[] }[]): Promise<Rep> {
  const calls = tokens.map(({ prompt, gen }) => ({
    prompt: withLastLogits(prompt),
    steps: gen.map((t): ControlledEvaluateInputItem[] => [[t, WITH_LOGITS]]),
  }));
  const startNs = process.hrtime.bigint();
  const streams = await Promise.all(
    sequences.map(async (seq, s) => {
      await seq.controlledEvaluate(calls[s]!.prompt);
      let prev = process.hrtime.bigint();
      const ttftNs = Math.max(1, Number(prev - startNs));
      const gapsNs: number[] = [];
      for (const step of calls[s]!.steps) {
        await seq.controlledEvaluate(step);
        const t = process.hrtime.bigint();
        gapsNs.push(Number(t - prev));
        prev = t;
      }
      return { ttftNs, gapsNs, endNs: prev };
    }),
  );
  // The last stream's last token (bigints: no Math.max).
  let endNs = startNs;
  for (const s of streams) if (s.endNs > endNs) endNs = s.endNs;
  for (const seq of sequences) await seq.clearHistory();
  return { startNs, endNs, streams: streams.map(({ ttftNs, gapsNs }) => ({ ttftNs, gapsNs })) };
}

export async function measureConcurrent(test: SuiteTest, inp: ConcurrentInputs): Promise<TestOutcome> {
  const c = test.concurrency ?? 1;
  const base = { name: test.name, nPrompt: test.nPrompt, nGen: test.nGen, depth: 0, concurrency: c, ...(test.slo ? { slo: test.slo } : {}) };
  const skipped = (why: string): TestOutcome => ({ ...base, status: "failed", error: `skipped: ${why}`, windows: [] });
  const need = c * (test.nPrompt + test.nGen);
  if (need > inp.point.contextSize)
    return skipped(`${c} streams of ${test.nPrompt + test.nGen} tokens need ${need} tokens of context, the context holds ${inp.point.contextSize}`);
  if (c > inp.point.batchSize) return skipped(`a decode step of ${c} streams does not fit a batch of ${inp.point.batchSize}`);
  if (test.nGen - 1 > LIMITS.maxTokenTimes) return skipped(`a result document keeps at most ${LIMITS.maxTokenTimes} gaps per stream`);

  let context: LlamaContext;
  try {
    // node-llama-cpp's contextSize is per sequence: the point's context, shared among the streams.
    context = await inp.model.createContext({
      contextSize: Math.floor(inp.point.contextSize / c),
      sequences: c,
      batchSize: inp.point.batchSize,
      threads: inp.point.threads,
      flashAttention: inp.point.flashAttention,
    });
  } catch (err) {
    return skipped(`cannot create a context for ${c} streams: ${errorText(err)}`);
  }
  try {
    if (context.contextSize < test.nPrompt + test.nGen)
      return skipped(`each of ${c} streams gets ${context.contextSize} tokens of context, it needs ${test.nPrompt + test.nGen}`);
    const sequences = Array.from({ length: c }, () => context.getSequence());
    const tokens = sequences.map((_, s) => streamTokens(test, inp, s));
    const decoder = directMultiDecoder(context, sequences);
    let once: () => Promise<Rep>;
    if (decoder) {
      // Everything a repetition decodes is built here, outside the timed span.
      const prompt = promptBatches(
        tokens.map((t) => t.prompt),
        decoder.sequenceIds,
        context.batchSize,
      );
      const steps = stepBatches(
        tokens.map((t) => t.gen),
        decoder.sequenceIds,
        test.nPrompt,
        test.nGen - 1,
      );
      once = () => directRep(decoder, prompt, steps, c);
    } else {
      await inp.onFallback?.();
      once = () => publicRep(sequences, tokens);
    }
    for (let i = 0; i < inp.warmup; i++) await once();
    const reps: Rep[] = [];
    for (let i = 0; i < inp.reps; i++) reps.push(await once());
    return {
      ...base,
      status: "ok",
      windows: reps.map(({ startNs, endNs }) => ({ startNs, endNs })),
      streams: reps.map((r) => r.streams),
    };
  } finally {
    await context.dispose();
  }
}
