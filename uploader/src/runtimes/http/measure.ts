/**
 * One suite test through an HTTP server: warm-up, timed repetitions, and the
 * per-repetition figures with where each came from.
 *
 * Mapping of the suite (llama-bench shapes) onto requests:
 *   pp N     raw prompt of ~N tokens, max_tokens 1. Server prompt timing
 *            (llama-server prompt_ms, Ollama prompt_eval_duration) when given,
 *            else the client clock from request sent to the first token.
 *   tg N     minimal prompt, max_tokens N, ignore_eos. Server generation timing
 *            (predicted_ms / eval_duration) when given, else the client clock
 *            from the first to the last content chunk over the N-1 tokens
 *            decoded between them (the prompt and request latency stay out).
 *   tg N@dD  the same after a prompt of ~D tokens (the KV depth).
 *   pp N+tg M  raw prompt of ~N tokens, max_tokens M: server prompt + generation
 *            time, else the client clock from request sent to the last token.
 *   ttft     the suite's chat prompt through the chat API, max_tokens 1: always
 *            the client clock, request sent to the first content token.
 *   concurrent  C such pp N+tg M requests at once: concurrent.ts.
 *
 * Energy windows: a client-timed span is the window itself; a server-timed span
 * is placed at the end of the client-observed span where the server did that
 * work (before the first token for the prompt, before the last token for the
 * generation), so each window is as long as its sample and the meter integrates
 * over the time the figure describes.
 */
import { percentile, type TestResult } from "@edgebench/contract";
import type { RepWindow } from "../../runner/protocol.js";
import type { SuiteTest } from "../../suite/index.js";
import type { ChatMessage, GenClient, GenRequest, GenResult } from "./client.js";
import type { PromptMaker } from "./prompts.js";
import { estimateTokens, type LocalTokenizer } from "./tokens.js";

export interface HttpTestInputs {
  client: GenClient;
  prompts: PromptMaker;
  tokenizer?: LocalTokenizer;
  chatPrompt: { system: string; user: string };
  /** The server's context size when known; tests that cannot fit are skipped. */
  contextSize?: number;
  warmup: number;
  reps: number;
}

export interface HttpTestOutcome {
  test: TestResult;
  windows: RepWindow[];
  /** Worth saying on the console (fewer tokens than asked, counts that varied). */
  notes: string[];
}

export type CountSource = NonNullable<TestResult["tokenCounts"]>;

interface RepFigures {
  ns: number;
  window: RepWindow;
  nPrompt: number;
  nGen: number;
  /** Tokens that came back (for the shortfall note). */
  generated: number;
  /** Tokens of the prompt sent (the KV depth for a tg test). */
  promptTokens: number;
  counts: CountSource;
  timing: "client" | "server";
  gapsNs: number[];
}

const ns = (a: bigint, b: bigint) => Number(b - a);

function request(test: SuiteTest, inp: HttpTestInputs): { req: GenRequest; messages?: ChatMessage[] } {
  if (test.kind === "ttft") {
    // The nonce leads the system message: prompt caches match on the prefix.
    const messages: ChatMessage[] = [
      ...(inp.chatPrompt.system ? [{ role: "system" as const, content: inp.prompts.nonce() + inp.chatPrompt.system }] : []),
      { role: "user", content: (inp.chatPrompt.system ? "" : inp.prompts.nonce()) + inp.chatPrompt.user },
    ];
    return { req: { kind: "chat", messages, maxTokens: 1, ignoreEos: true }, messages };
  }
  const promptTokens = test.depth + test.nPrompt;
  const prompt = promptTokens > 0 ? inp.prompts.text(promptTokens) : inp.prompts.minimal();
  return { req: { kind: "text", prompt, maxTokens: Math.max(1, test.nGen), ignoreEos: true } };
}

/** Token counts for one repetition: the server's usage, else the tokenizer, else an estimate. */
export function counts(r: GenResult, req: GenRequest, tokenizer: LocalTokenizer | undefined): { prompt: number; gen: number; source: CountSource } {
  if (r.usage) return { prompt: r.usage.promptTokens, gen: r.usage.completionTokens, source: "server-usage" };
  if (tokenizer) {
    const prompt = req.kind === "chat" ? tokenizer.chatTokens(req.messages) : tokenizer.promptTokens(req.prompt);
    return { prompt, gen: tokenizer.textTokens(r.text), source: "tokenizer" };
  }
  const promptText = req.kind === "chat" ? req.messages.map((m) => m.content).join("\n") : req.prompt;
  // One streamed chunk is one token on the servers we know; the prompt by characters.
  return { prompt: estimateTokens(promptText), gen: r.tokenTimesNs.length, source: "estimated" };
}

