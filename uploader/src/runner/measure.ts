/**
 * The timed tests, following llama-bench (anchors.md):
 *  - pp N: N prompt tokens in batches of n_batch, logits for the last token only.
 *  - tg N: N decodes of one token each, logits every time (llama-bench's test_gen),
 *    starting at an empty cache or at a KV depth filled (untimed) beforehand.
 *  - pg: pp then tg inside one timing.
 *  - ttft: the chat prompt, then the first token sampled from its logits, as a
 *    user waits for it (the one test that samples, through the public API).
 *  - concurrent: C streams at once in batched decodes, in a context of its own
 *    (./concurrent.ts, run from the child).
 * A tg test also keeps each token's decode time (tokenNs: inter-token percentiles).
 * Only evaluation is inside the timed span (evaluator.ts): tokens and batches are
 * prepared before it; the next token is fixed text, never sampled, so every
 * model sees the same input. The first token of an empty sequence is BOS when
 * the model wants one, as in llama-bench.
 */
import { LIMITS, SUSTAINED_RANKED_SECONDS } from "@edgebench/contract";
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import type { SuiteTest } from "../suite/index.js";
import { startTokens, take } from "./corpus-tokens.js";
import { type Evaluator, publicEvaluator, type Span } from "./evaluator.js";
import type { RepWindow, TestOutcome } from "./protocol.js";
import { measureSustained } from "./sustained.js";

export interface TestInputs {
  sequence: LlamaContextSequence;
  /** Runs pp/tg/pg spans; ttft always uses the public API (it samples). */
  evaluator: Evaluator;
  /** Corpus tokens (no BOS), cycled when a test needs more. */
  corpus: readonly Token[];
  bos?: Token;
  /** The TTFT chat prompt, formatted with the model's template and tokenised. */
  chatTokens: readonly Token[];
  contextSize: number;
  warmup: number;
  reps: number;
  /** Called around the timed reps (after warm-up) to read llama.cpp's own timings. */
  onTimedStart?: () => Promise<void>;
  onTimedEnd?: () => Promise<number | undefined>;
}

/** The tokens a test evaluates, with BOS first when it starts an empty sequence. */
const startOf = (inp: TestInputs, n: number, offset: number): Token[] => startTokens(inp.corpus, inp.bos, n, offset);

/** Context tokens a test needs; a test that does not fit is skipped with a reason. */
export function tokensNeeded(test: SuiteTest, chatTokens: number): number {
  const prompt = test.kind === "ttft" ? chatTokens : test.nPrompt;
  return test.depth + prompt + test.nGen;
}

export async function measureTest(test: SuiteTest, inp: TestInputs): Promise<TestOutcome> {
  if (test.kind === "sustained") return sustainedTest(test, inp);
  const seq = inp.sequence;
  const nPrompt = test.kind === "ttft" ? inp.chatTokens.length : test.nPrompt;
  const base = { name: test.name, nPrompt, nGen: test.nGen, depth: test.depth };
  const need = tokensNeeded(test, inp.chatTokens.length);
  if (need > inp.contextSize) {
    return { ...base, status: "failed", error: `skipped: needs ${need} tokens of context, the context holds ${inp.contextSize}`, windows: [] };
  }

  // Everything a repetition evaluates is built here, outside the timed span.
  const depthTokens = test.depth > 0 ? startOf(inp, test.depth, 0) : [];
  const prompt =
    test.kind === "ttft"
      ? inp.chatTokens.slice()
      : nPrompt > 0
        ? test.depth > 0
          ? take(inp.corpus, nPrompt, test.depth)
          : startOf(inp, nPrompt, 0)
        : [];
  const genOffset = test.depth + nPrompt;
  const gen = test.nGen > 0 ? (genOffset === 0 ? startOf(inp, test.nGen, 0) : take(inp.corpus, test.nGen, genOffset)) : [];
  const spans: Span[] = [];
  if (prompt.length) spans.push({ tokens: prompt, pos: test.depth, oneByOne: false });
  if (test.kind !== "ttft" && gen.length) spans.push({ tokens: gen, pos: genOffset, oneByOne: true });
  const evaluator = test.kind === "ttft" ? publicEvaluator(seq) : inp.evaluator;
  const prepared = evaluator.prepare(spans);

  await seq.clearHistory();
  if (depthTokens.length) await seq.evaluateWithoutGeneratingNewTokens(depthTokens);

  const once = async (): Promise<RepWindow & { tokenNs: number[] }> => {
    const startNs = process.hrtime.bigint();
    const tokenNs = await evaluator.run(prepared);
    const endNs = process.hrtime.bigint();
    // Back to the depth: erase what this repetition added (untimed).
    await evaluator.rewind(test.depth);
    return { startNs, endNs, tokenNs };
  };

  for (let i = 0; i < inp.warmup; i++) await once();
  await inp.onTimedStart?.();
  const windows: RepWindow[] = [];
  const tokenNs: number[][] = [];
  for (let i = 0; i < inp.reps; i++) {
    const rep = await once();
    windows.push({ startNs: rep.startNs, endNs: rep.endNs });
    tokenNs.push(rep.tokenNs);
  }
  const llamaEvalMs = await inp.onTimedEnd?.();
  // Only generation tests carry them: exactly nGen per repetition (the span's one-by-one decodes), as many as a document holds.
  const perToken = test.kind === "tg" && test.nGen <= LIMITS.maxTokenTimes && tokenNs.every((r) => r.length === test.nGen) ? { tokenNs } : {};
  return { ...base, status: "ok", windows, llamaEvalMs, ...perToken };
}

/** One timed span of generation without pause (./sustained.ts); the suite's seconds, at least one window. */
async function sustainedTest(test: SuiteTest, inp: TestInputs): Promise<TestOutcome> {
  await inp.sequence.clearHistory();
  const tokens = startOf(inp, Math.min(test.cycleTokens ?? inp.contextSize, inp.contextSize), 0);
  await inp.onTimedStart?.();
  const s = await measureSustained({
    evaluator: inp.evaluator,
    tokens,
    contextSize: inp.contextSize,
    cycle: test.cycleTokens,
    seconds: test.seconds ?? SUSTAINED_RANKED_SECONDS,
  });
  const llamaEvalMs = await inp.onTimedEnd?.();
  await inp.evaluator.rewind(0);
  return {
    name: test.name,
    status: "ok",
    nPrompt: 0,
    nGen: s.tokens,
    depth: 0,
    windows: [{ startNs: s.startNs, endNs: s.endNs }],
    llamaEvalMs,
    sustained: { windowMs: s.windowMs, perWindow: s.perWindow, tokenTimes: s.tokenTimes },
  };
}
