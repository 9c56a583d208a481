/**
 * The log-probability of every token of a prompt, from an OpenAI-compatible
 * server that implements the legacy completions `echo` (vLLM and others):
 *
 *   POST /v1/completions {prompt, echo: true, logprobs: 1, max_tokens: 0, stream: false}
 *   -> choices[0].text: the prompt (echoed), choices[0].logprobs: {tokens,
 *      token_logprobs (the first null: no token precedes it), top_logprobs,
 *      text_offset}, usage: {prompt_tokens, completion_tokens}
 *
 * max_tokens 0 with echo asks for the prompt alone (OpenAI's and vLLM's
 * "echo without generation"). logprobs is 1, not 0: some servers read 0 as
 * "no log-probabilities". A server that refuses any of it, ignores `echo` or
 * leaves the prompt's log-probabilities out is answered with an
 * HttpRuntimeError that says what it sent back.
 */
import { describeNetworkError, HttpRuntimeError, seconds } from "./stream.js";

export interface PromptLogprobsTarget {
  baseUrl: string;
  /** The model's name on the server. */
  model: string;
  requestTimeoutMs: number;
}

export interface PromptLogprobs {
  /** The prompt's tokens as the server's tokenizer cut them (BOS first where it adds one). */
  tokens: string[];
  /** log p of each token given those before it; null where the server gives none (the first token). */
  logprobs: (number | null)[];
}

export const PROMPT_LOGPROBS_PATH = "/v1/completions";

const snippet = (s: string, n = 300) => {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > n ? `${t.slice(0, n)}…` : t;
};

/** The sentence in an error body: OpenAI's {error: {message}}, vLLM's {message}, FastAPI's {detail}, else the body itself. */
function serverMessage(body: string): string {
  try {
    const j = JSON.parse(body) as { error?: unknown; message?: unknown; detail?: unknown };
    const e = j.error as { message?: unknown } | string | undefined;
    const m = (typeof e === "object" && e ? e.message : e) ?? j.message ?? j.detail;
    if (m !== undefined) return snippet(typeof m === "string" ? m : JSON.stringify(m));
  } catch {
    // not JSON: quoted as it came
  }
  return snippet(body) || "(empty body)";
}

const count = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined);

/** What an echo answer holds for the prompt; throws an HttpRuntimeError naming what is missing. */
export function parseEchoReply(reply: unknown, prompt: string): PromptLogprobs {
  const j = (reply ?? {}) as { choices?: unknown; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null };
  const choice = Array.isArray(j.choices) ? (j.choices[0] as Record<string, unknown> | undefined) : undefined;
  if (!choice || typeof choice !== "object") throw new HttpRuntimeError(`the answer has no "choices"`);
  const lp = choice.logprobs as { tokens?: unknown; token_logprobs?: unknown } | null | undefined;
  if (!lp || typeof lp !== "object") throw new HttpRuntimeError(`the answer carries no "logprobs"`);
  const { tokens, token_logprobs: values } = lp;
  if (
    !Array.isArray(tokens) ||
    !Array.isArray(values) ||
    tokens.length !== values.length ||
    !tokens.every((t) => typeof t === "string") ||
    !values.every((v) => v === null || (typeof v === "number" && Number.isFinite(v)))
  )
    throw new HttpRuntimeError(`"logprobs" lacks "tokens" and "token_logprobs" lists of one length`);
  const text = typeof choice.text === "string" ? choice.text : undefined;
  if (text === undefined || !text.startsWith(prompt))
    throw new HttpRuntimeError(`echo ignored: the answer's text does not repeat the prompt (${JSON.stringify(snippet(text ?? "", 60))})`);
  // Generated tokens (a server that generates despite max_tokens 0) sit after the prompt's.
  let generated = count(j.usage?.completion_tokens);
  if (generated === undefined) {
    if (text.length > prompt.length) throw new HttpRuntimeError("it generated text despite max_tokens 0 and sent no usage to tell its tokens apart");
    generated = 0;
  }
  const n = tokens.length - generated;
  const promptTokens = count(j.usage?.prompt_tokens);
  if (n < 1) throw new HttpRuntimeError("no log-probabilities for the prompt's tokens (echo ignored?)");
  if (promptTokens !== undefined && n !== promptTokens)
    throw new HttpRuntimeError(`log-probabilities for ${n} tokens of a ${promptTokens}-token prompt`);
  return { tokens: (tokens as string[]).slice(0, n), logprobs: (values as (number | null)[]).slice(0, n) };
}

/** One prompt's token log-probabilities from the server. */
export async function promptLogprobs(target: PromptLogprobsTarget, prompt: string): Promise<PromptLogprobs> {
  const url = `${target.baseUrl}${PROMPT_LOGPROBS_PATH}`;
  const body = { model: target.model, prompt, echo: true, logprobs: 1, max_tokens: 0, temperature: 0, stream: false };
  let status: number;
  let text: string;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(target.requestTimeoutMs),
    });
    status = res.status;
    text = await res.text();
  } catch (err) {
    if ((err as Error)?.name === "TimeoutError")
      throw new HttpRuntimeError(`no answer from ${PROMPT_LOGPROBS_PATH} within the request timeout (${seconds(target.requestTimeoutMs)})`);
    throw new HttpRuntimeError(`request to ${url} failed: ${describeNetworkError(err)}`);
  }
  if (status < 200 || status > 299) throw new HttpRuntimeError(`HTTP ${status} from ${PROMPT_LOGPROBS_PATH}: ${serverMessage(text)}`);
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    throw new HttpRuntimeError(`the answer from ${PROMPT_LOGPROBS_PATH} is not JSON: ${JSON.stringify(snippet(text, 80))}`);
  }
  return parseEchoReply(reply, prompt);
}
