/**
 * The timed tests, following llama-bench (anchors.md):
 *  - pp N: N prompt tokens in batches of n_batch, logits for the last token only.
 *  - tg N: N decodes of one token each, logits every time (llama-bench's test_gen),
 *    starting at an empty cache or at a KV depth filled (untimed) beforehand.
 *  - pg: pp then tg inside one timing. ttft: the chat prompt, then the first token.
 * Only evaluation is inside the timed span. Tokens are prepared before it; the
 * next token is fixed text, never sampled, so sampling costs nothing and every
 * model sees the same input. The one exception is inherent to node-llama-cpp:
 * when logits are requested, its native call also picks the greedy token
 * (an O(vocabulary) scan, well under 1 % of a decode), so it is inside the span.
 * The first token of an empty sequence is BOS when the model wants one, as in
 * llama-bench.
 */
import type { ControlledEvaluateInputItem, LlamaContextSequence, Token } from "node-llama-cpp";
import type { SuiteTest } from "../suite/index.js";
import type { RepWindow, TestOutcome } from "./protocol.js";

/** Asking for the next token makes llama.cpp compute logits for this position. */
const WITH_LOGITS = { generateNext: { token: true } } as const;

export interface TestInputs {
  sequence: LlamaContextSequence;
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

function take(corpus: readonly Token[], n: number, offset: number): Token[] {
  const out: Token[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = corpus[(offset + i) % corpus.length]!;
  return out;
}

/** The tokens a test evaluates, with BOS first when it starts an empty sequence. */
function startTokens(inp: TestInputs, n: number, offset: number): Token[] {
  const toks = take(inp.corpus, n, offset);
  if (inp.bos !== undefined && n > 0) toks[0] = inp.bos;
  return toks;
}

function promptItems(tokens: readonly Token[]): ControlledEvaluateInputItem[] {
  const items: ControlledEvaluateInputItem[] = tokens.slice();
  items[items.length - 1] = [tokens[tokens.length - 1]!, WITH_LOGITS];
  return items;
}

/** Context tokens a test needs; a test that does not fit is skipped with a reason. */
export function tokensNeeded(test: SuiteTest, chatTokens: number): number {
  const prompt = test.kind === "ttft" ? chatTokens : test.nPrompt;
  return test.depth + prompt + test.nGen;
}

export async function measureTest(test: SuiteTest, inp: TestInputs): Promise<TestOutcome> {
  const seq = inp.sequence;
  const nPrompt = test.kind === "ttft" ? inp.chatTokens.length : test.nPrompt;
  const base = { name: test.name, nPrompt, nGen: test.nGen, depth: test.depth };
  const need = tokensNeeded(test, inp.chatTokens.length);
  if (need > inp.contextSize) {
    return { ...base, status: "failed", error: `skipped: needs ${need} tokens of context, the context holds ${inp.contextSize}`, windows: [] };
  }

  // Everything a repetition evaluates is built here, outside the timed span.
  const depthTokens = test.depth > 0 ? startTokens(inp, test.depth, 0) : [];
  const prompt = test.kind === "ttft" ? inp.chatTokens.slice() : nPrompt > 0 ? (test.depth > 0 ? take(inp.corpus, nPrompt, test.depth) : startTokens(inp, nPrompt, 0)) : [];
  const genOffset = test.depth + nPrompt;
  const gen = test.nGen > 0 ? (genOffset === 0 ? startTokens(inp, test.nGen, 0) : take(inp.corpus, test.nGen, genOffset)) : [];
  const promptInput = prompt.length ? promptItems(prompt) : [];
  const genInputs: ControlledEvaluateInputItem[][] = gen.map((t) => [[t, WITH_LOGITS]]);
  const genCount = test.kind === "ttft" ? 0 : gen.length;

  await seq.clearHistory();
  if (depthTokens.length) await seq.evaluateWithoutGeneratingNewTokens(depthTokens);
  const reset = async () => {
    // Back to the depth: erase what the last repetition added (untimed).
    if (seq.nextTokenIndex > test.depth) await seq.eraseContextTokenRanges([{ start: test.depth, end: seq.nextTokenIndex }]);
  };

  const once = async (): Promise<RepWindow> => {
    const startNs = process.hrtime.bigint();
    if (promptInput.length) await seq.controlledEvaluate(promptInput);
    for (let i = 0; i < genCount; i++) await seq.controlledEvaluate(genInputs[i]!);
    const endNs = process.hrtime.bigint();
    return { startNs, endNs };
  };

  for (let i = 0; i < inp.warmup; i++) {
    await once();
    await reset();
  }
  await inp.onTimedStart?.();
  const windows: RepWindow[] = [];
  for (let i = 0; i < inp.reps; i++) {
    windows.push(await once());
    await reset();
  }
  const llamaEvalMs = await inp.onTimedEnd?.();
  return { ...base, status: "ok", windows, llamaEvalMs };
}