function figures(test: SuiteTest, r: GenResult, req: GenRequest, tokenizer: LocalTokenizer | undefined): RepFigures | string {
  const c = counts(r, req, tokenizer);
  const first = r.firstTokenNs;
  const last = r.tokenTimesNs.at(-1) ?? first;
  if (first === undefined || last === undefined) return `the server returned no token (finish_reason ${r.finishReason ?? "none"})`;
  const gaps = r.tokenTimesNs.slice(1).map((t, i) => ns(r.tokenTimesNs[i]!, t));
  const s = r.server;
  const base = { generated: c.gen, promptTokens: c.prompt, counts: c.source, gapsNs: [] as number[] };
  const clamp = (start: bigint) => (start < r.sentNs ? r.sentNs : start);

  switch (test.kind) {
    case "ttft":
      return { ...base, ns: ns(r.sentNs, first), window: { startNs: r.sentNs, endNs: first }, nPrompt: c.prompt, nGen: 1, timing: "client" };
    case "pp":
      if (s?.promptNs && s.promptN) {
        const start = clamp(first - BigInt(s.promptNs));
        return {
          ...base,
          ns: s.promptNs,
          window: { startNs: start, endNs: start + BigInt(s.promptNs) },
          nPrompt: s.promptN,
          nGen: 0,
          timing: "server",
        };
      }
      return { ...base, ns: ns(r.sentNs, first), window: { startNs: r.sentNs, endNs: first }, nPrompt: c.prompt, nGen: 0, timing: "client" };
    case "tg":
      if (s?.genNs && s.genN) {
        const start = clamp(last - BigInt(s.genNs));
        return {
          ...base,
          gapsNs: gaps,
          ns: s.genNs,
          window: { startNs: start, endNs: start + BigInt(s.genNs) },
          nPrompt: 0,
          nGen: s.genN,
          timing: "server",
        };
      }
      if (r.tokenTimesNs.length < 2 || c.gen < 2) return `the server returned ${c.gen} token(s); timing generation on the client needs at least 2`;
      return { ...base, gapsNs: gaps, ns: ns(first, last), window: { startNs: first, endNs: last }, nPrompt: 0, nGen: c.gen - 1, timing: "client" };
    case "pg":
      if (s?.promptNs && s.promptN && s.genNs && s.genN) {
        const total = s.promptNs + s.genNs;
        const start = clamp(last - BigInt(total));
        return {
          ...base,
          gapsNs: gaps,
          ns: total,
          window: { startNs: start, endNs: start + BigInt(total) },
          nPrompt: s.promptN,
          nGen: s.genN,
          timing: "server",
        };
      }
      return {
        ...base,
        gapsNs: gaps,
        ns: ns(r.sentNs, last),
        window: { startNs: r.sentNs, endNs: last },
        nPrompt: c.prompt,
        nGen: c.gen,
        timing: "client",
      };
    case "sustained":
      return "sustained tests are not run over HTTP";
    case "concurrent":
      return "concurrent tests are measured by measureConcurrentTest";
  }
}

/** Count sources, least sure first: a test's tokenCounts is the least sure of its repetitions'. */
const WORST: CountSource[] = ["estimated", "tokenizer", "server-usage", "exact"];

/** The least sure of several count sources: a figure is only as sure as its weakest count. */
export function leastSure(sources: readonly CountSource[]): CountSource {
  return sources.reduce((a, b) => (WORST.indexOf(a) <= WORST.indexOf(b) ? a : b));
}

/** Whether the values are not all the same. */
export const varies = (xs: readonly number[]): boolean => Math.max(...xs) !== Math.min(...xs);

