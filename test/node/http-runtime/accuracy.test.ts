/**
 * HellaSwag accuracy through HTTP runtimes: the scoring of echoed prompt
 * log-probabilities (uploader/src/runtimes/http/accuracy.ts), then
 * `edgebench run --runtime ...` end to end against fixture servers on
 * 127.0.0.1 (test/fixtures/http-runtime/openai-server.ts, no inference) that
 * answer `echo` as vLLM does, refuse it, ignore it, or are llama-server or
 * Ollama, which return no prompt log-probabilities at all.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseEnding, endingText, type HellaswagTask } from "../../../uploader/src/accuracy/hellaswag.js";
import { endingMeans } from "../../../uploader/src/runtimes/http/accuracy.js";
import { parseEchoReply } from "../../../uploader/src/runtimes/http/prompt-logprobs.js";
import { loadSuite } from "../../../uploader/src/suite/index.js";
import { type OpenAiServer, startOpenAiServer } from "../../fixtures/http-runtime/openai-server.js";
import { REPO_ROOT } from "../helpers/models.js";
import { runCli, SMALL_SUITE } from "./run-cli.js";

const TASKS = 8;

describe("scoring echoed prompt log-probabilities", () => {
  const text = (tokens: string[], logprobs: (number | null)[]) => ({ tokens, logprobs });
  const context = ["<s>", "The", " cat"];

  it("scores only the tokens after those all four texts share, as llama-perplexity does", () => {
    // All four endings begin with " sat" (log p -6 in this context): llama.cpp's common prefix leaves it out.
    const texts = [
      text([...context, " sat", " down"], [null, -2, -1, -6, -3]),
      text([...context, " sat", " up"], [null, -2, -1, -6, -2]),
      text([...context, " sat", " still"], [null, -2, -1, -6, -2.5]),
      text([...context, " sat", " quietly", " now"], [null, -2, -1, -6, -1, -4]),
    ];
    const means = endingMeans(texts, "task 1");
    expect(means).toEqual([-3, -2, -2.5, -2.5]);
    expect(chooseEnding(means)).toBe(1);
    // Counting " sat" in (a split at the ending's first character) would pick ending 4: (-6 - 1 - 4) / 3 beats (-6 - 2) / 2.
  });

  it("keeps the first of equal means, and refuses an ending token without a log-probability", () => {
    const tie = [text([...context, " a"], [null, -1, -1, -2]), text([...context, " b"], [null, -1, -1, -2])];
    expect(chooseEnding(endingMeans([...tie, ...tie], "task 1"))).toBe(0);
    const missing = [text([...context, " a"], [null, -1, -1, null]), ...tie, tie[0]!];
    expect(() => endingMeans(missing, "task 3")).toThrow('task 3, ending 1: no log-probability for token 4 (" a")');
  });

  it("reads the prompt's entries from an echo answer and drops tokens generated after them", () => {
    const prompt = "The cat sat";
    const reply = {
      choices: [
        {
          index: 0,
          text: `${prompt} down`,
          logprobs: { tokens: ["<s>", "The", " cat", " sat", " down"], token_logprobs: [null, -2, -1, -6, -0.5], text_offset: [0, 3, 6, 10, 14] },
          finish_reason: "length",
        },
      ],
      usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 },
    };
    expect(parseEchoReply(reply, prompt)).toEqual({ tokens: ["<s>", "The", " cat", " sat"], logprobs: [null, -2, -1, -6] });
  });

  it("says what is missing when echo was ignored or the log-probabilities leave the prompt out", () => {
    const prompt = "The cat sat";
    const generatedOnly = { choices: [{ text: " down", logprobs: { tokens: [" down"], token_logprobs: [-0.5], text_offset: [11] } }] };
    expect(() => parseEchoReply(generatedOnly, prompt)).toThrow(/echo ignored: the answer's text does not repeat the prompt/);
    const none = {
      choices: [{ text: prompt, logprobs: { tokens: [], token_logprobs: [], text_offset: [] } }],
      usage: { prompt_tokens: 4, completion_tokens: 0 },
    };
    expect(() => parseEchoReply(none, prompt)).toThrow("no log-probabilities for the prompt's tokens (echo ignored?)");
    expect(() => parseEchoReply({ choices: [{ text: prompt, logprobs: null }] }, prompt)).toThrow('the answer carries no "logprobs"');
  });
});

/** A fixed, made-up tokenizer: BOS, then words with their leading spaces (as BPE vocabularies cut them). */
const fakeTokens = (text: string): string[] => ["<s>", ...(text.match(/\s*\S+/g) ?? [])];

