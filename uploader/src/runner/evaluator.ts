/**
 * What runs inside a timed span: evaluation of prepared tokens, nothing else.
 *
 * llama-bench times `llama_decode` + `llama_synchronize` on a prepared batch,
 * logits computed for the batch's last token and never read. node-llama-cpp's
 * public `controlledEvaluate()` cannot do exactly that: whenever it asks for
 * logits it also samples a token (a second native call on the thread pool, an
 * O(vocabulary) scan) and runs its batch scheduler and locks around each call.
 * Measured on the 2-core dev machine with a Qwen2.5-0.5B-shaped Q8_0 model
 * (2026-11-21): 1.7 ms per generated token outside llama.cpp, 5 % of
 * tg128, and tg itself 15 % slower than the same decodes issued directly.
 *
 * So the timed spans use the addon calls LlamaContext itself is built on
 * (`initBatch`, `addToBatch`, `decodeBatch`: decode + synchronize on the thread
 * pool, one round trip per batch) on the sequence's own id, and remove the cells
 * they wrote afterwards, so the sequence's bookkeeping (which never saw them)
 * stays true. These are internal to node-llama-cpp: the uploader pins its
 * version (uploader/package.json), and `directEvaluator` checks for every call
 * it needs; where one is missing the runner falls back to the public API and
 * says so on the progress stream, with the cost above.
 *
 * Each generated token's decode (a one-by-one span) is timed on its own with
 * process.hrtime.bigint() around the call: two clock reads per decode, well
 * under a microsecond against a decode of a millisecond or more.
 */
import type { ControlledEvaluateInputItem, LlamaContext, LlamaContextSequence, Token } from "node-llama-cpp";

/** Tokens to evaluate from a position; logits for the last one (llama-bench's batch). */
export interface Span {
  tokens: readonly Token[];
  /** Position of the first token in the sequence. */
  pos: number;
  /** Evaluate token by token (tg) rather than in batches of n_batch (pp). */
  oneByOne: boolean;
}

export interface Evaluator {
  readonly path: "direct" | "public";
  /** Builds everything `run` needs (untimed). */
  prepare(spans: readonly Span[]): Prepared;
  /** The timed part; returns each one-by-one (generated) token's decode time in ns, in order. */
  run(prepared: Prepared): Promise<number[]>;
  /** Removes what `run` evaluated from `pos` on (untimed). */
  rewind(pos: number): Promise<void>;
}

/** Opaque to callers: each evaluator prepares its own shape. */
export type Prepared =
  | { readonly kind: "direct"; batches: DirectBatch[] }
  | { readonly kind: "public"; calls: ControlledEvaluateInputItem[][]; timed: boolean[] };

interface DirectBatch {
  tokens: Uint32Array;
  pos: number;
  /** Index within `tokens` that gets logits: [] or [last]. */
  logits: Uint32Array;
  /** A generated token's decode (one-by-one span), timed on its own. */
  timed: boolean;
}

/** The addon methods used; all exist on node-llama-cpp 3.x's AddonContext. */
interface AddonContext {
  initBatch(size: number): void;
  addToBatch(sequenceId: number, firstTokenPos: number, tokens: Uint32Array, logitIndexes: Uint32Array): Uint32Array;
  decodeBatch(): Promise<void>;
  removeTokenCellsFromSequence(sequenceId: number, start: number, end: number): boolean;
}

const ADDON_METHODS = ["initBatch", "addToBatch", "decodeBatch", "removeTokenCellsFromSequence"] as const;

/** The direct evaluator, or undefined when this node-llama-cpp lacks a call it needs. */
export function directEvaluator(context: LlamaContext, sequence: LlamaContextSequence): Evaluator | undefined {
  const addon = (context as unknown as { _ctx?: Partial<AddonContext> })._ctx;
  const sequenceId = (sequence as unknown as { _sequenceId?: unknown })._sequenceId;
  if (!addon || typeof sequenceId !== "number") return undefined;
  if (!ADDON_METHODS.every((m) => typeof addon[m] === "function")) return undefined;
  const ctx = addon as AddonContext;
  const batchSize = context.batchSize;
  return {
    path: "direct",
    prepare(spans) {
      const batches: DirectBatch[] = [];
      for (const span of spans) {
        const step = span.oneByOne ? 1 : batchSize;
        for (let i = 0; i < span.tokens.length; i += step) {
          const chunk = Uint32Array.from(span.tokens.slice(i, i + step));
          const last = i + step >= span.tokens.length;
          // tg: logits for every token (llama-bench's test_gen); pp: only the prompt's last.
          const logits = span.oneByOne || last ? Uint32Array.of(chunk.length - 1) : new Uint32Array(0);
          batches.push({ tokens: chunk, pos: span.pos + i, logits, timed: span.oneByOne });
        }
      }
      return { kind: "direct", batches };
    },
    async run(prepared) {
      if (prepared.kind !== "direct") throw new Error("prepared for another evaluator");
      const times: number[] = [];
      for (const b of prepared.batches) {
        const t0 = b.timed ? process.hrtime.bigint() : 0n;
        ctx.initBatch(b.tokens.length);
        ctx.addToBatch(sequenceId, b.pos, b.tokens, b.logits);
        await ctx.decodeBatch();
        if (b.timed) times.push(Number(process.hrtime.bigint() - t0));
      }
      return times;
    },
    async rewind(pos) {
      // -1: to the end of the sequence, whatever the last run reached.
      if (!ctx.removeTokenCellsFromSequence(sequenceId, pos, -1))
        throw new Error(`llama.cpp could not remove the sequence's cells from position ${pos}`);
    },
  };
}