export async function measureHttpTest(test: SuiteTest, inp: HttpTestInputs): Promise<HttpTestOutcome> {
  const fail = (error: string, nPrompt = test.nPrompt): HttpTestOutcome => ({
    test: {
      name: test.name,
      kind: test.kind,
      nPrompt: Math.max(nPrompt, test.kind === "ttft" ? 1 : 0),
      nGen: test.nGen,
      depth: test.depth,
      status: "failed",
      error: error.slice(0, 1024),
      samplesNs: [],
    },
    windows: [],
    notes: [],
  });
  if (inp.contextSize !== undefined) {
    const need = test.depth + test.nPrompt + test.nGen;
    if (need > inp.contextSize) return fail(`skipped: needs ${need} tokens of context, the server's context holds ${inp.contextSize}`);
  }

  const answers: Array<{ r: GenResult; req: GenRequest }> = [];
  const total = inp.warmup + inp.reps;
  for (let i = 0; i < total; i++) {
    const timed = i >= inp.warmup;
    const label = timed ? `repetition ${i - inp.warmup + 1} of ${inp.reps}` : `warm-up ${i + 1}`;
    const { req } = request(test, inp);
    let r: GenResult;
    try {
      r = await inp.client.generate(req);
    } catch (err) {
      return fail(`${label}: ${(err as Error).message}`);
    }
    if (timed) answers.push({ r, req });
  }

  const notes: string[] = [];
  const compute = (serverTimings: boolean): RepFigures[] | string => {
    const out: RepFigures[] = [];
    for (const [i, a] of answers.entries()) {
      const f = figures(test, serverTimings ? a.r : { ...a.r, server: undefined }, a.req, inp.tokenizer);
      if (typeof f === "string") return `repetition ${i + 1} of ${inp.reps}: ${f}`;
      out.push(f);
    }
    return out;
  };
  let reps = compute(true);
  if (typeof reps !== "string" && reps.some((r) => r.timing === "server") && reps.some((r) => r.timing === "client")) {
    // One definition per test: when the server timed only some repetitions, all go by the client clock.
    notes.push("the server sent its own timings for some repetitions only; all are timed on the client clock");
    reps = compute(false);
  }
  if (typeof reps === "string") return fail(reps);
  const timing = reps[0]!.timing;
  const tokenCounts = leastSure(reps.map((r) => r.counts));
  // One count per test (rates are (nPrompt + nGen) / t): the smallest over the
  // repetitions, so a repetition with a token more is never credited with it.
  const nPrompt = Math.min(...reps.map((r) => r.nPrompt));
  const nGen = Math.min(...reps.map((r) => r.nGen));
  if (varies(reps.map((r) => r.nPrompt)) || varies(reps.map((r) => r.nGen))) {
    notes.push(
      `token counts varied between repetitions (prompt ${reps.map((r) => r.nPrompt).join("/")}, generated ${reps.map((r) => r.nGen).join("/")}); the smallest is recorded`,
    );
  }
  const generated = Math.min(...reps.map((r) => r.generated));
  if ((test.kind === "tg" || test.kind === "pg") && generated < test.nGen)
    notes.push(`the server returned ${generated} of ${test.nGen} tokens (it stopped early: no ignore_eos?)`);
  // The contract wants prompt tokens for pp/pg/ttft and generated tokens for tg/pg.
  if ((test.kind === "pp" || test.kind === "pg" || test.kind === "ttft") && nPrompt === 0) return fail("the server reported 0 prompt tokens");
  if ((test.kind === "tg" || test.kind === "pg") && nGen === 0) return fail("the server generated no tokens");

  const result: TestResult = {
    name: test.name,
    kind: test.kind,
    nPrompt: test.kind === "tg" ? 0 : nPrompt,
    nGen: test.kind === "pp" ? 0 : nGen,
    // A tg test's prompt is the KV depth it generates at (its real token count).
    depth: test.depth > 0 ? Math.min(...reps.map((r) => r.promptTokens)) : 0,
    status: "ok",
    samplesNs: reps.map((r) => Math.max(1, Math.round(r.ns))),
    timing,
    tokenCounts,
  };
  const gaps = reps.flatMap((r) => r.gapsNs);
  if ((test.kind === "tg" || test.kind === "pg") && gaps.length) result.interTokenNs = { p50: percentile(gaps, 50), p90: percentile(gaps, 90) };
  return { test: result, windows: reps.map((r) => r.window), notes };
}