/** A made-up model: log p of a token given the one before it, from an FNV-1a hash of the pair. */
function fakeLogprob(prev: string, token: string): number {
  let h = 0x811c9dc5;
  for (const c of `${prev}\u0000${token}`) h = Math.imul(h ^ c.codePointAt(0)!, 0x01000193) >>> 0;
  return -((h % 1000) / 100) - 0.01;
}

/** vLLM's answer to echo + logprobs + max_tokens 0: the prompt's tokens, offsets counting the BOS text in. */
function echoAnswer(body: Record<string, unknown>): { status: number; body: unknown } {
  const prompt = String(body.prompt);
  const tokens = fakeTokens(prompt);
  const logprobs = tokens.map((t, i) => (i === 0 ? null : fakeLogprob(tokens[i - 1]!, t)));
  let offset = 0;
  const textOffset = tokens.map((t) => {
    const at = offset;
    offset += t.length;
    return at;
  });
  return {
    status: 200,
    body: {
      id: "cmpl-echo",
      object: "text_completion",
      created: 0,
      model: body.model,
      choices: [
        {
          index: 0,
          text: prompt,
          logprobs: {
            tokens,
            token_logprobs: logprobs,
            top_logprobs: tokens.map((t, i) => (i === 0 ? null : { [t]: logprobs[i] })),
            text_offset: textOffset,
          },
          finish_reason: "length",
          stop_reason: null,
        },
      ],
      usage: { prompt_tokens: tokens.length, completion_tokens: 0, total_tokens: tokens.length },
    },
  };
}

/** The choice the rule makes from the made-up model, computed here from the token texts directly. */
function expectedChoice(task: HellaswagTask): number {
  const seqs = [0, 1, 2, 3].map((s) => fakeTokens(endingText(task, s)));
  const limit = Math.min(...seqs.map((s) => s.length)) - 1;
  let prefix = 0;
  while (prefix < limit && seqs.every((s) => s[prefix] === seqs[0]![prefix])) prefix++;
  const means = seqs.map((s) => {
    const own = s.slice(prefix).map((t, j) => fakeLogprob(s[prefix + j - 1]!, t));
    return own.reduce((a, b) => a + b, 0) / own.length;
  });
  return chooseEnding(means);
}

