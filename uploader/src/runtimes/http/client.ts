/**
 * The two HTTP dialects as one interface: send a prompt (raw text or a chat),
 * stream the answer, and return what the client saw (the arrival time of every
 * content chunk) beside what the server said (token usage, its own timings).
 *
 *  - openai: POST /v1/completions (raw text) or /v1/chat/completions (chat), SSE,
 *    `stream_options.include_usage` so `usage` comes in the last chunk;
 *    llama-server adds `timings` {prompt_n, prompt_ms, predicted_n, predicted_ms}.
 *  - ollama: POST /api/generate (raw: true) or /api/chat, NDJSON; the last line
 *    carries prompt_eval_count/prompt_eval_duration/eval_count/eval_duration (ns).
 */
import type { HttpApi } from "./spec.js";
import { HttpRuntimeError, streamRequest } from "./stream.js";

export interface ChatMessage {
  role: "system" | "user";
  content: string;
}

export type GenRequest =
  | { kind: "text"; prompt: string; maxTokens: number; ignoreEos: boolean }
  | { kind: "chat"; messages: ChatMessage[]; maxTokens: number; ignoreEos: boolean };

export interface ServerTimings {
  promptN?: number;
  promptNs?: number;
  genN?: number;
  genNs?: number;
}

export interface GenResult {
  sentNs: bigint;
  endNs: bigint;
  /**
   * First chunk carrying a generated token: non-empty content, or, when the
   * only token's text is empty (a special token), the chunk that finished it.
   */
  firstTokenNs?: bigint;
  /** Arrival time of each chunk standing for a generated token. */
  tokenTimesNs: bigint[];
  text: string;
  usage?: { promptTokens: number; completionTokens: number };
  server?: ServerTimings;
  finishReason?: string;
}

export interface ClientOptions {
  api: HttpApi;
  baseUrl: string;
  model: string;
  requestTimeoutMs: number;
  stallTimeoutMs: number;
  /** Ollama: the context size to ask for (num_ctx); its default is smaller than the suite's. */
  contextSize?: number;
}

export interface GenClient {
  /** `signal` ends the request early (its string reason becomes the error's message). */
  generate(req: GenRequest, signal?: AbortSignal): Promise<GenResult>;
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);

