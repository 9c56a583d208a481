/**
 * One streaming HTTP request, read event by event with the arrival time of
 * every network read on process.hrtime.bigint() (the clock the power sampler
 * cuts repetitions on). Two framings: Server-Sent Events (OpenAI-compatible
 * servers) and newline-delimited JSON (Ollama).
 *
 * Two clocks guard it: a request timeout over the whole exchange, and a stall
 * timeout between reads once the body's first bytes have come (before them the
 * wait may rightly be long: a 2048-token prompt on a slow NPU, or a request
 * queued for a server slot behind others, often after the headers have gone
 * out). Every way it can go wrong ends
 * in an HttpRuntimeError whose message is the sentence recorded in the result.
 */
import { createParser } from "eventsource-parser";

export class HttpRuntimeError extends Error {
  override name = "HttpRuntimeError";
}

export type StreamFraming = "sse" | "ndjson";

export interface StreamRequest {
  url: string;
  body: unknown;
  framing: StreamFraming;
  requestTimeoutMs: number;
  stallTimeoutMs: number;
  /**
   * Ends the request from outside (a concurrent test whose other stream
   * failed); its reason, when a string, is the sentence the error carries.
   */
  signal?: AbortSignal;
  /** Called for each event's data (an SSE data payload or an NDJSON line), with the time its bytes arrived. */
  onEvent(data: string, atNs: bigint): void;
}

export interface StreamEnd {
  /** Just before the request was handed to the network stack. */
  sentNs: bigint;
  /** When the body ended. */
  endNs: bigint;
  /** Events seen (SSE "[DONE]" excluded). */
  events: number;
  /** The SSE stream ended with "data: [DONE]". */
  sawDone: boolean;
  contentType: string;
}

/** "2.5 s": a limit in the words of its flag. */
export const seconds = (ms: number): string => `${ms / 1000} s`;
const snippet = (s: string, n = 200) => {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > n ? `${t.slice(0, n)}…` : t;
};

/** undici puts the useful part (ECONNRESET, "other side closed") in err.cause. */
export function describeNetworkError(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause;
  const causeText = cause ? [cause.code, cause.message].filter(Boolean).join(" ") : "";
  return [e?.message ?? String(err), causeText ? `(${causeText})` : ""].filter(Boolean).join(" ");
}

export async function streamRequest(req: StreamRequest): Promise<StreamEnd> {
  const ac = new AbortController();
  let reason: string | undefined;
  const abort = (why: string) => {
    reason ??= why;
    ac.abort();
  };
  const total = setTimeout(() => abort(`no complete answer within the request timeout (${seconds(req.requestTimeoutMs)})`), req.requestTimeoutMs);
  let stall: NodeJS.Timeout | undefined;
  let events = 0;
  const armStall = () => {
    clearTimeout(stall);
    stall = setTimeout(
      () => abort(`stalled: no data for ${seconds(req.stallTimeoutMs)} after ${events} event(s) (stall timeout)`),
      req.stallTimeoutMs,
    );
  };
  const outside = () => abort(typeof req.signal?.reason === "string" ? req.signal.reason : "cancelled");
  if (req.signal?.aborted) outside();
  req.signal?.addEventListener("abort", outside, { once: true });
  const sentNs = process.hrtime.bigint();
  let completed = false;
  try {
    let res: Response;
    try {
      res = await fetch(req.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: req.framing === "sse" ? "text/event-stream" : "application/x-ndjson" },
        body: JSON.stringify(req.body),
        signal: ac.signal,
      });
    } catch (err) {
      throw new HttpRuntimeError(reason ?? `request to ${req.url} failed: ${describeNetworkError(err)}`);
    }
    if (!res.ok) {
      const text = await res.text().catch(() => "");
      throw new HttpRuntimeError(
        reason ??
          `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""} from ${new URL(req.url).pathname}${text ? `: ${snippet(text)}` : ""}`,
      );
    }
    const contentType = res.headers.get("content-type") ?? "";
    if (!res.body) throw new HttpRuntimeError(`HTTP ${res.status} with no body from ${new URL(req.url).pathname}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let sawDone = false;
    // The read whose bytes completed the event being dispatched: the parser calls back synchronously inside feed().
    let readNs = 0n;
    const dispatch = (data: string, atNs: bigint) => {
      if (req.framing === "sse" && data === "[DONE]") {
        sawDone = true;
        return;
      }
      if (sawDone) throw new HttpRuntimeError(`malformed stream: an event came after "data: [DONE]"`);
      events++;
      req.onEvent(data, atNs);
    };
    // SSE framing as WHATWG defines it (multi-line data, comments, CR/LF/CRLF line ends, events split across reads).
    const sse = createParser({ onEvent: (e) => dispatch(e.data, readNs) });
    let ndjson = "";
    const take = (text: string, atNs: bigint) => {
      readNs = atNs;
      if (req.framing === "sse") return sse.feed(text);
      ndjson += text;
      for (let nl = ndjson.indexOf("\n"); nl >= 0; nl = ndjson.indexOf("\n")) {
        const line = ndjson.slice(0, nl).replace(/\r$/, "");
        ndjson = ndjson.slice(nl + 1);
        if (line.trim()) dispatch(line, atNs);
      }
    };
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw new HttpRuntimeError(reason ?? `connection lost mid-stream after ${events} event(s): ${describeNetworkError(err)}`);
      }
      const atNs = process.hrtime.bigint();
      if (chunk.done) break;
      armStall();
      take(decoder.decode(chunk.value, { stream: true }), atNs);
    }
    const endNs = process.hrtime.bigint();
    // An unterminated final line or event still counts: end it as if the server had.
    take(`${decoder.decode()}\n\n`, endNs);
    if (events === 0) {
      throw new HttpRuntimeError(`the server sent no stream events (content-type "${contentType || "none"}"); does it support "stream": true here?`);
    }
    completed = true;
    return { sentNs, endNs, events, sawDone, contentType };
  } finally {
    clearTimeout(total);
    clearTimeout(stall);
    req.signal?.removeEventListener("abort", outside);
    // On any failure, drop the connection so the server stops generating for us.
    if (!completed) ac.abort();
  }
}

/** A small JSON GET for identity probes; undefined on any failure (the probe is best effort). */
export async function getJson(
  url: string,
  timeoutMs: number,
  init?: { method?: string; body?: unknown },
): Promise<{ status: number; json?: unknown; headers?: Headers; error?: string }> {
  try {
    const res = await fetch(url, {
      method: init?.method ?? "GET",
      headers: init?.body !== undefined ? { "content-type": "application/json" } : undefined,
      body: init?.body !== undefined ? JSON.stringify(init.body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, headers: res.headers };
  } catch (err) {
    return { status: 0, error: describeNetworkError(err) };
  }
}
