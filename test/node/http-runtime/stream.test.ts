/**
 * The SSE and NDJSON readers against hand-written byte streams from a raw
 * node:http server on 127.0.0.1: events split across network reads, CRLF line
 * ends, comments, usage in the last chunk, and the ways a stream can be wrong.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type GenRequest } from "../../../uploader/src/runtimes/http/client.js";
import { parseRuntimeSpec } from "../../../uploader/src/runtimes/http/spec.js";

type Script = Array<string | number>; // strings are written, numbers are pauses in ms
let script: { status?: number; type?: string; parts: Script } = { parts: [] };
let server: http.Server;
let base = "";
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    req.resume();
    await new Promise((r) => req.on("end", r));
    res.writeHead(script.status ?? 200, { "content-type": script.type ?? "text/event-stream" });
    for (const part of script.parts) {
      if (res.destroyed) return;
      if (typeof part === "number")
        await new Promise<void>((r) => {
          const t = setTimeout(r, part);
          timers.add(t);
        });
      else res.write(part);
    }
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  timers.forEach(clearTimeout);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const text: GenRequest = { kind: "text", prompt: "x", maxTokens: 3, ignoreEos: true };
const chat: GenRequest = { kind: "chat", messages: [{ role: "user", content: "hi" }], maxTokens: 3, ignoreEos: true };
const client = (api: "openai" | "ollama" = "openai", stallTimeoutMs = 2000, requestTimeoutMs = 10_000) =>
  createClient({ api, baseUrl: base, model: "m", requestTimeoutMs, stallTimeoutMs });
const tok = (t: string, finish: string | null = null) =>
  `data: {"choices":[{"index":0,"text":${JSON.stringify(t)},"finish_reason":${JSON.stringify(finish)}}]}\n\n`;

describe("SSE (OpenAI-compatible)", () => {
  it("joins events split across reads, takes CRLF and comments, times each content chunk and reads usage and timings from the end", async () => {
    script = {
      parts: [
        ": keep-alive comment\r\n\r\n",
        'data: {"choices":[{"index":0,"te',
        30,
        'xt":"He","finish_reason":null}]}\r\n\r\n',
        30,
        tok("l") + tok("lo"),
        30,
        tok("", "length"),
        'data: {"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3},"timings":{"prompt_n":7,"prompt_ms":1.5,"predicted_n":3,"predicted_ms":2.25}}\n\n',
        "data: [DONE]\n\n",
      ],
    };
    const r = await client().generate(text);
    expect(r.text).toBe("Hello");
    expect(r.tokenTimesNs).toHaveLength(3);
    // "l" and "lo" came in one read: same arrival time; the split first event arrived after its second half.
    expect(r.tokenTimesNs[1]).toBe(r.tokenTimesNs[2]);
    expect(Number(r.tokenTimesNs[1]! - r.tokenTimesNs[0]!)).toBeGreaterThan(15e6);
    expect(r.firstTokenNs).toBe(r.tokenTimesNs[0]);
    expect(r.firstTokenNs! > r.sentNs).toBe(true);
    expect(r.usage).toEqual({ promptTokens: 7, completionTokens: 3 });
    expect(r.server).toEqual({ promptN: 7, promptNs: 1_500_000, genN: 3, genNs: 2_250_000 });
    expect(r.finishReason).toBe("length");
  });

  it("joins a multi-line data: field split across reads, with bare CR line ends and id/event fields, timed by its last read", async () => {
    script = {
      parts: [
        'id: 1\revent: completion\rdata: {"choices":[{"index":0,\r',
        40,
        'data: "text":"Hi",\rdata: "finish_reason":null}]}\r\r',
        tok("", "length"),
        "data: [DONE]",
      ],
    };
    const r = await client().generate(text);
    expect(r.text).toBe("Hi");
    expect(r.tokenTimesNs).toHaveLength(1);
    expect(Number(r.tokenTimesNs[0]! - r.sentNs)).toBeGreaterThan(30e6);
    expect(r.finishReason).toBe("length");
  });

  it("reads chat deltas and skips the role-only first chunk", async () => {
    script = {
      parts: [
        'data: {"choices":[{"index":0,"delta":{"role":"assistant","content":null},"finish_reason":null}]}\n\n',
        'data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}\n\n',
        'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
      ],
    };
    const r = await client().generate(chat);
    expect(r.text).toBe("Hi");
    expect(r.tokenTimesNs).toHaveLength(1);
    expect(r.usage).toBeUndefined();
  });

  it("counts a chunk whose token has no text (half a UTF-8 character) as a token, but not the closing chunk", async () => {
    script = { parts: [tok("a"), tok(""), tok("b"), tok("", "length"), "data: [DONE]\n\n"] };
    const r = await client().generate(text);
    expect(r.text).toBe("ab");
    expect(r.tokenTimesNs).toHaveLength(3);
    script = {
      parts: [
        'data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n',
        'data: {"choices":[{"index":0,"delta":{"content":""},"finish_reason":null}]}\n\n',
        'data: {"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}\n\ndata: [DONE]\n\n',
      ],
    };
    const c = await client().generate(chat);
    expect(c.tokenTimesNs).toHaveLength(1);
    expect(c.firstTokenNs).toBe(c.tokenTimesNs[0]);
  });

  it("refuses what is not a well-formed stream, with the reason", async () => {
    script = { parts: [tok("a"), "data: [DONE]\n\n", tok("b")] };
    await expect(client().generate(text)).rejects.toThrow(/an event came after "data: \[DONE\]"/);
    script = { parts: [tok("a"), 'data: {"error":{"message":"out of memory"}}\n\n'] };
    await expect(client().generate(text)).rejects.toThrow(/the server reported an error mid-stream: out of memory/);
    script = { parts: [tok("a")] };
    await expect(client().generate(text)).rejects.toThrow(/ended without a finish_reason or "data: \[DONE\]"/);
    script = { type: "application/json", parts: ['{"choices":[{"text":"a"}]}'] };
    await expect(client().generate(text)).rejects.toThrow(/sent no stream events \(content-type "application\/json"\)/);
    script = { status: 404, type: "application/json", parts: ['{"error":"no such model"}'] };
    await expect(client().generate(text)).rejects.toThrow(/^HTTP 404 Not Found from \/v1\/completions: {"error":"no such model"}/);
  });

  it("gives up on a stall between chunks and on the request timeout", async () => {
    script = { parts: [tok("a"), 3000, tok("b", "length")] };
    await expect(client("openai", 300).generate(text)).rejects.toThrow(/stalled: no data for 0.3 s after 1 event\(s\)/);
    script = { parts: [tok("a"), 200, tok("b"), 200, tok("c"), 200, tok("", "length")] };
    await expect(client("openai", 1000, 450).generate(text)).rejects.toThrow(/no complete answer within the request timeout \(0.45 s\)/);
  });

  it("waits past the stall timeout for the first bytes after the headers (a long prompt, a queued request)", async () => {
    // write("") sends the headers alone; the body starts 600 ms later.
    script = { parts: ["", 600, tok("a"), tok("", "length"), "data: [DONE]\n\n"] };
    expect((await client("openai", 300).generate(text)).text).toBe("a");
  });
});

describe("a strict OpenAI server", () => {
  it("gets plain requests once it refuses ignore_eos/cache_prompt/seed", async () => {
    const bodies: Array<Record<string, unknown>> = [];
    const strict = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
      bodies.push(body);
      const extra = ["ignore_eos", "cache_prompt", "seed"].filter((k) => k in body);
      if (extra.length) {
        res.writeHead(422, { "content-type": "application/json" });
        return res.end(JSON.stringify({ detail: [{ msg: "Extra inputs are not permitted", loc: ["body", extra[0]] }] }));
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(`${tok("a") + tok("", "length")}data: [DONE]\n\n`);
    });
    await new Promise<void>((r) => strict.listen(0, "127.0.0.1", r));
    try {
      const c = createClient({
        api: "openai",
        baseUrl: `http://127.0.0.1:${(strict.address() as AddressInfo).port}`,
        model: "m",
        requestTimeoutMs: 5000,
        stallTimeoutMs: 5000,
      });
      expect((await c.generate(text)).text).toBe("a");
      expect((await c.generate(text)).text).toBe("a");
      // Refused once, then plain: 3 requests for 2 answers.
      expect(bodies.map((b) => "ignore_eos" in b)).toEqual([true, false, false]);
      expect(bodies[2]).toMatchObject({ stream: true, stream_options: { include_usage: true }, max_tokens: 3, temperature: 0 });
    } finally {
      strict.closeAllConnections();
      await new Promise((r) => strict.close(r));
    }
  });
});

describe("NDJSON (Ollama)", () => {
  it("reads response pieces and the final counts and durations", async () => {
    script = {
      type: "application/x-ndjson",
      parts: [
        '{"response":"a","done":false}\n{"response":"b",',
        20,
        '"done":false}\n',
        '{"response":"","done":true,"done_reason":"length","prompt_eval_count":5,"prompt_eval_duration":1000,"eval_count":2,"eval_duration":3000}\n',
      ],
    };
    const r = await client("ollama").generate(text);
    expect(r.text).toBe("ab");
    expect(r.usage).toEqual({ promptTokens: 5, completionTokens: 2 });
    expect(r.server).toEqual({ promptN: 5, promptNs: 1000, genN: 2, genNs: 3000 });
    script = { type: "application/x-ndjson", parts: ['{"response":"a","done":false}\n'] };
    await expect(client("ollama").generate(text)).rejects.toThrow(/ended without its final "done": true line/);
  });
});

describe("--runtime", () => {
  it("parses openai:/ollama: URLs and says what it wants otherwise", () => {
    expect(parseRuntimeSpec("openai:http://127.0.0.1:8080/v1/")).toEqual({ api: "openai", baseUrl: "http://127.0.0.1:8080" });
    expect(parseRuntimeSpec("ollama:http://127.0.0.1:11434")).toEqual({ api: "ollama", baseUrl: "http://127.0.0.1:11434" });
    expect(() => parseRuntimeSpec("http://127.0.0.1:8080")).toThrow(/--runtime takes openai:URL or ollama:URL/);
    expect(() => parseRuntimeSpec("openai:ftp://x")).toThrow(/only http: and https:/);
  });
});