describe("edgebench run --runtime: HellaSwag through the server", () => {
  let dir: string;
  let suiteFile: string;
  const servers: OpenAiServer[] = [];
  let echoCalls = 0;
  const counted = (answer: (body: Record<string, unknown>) => { status: number; body: unknown }) => (body: Record<string, unknown>) => {
    echoCalls++;
    return answer(body);
  };
  const start = async (opts: Parameters<typeof startOpenAiServer>[0]) => {
    const s = await startOpenAiServer(opts);
    servers.push(s);
    return s;
  };
  // One short speed test, then the suite's HellaSwag subset (its first TASKS tasks).
  const run = (api: "openai" | "ollama", server: OpenAiServer, ...extra: string[]) =>
    runCli(["--runtime", `${api}:${server.url}`, "--model", "tiny", "--suite", suiteFile, "--reps", "1", "--warmup", "0", ...extra]);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-http-accuracy-"));
    const small = JSON.parse(fs.readFileSync(SMALL_SUITE, "utf8"));
    const standard = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "uploader/suite/edge-llm-v1.json"), "utf8"));
    const suite = {
      ...small,
      id: "edge-llm-http-accuracy-test",
      tests: small.tests.filter((t: { name: string }) => t.name === "tg16"),
      perplexity: { ...small.perplexity, file: path.resolve(path.dirname(SMALL_SUITE), small.perplexity.file) },
      accuracy: { ...standard.accuracy, file: path.join(REPO_ROOT, "uploader/suite", standard.accuracy.file) },
    };
    suiteFile = path.join(dir, "suite-accuracy.json");
    fs.writeFileSync(suiteFile, JSON.stringify(suite));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("an OpenAI-compatible server with echo: each task's ending chosen by the rule, with progress and elapsed time", async () => {
    const server = await start({ modelName: "tiny", echo: counted(echoAnswer) });
    echoCalls = 0;
    const { code, doc, stderr } = await run("openai", server, "--accuracy-tasks", String(TASKS));
    expect(code, stderr).toBe(0);
    const tasks = loadSuite(suiteFile).accuracyTasks!.slice(0, TASKS);
    const expected = tasks.map(expectedChoice);
    // The made-up model does not always pick the same ending, so the choices say something.
    expect(new Set(expected).size).toBeGreaterThan(1);
    const acc = doc.runs[0]!.accuracy;
    expect(acc).toMatchObject({ status: "measured", benchmark: "hellaswag", choices: expected });
    const standard = loadSuite();
    expect(acc?.status === "measured" && acc.subset).toEqual({ id: standard.accuracy!.id, sha256: standard.accuracy!.sha256 });
    expect(acc?.status === "measured" && acc.elapsedMs).toBeGreaterThan(0);
    expect(echoCalls).toBe(4 * TASKS);
    expect(stderr).toMatch(new RegExp(`✓ accuracy [\\d.]+ ± [\\d.]+ % over ${TASKS} HellaSwag tasks in \\d+ s`));
    expect(doc.runs[0]!.tests.map((t) => [t.name, t.status])).toEqual([["tg16", "ok"]]);
  });

  it("llama-server and Ollama: not measured, with why, and never asked", async () => {
    echoCalls = 0;
    const llama = await start({ modelName: "tiny", llamaServer: true, echo: counted(echoAnswer) });
    const viaLlama = await run("openai", llama);
    expect(viaLlama.code, viaLlama.stderr).toBe(0);
    expect(viaLlama.doc.runtime.name).toBe("llama.cpp server");
    expect(viaLlama.doc.runs[0]!.accuracy).toEqual({
      status: "not-measured",
      benchmark: "hellaswag",
      reason: expect.stringMatching(/^llama-server returns log-probabilities of generated tokens only, not of the prompt/),
    });
    expect(viaLlama.stderr).toMatch(/- accuracy: not measured \(llama-server returns/);

    const ollama = await start({ modelName: "tiny", ollama: true, echo: counted(echoAnswer) });
    const viaOllama = await run("ollama", ollama);
    expect(viaOllama.code, viaOllama.stderr).toBe(0);
    expect(viaOllama.doc.runs[0]!.accuracy).toEqual({
      status: "not-measured",
      benchmark: "hellaswag",
      reason: "Ollama's API returns no log-probabilities of the prompt's tokens: HellaSwag needs them",
    });
    expect(echoCalls).toBe(0);
  });

  it("a server that refuses echo: not measured, quoting its answer, after one request; the run passes", async () => {
    const refusing = await start({
      modelName: "tiny",
      echo: counted(() => ({
        status: 400,
        body: { error: { message: "echo is not supported together with logprobs", type: "invalid_request_error", code: 400 } },
      })),
    });
    echoCalls = 0;
    const { code, doc, stderr } = await run("openai", refusing);
    expect(code, stderr).toBe(0);
    expect(doc.runs[0]!.status).toBe("ok");
    const acc = doc.runs[0]!.accuracy;
    expect(acc?.status).toBe("not-measured");
    expect(acc?.status === "not-measured" && acc.reason).toMatch(
      /the server returns no log-probabilities of the prompt's tokens.*HTTP 400 from \/v1\/completions: echo is not supported together with logprobs$/,
    );
    expect(echoCalls).toBe(1);
    expect(stderr).toMatch(/✗ accuracy: .*echo is not supported together with logprobs/);
  });

  it("a server that ignores echo (log-probabilities of no prompt token): not measured, saying so", async () => {
    const ignoring = await start({
      modelName: "tiny",
      echo: counted((body) => ({
        status: 200,
        body: {
          choices: [{ index: 0, text: "", logprobs: { tokens: [], token_logprobs: [], text_offset: [] }, finish_reason: "length" }],
          usage: { prompt_tokens: fakeTokens(String(body.prompt)).length, completion_tokens: 0 },
        },
      })),
    });
    const { code, doc } = await run("openai", ignoring);
    expect(code).toBe(0);
    const acc = doc.runs[0]!.accuracy;
    expect(acc?.status === "not-measured" && acc.reason).toMatch(/echo ignored: the answer's text does not repeat the prompt/);
  });

  it("--no-accuracy records nothing and asks nothing", async () => {
    const server = await start({ modelName: "tiny", echo: counted(echoAnswer) });
    echoCalls = 0;
    const { code, doc, stderr } = await run("openai", server, "--no-accuracy");
    expect(code, stderr).toBe(0);
    expect(doc.runs[0]!.accuracy).toBeUndefined();
    expect(echoCalls).toBe(0);
    expect(stderr).not.toMatch(/accuracy/);
  });
});