function parseEvent(data: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new HttpRuntimeError(`malformed stream chunk (not JSON): ${JSON.stringify(data.length > 80 ? `${data.slice(0, 80)}…` : data)}`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw new HttpRuntimeError(`malformed stream chunk (not a JSON object): ${data.slice(0, 80)}`);
  const obj = value as Record<string, unknown>;
  if (obj.error) {
    const e = obj.error as { message?: unknown } | string;
    throw new HttpRuntimeError(
      `the server reported an error mid-stream: ${typeof e === "string" ? e : String(e.message ?? JSON.stringify(e)).slice(0, 300)}`,
    );
  }
  return obj;
}

class Collector {
  readonly tokenTimesNs: bigint[] = [];
  firstTokenNs?: bigint;
  text = "";
  usage?: GenResult["usage"];
  server?: ServerTimings;
  finishReason?: string;

  /**
   * A streamed piece of the answer. Servers send one chunk per generated token,
   * and a token's text may be empty (a byte of an unfinished UTF-8 character,
   * an unused vocabulary entry), so `isToken` says whether the chunk stands for
   * a token even when its text is empty.
   */
  content(piece: unknown, atNs: bigint, isToken = typeof piece === "string" && piece.length > 0) {
    if (typeof piece === "string") this.text += piece;
    if (!isToken) return;
    this.tokenTimesNs.push(atNs);
    this.firstTokenNs ??= atNs;
  }

  finish(reason: unknown, atNs: bigint) {
    if (typeof reason !== "string" || !reason) return;
    this.finishReason = reason;
    this.firstTokenNs ??= atNs;
  }
}

/** Fields beyond the OpenAI API that some strict servers refuse (HTTP 400/422 naming them). */
const EXTENSIONS = ["ignore_eos", "cache_prompt", "seed"] as const;

function openAiBody(opts: ClientOptions, req: GenRequest, plain: boolean) {
  const body = openAiFullBody(opts, req);
  if (plain) for (const k of EXTENSIONS) delete (body as Record<string, unknown>)[k];
  return body;
}

function openAiFullBody(opts: ClientOptions, req: GenRequest) {
  return {
    model: opts.model,
    ...(req.kind === "text" ? { prompt: req.prompt } : { messages: req.messages }),
    max_tokens: req.maxTokens,
    temperature: 0,
    seed: 1,
    stream: true,
    stream_options: { include_usage: true },
    // Extensions llama-server and vLLM honour and other servers ignore: generate
    // exactly max_tokens, and never answer a repetition from the prompt cache.
    ...(req.ignoreEos ? { ignore_eos: true } : {}),
    cache_prompt: false,
  };
}

async function openAiGenerate(opts: ClientOptions, req: GenRequest, plain: boolean, signal?: AbortSignal): Promise<GenResult> {
  const c = new Collector();
  const path = req.kind === "text" ? "/v1/completions" : "/v1/chat/completions";
  let sawChoices = false;
  const end = await streamRequest({
    url: `${opts.baseUrl}${path}`,
    body: openAiBody(opts, req, plain),
    framing: "sse",
    requestTimeoutMs: opts.requestTimeoutMs,
    stallTimeoutMs: opts.stallTimeoutMs,
    signal,
    onEvent(data, atNs) {
      const ev = parseEvent(data);
      const choices = ev.choices;
      if (choices !== undefined && !Array.isArray(choices)) throw new HttpRuntimeError(`malformed stream chunk: "choices" is not an array`);
      for (const choice of (choices as Array<Record<string, unknown>> | undefined) ?? []) {
        sawChoices = true;
        const delta = choice.delta as Record<string, unknown> | undefined;
        const piece = req.kind === "text" ? choice.text : delta?.content;
        const finished = typeof choice.finish_reason === "string" && choice.finish_reason !== "";
        // A token chunk: any text, or an empty text that is neither the closing
        // chunk nor chat's opening {role: "assistant", content: ""}.
        const isToken = typeof piece === "string" && (piece.length > 0 || (!finished && !(delta && "role" in delta)));
        c.content(piece, atNs, isToken);
        c.finish(choice.finish_reason, atNs);
      }
      const usage = ev.usage as Record<string, unknown> | null | undefined;
      if (usage && num(usage.prompt_tokens) !== undefined && num(usage.completion_tokens) !== undefined) {
        c.usage = { promptTokens: num(usage.prompt_tokens)!, completionTokens: num(usage.completion_tokens)! };
      }
      const t = ev.timings as Record<string, unknown> | undefined;
      if (t && typeof t === "object") {
        const ms = (v: unknown) => (num(v) !== undefined ? Math.round(num(v)! * 1e6) : undefined);
        c.server = { promptN: num(t.prompt_n), promptNs: ms(t.prompt_ms), genN: num(t.predicted_n), genNs: ms(t.predicted_ms) };
      }
    },
  });
  if (!sawChoices) throw new HttpRuntimeError(`the stream from ${path} carried no "choices"`);
  if (!c.finishReason && !end.sawDone)
    throw new HttpRuntimeError(`the stream from ${path} ended without a finish_reason or "data: [DONE]" (cut short?)`);
  return {
    sentNs: end.sentNs,
    endNs: end.endNs,
    firstTokenNs: c.firstTokenNs,
    tokenTimesNs: c.tokenTimesNs,
    text: c.text,
    usage: c.usage,
    server: c.server,
    finishReason: c.finishReason,
  };
}

async function ollamaGenerate(opts: ClientOptions, req: GenRequest, signal?: AbortSignal): Promise<GenResult> {
  const c = new Collector();
  const path = req.kind === "text" ? "/api/generate" : "/api/chat";
  let done = false;
  const options = { num_predict: req.maxTokens, temperature: 0, seed: 1, ...(opts.contextSize ? { num_ctx: opts.contextSize } : {}) };
  const end = await streamRequest({
    url: `${opts.baseUrl}${path}`,
    body:
      req.kind === "text"
        ? { model: opts.model, prompt: req.prompt, raw: true, stream: true, options }
        : { model: opts.model, messages: req.messages, stream: true, options },
    framing: "ndjson",
    requestTimeoutMs: opts.requestTimeoutMs,
    stallTimeoutMs: opts.stallTimeoutMs,
    signal,
    onEvent(data, atNs) {
      const ev = parseEvent(data);
      const message = ev.message as Record<string, unknown> | undefined;
      const piece = req.kind === "text" ? ev.response : message?.content;
      // Every line before the last carries one token, its text possibly empty.
      c.content(piece, atNs, typeof piece === "string" && (piece.length > 0 || ev.done !== true));
      if (ev.done === true) {
        done = true;
        c.finish(typeof ev.done_reason === "string" ? ev.done_reason : "stop", atNs);
        const promptN = num(ev.prompt_eval_count);
        const genN = num(ev.eval_count);
        if (promptN !== undefined && genN !== undefined) c.usage = { promptTokens: promptN, completionTokens: genN };
        c.server = { promptN, promptNs: num(ev.prompt_eval_duration), genN, genNs: num(ev.eval_duration) };
      }
    },
  });
  if (!done) throw new HttpRuntimeError(`the stream from ${path} ended without its final "done": true line (cut short?)`);
  return {
    sentNs: end.sentNs,
    endNs: end.endNs,
    firstTokenNs: c.firstTokenNs,
    tokenTimesNs: c.tokenTimesNs,
    text: c.text,
    usage: c.usage,
    server: c.server,
    finishReason: c.finishReason,
  };
}

export function createClient(opts: ClientOptions): GenClient {
  // Once a server has refused the extensions, it gets plain OpenAI requests from then on.
  let plain = false;
  return {
    async generate(req, signal) {
      if (opts.api === "ollama") return ollamaGenerate(opts, req, signal);
      try {
        return await openAiGenerate(opts, req, plain, signal);
      } catch (err) {
        const refused = err instanceof HttpRuntimeError && /^HTTP 4(00|22) /.test(err.message) && EXTENSIONS.some((k) => err.message.includes(k));
        if (plain || !refused) throw err;
        plain = true;
        return openAiGenerate(opts, req, plain, signal);
      }
    },
  };
}