/** A part of a batch: tokens of one sequence from a position, with the indexes (within `tokens`) that get logits. */
export interface BatchPart {
  sequenceId: number;
  pos: number;
  tokens: Uint32Array;
  logits: Uint32Array;
}

/** Decodes of batches holding several sequences' tokens at once (llama-batched-bench's shape), on the same addon calls. */
export interface MultiSequenceDecoder {
  /** Each sequence's id, in the order the sequences were given. */
  readonly sequenceIds: readonly number[];
  /** One llama_decode (+ synchronize) of every part together: the timed part. */
  decode(parts: readonly BatchPart[]): Promise<void>;
  /** Removes every cell the decodes wrote, in every sequence (untimed). */
  clear(): void;
}

/** The multi-sequence decoder, or undefined when this node-llama-cpp lacks a call it needs. */
export function directMultiDecoder(context: LlamaContext, sequences: readonly LlamaContextSequence[]): MultiSequenceDecoder | undefined {
  const addon = (context as unknown as { _ctx?: Partial<AddonContext> })._ctx;
  const ids = sequences.map((s) => (s as unknown as { _sequenceId?: unknown })._sequenceId);
  if (!addon || !ids.every((id): id is number => typeof id === "number")) return undefined;
  if (!ADDON_METHODS.every((m) => typeof addon[m] === "function")) return undefined;
  const ctx = addon as AddonContext;
  return {
    sequenceIds: ids,
    async decode(parts) {
      ctx.initBatch(parts.reduce((n, p) => n + p.tokens.length, 0));
      for (const p of parts) ctx.addToBatch(p.sequenceId, p.pos, p.tokens, p.logits);
      await ctx.decodeBatch();
    },
    clear() {
      for (const id of ids) if (!ctx.removeTokenCellsFromSequence(id, 0, -1)) throw new Error(`llama.cpp could not clear sequence ${id}'s cells`);
    },
  };
}

/** Asking for the next token makes node-llama-cpp compute logits (and sample) there. */
export const WITH_LOGITS = { generateNext: { token: true } } as const;

/** A public-API call evaluating `tokens` with logits (and a sampled token) for the last one only. */
export function withLastLogits(tokens: readonly Token[]): ControlledEvaluateInputItem[] {
  const items: ControlledEvaluateInputItem[] = tokens.slice();
  items[items.length - 1] = [tokens[tokens.length - 1]!, WITH_LOGITS];
  return items;
}

/** The public API: same tokens, plus node-llama-cpp's per-call sampling and scheduling. */
export function publicEvaluator(sequence: LlamaContextSequence): Evaluator {
  return {
    path: "public",
    prepare(spans) {
      const calls: ControlledEvaluateInputItem[][] = [];
      const timed: boolean[] = [];
      for (const span of spans) {
        if (span.oneByOne) {
          for (const t of span.tokens) {
            calls.push([[t, WITH_LOGITS]]);
            timed.push(true);
          }
        } else if (span.tokens.length) {
          calls.push(withLastLogits(span.tokens));
          timed.push(false);
        }
      }
      return { kind: "public", calls, timed };
    },
    async run(prepared) {
      if (prepared.kind !== "public") throw new Error("prepared for another evaluator");
      const times: number[] = [];
      for (let i = 0; i < prepared.calls.length; i++) {
        const t0 = prepared.timed[i] ? process.hrtime.bigint() : 0n;
        await sequence.controlledEvaluate(prepared.calls[i]!);
        if (prepared.timed[i]) times.push(Number(process.hrtime.bigint() - t0));
      }
      return times;
    },
    async rewind(pos) {
      if (sequence.nextTokenIndex > pos) await sequence.eraseContextTokenRanges([{ start: pos, end: sequence.nextTokenIndex }]);
    },
  };
}
