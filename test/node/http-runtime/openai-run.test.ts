/**
 * `edgebench run --runtime openai:...` end to end: the CLI drives a real
 * OpenAI-compatible streaming server on 127.0.0.1 that serves real inference
 * from the tiny generated model (test/fixtures/http-runtime/openai-server.ts),
 * and the document it prints must satisfy the contract and say where every
 * figure came from.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { isRankedConcurrent, type ResultDocument, rateFigure, type TestResult } from "@edgebench/contract";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type OpenAiServer, startOpenAiServer } from "../../fixtures/http-runtime/openai-server.js";
import { runCli, SMALL_SUITE } from "./run-cli.js";

const model = () => inject("tinyModels").q8_0;
const byName = (doc: ResultDocument) => new Map(doc.runs[0]!.tests.map((t) => [t.name, t]));

describe("a llama-server-like server (usage + timings + /props), full standard suite", () => {
  let server: OpenAiServer;
  beforeAll(async () => {
    server = await startOpenAiServer({ modelFile: model(), modelName: "tiny-chat", llamaServer: true });
  });
  afterAll(() => server?.close());

  it("runs every test of edge-llm v1 and records server timings, server token counts and the runtime's identity", async () => {
    const before = server.requests;
    const { code, doc, stderr } = await runCli([
      "--runtime",
      `openai:${server.url}/v1`,
      "--model",
      "tiny-chat",
      "--model-file",
      model(),
      "--reps",
      "2",
      "--accelerator",
      "RK3588 NPU",
      // A wall meter read by a command: the same per-repetition capture as direct runs.
      "--meter",
      "cmd:echo 4.5",
      "--scope",
      "wall",
    ]);
    expect(code, stderr).toBe(0);
    // 5 single-stream tests x (1 warm-up + 2 reps), and 1 + 2 + 4 streams x 3 for the serving
    // tests; the tokenizer sizes prompts, so no calibration probes.
    expect(server.requests - before).toBe(15 + 7 * 3);

    expect(doc.runtime).toMatchObject({
      backend: "http",
      name: "llama.cpp server",
      http: { api: "openai", serverName: "llama.cpp server", declaredAccelerator: "RK3588 NPU" },
    });
    expect(doc.runtime.version).toBe(doc.runtime.http!.serverVersion);
    const run = doc.runs[0]!;
    expect(run.status).toBe("ok");
    expect(run.model.sha256).toBe(createHash("sha256").update(fs.readFileSync(model())).digest("hex"));
    expect(run.model).toMatchObject({ quantisation: "Q8_0", arch: "llama", source: "local" });
    expect(run.settings.contextSize).toBe(4096); // from /props

    const t = byName(doc);
    expect([...t.keys()]).toEqual(["pp512", "tg128", "pp512+tg128", "ttft", "tg128@d2048", "c1-pp128+tg128", "c2-pp128+tg128", "c4-pp128+tg128"]);
    for (const test of t.values()) {
      expect(test.status, test.error).toBe("ok");
      expect(test.samplesNs).toHaveLength(2);
      expect(test.tokenCounts).toBe("server-usage");
      // Streams served at once are timed as their clients see them.
      expect(test.timing).toBe(test.kind === "ttft" || test.kind === "concurrent" ? "client" : "server");
      expect(rateFigure(test)!.value).toBeGreaterThan(0);
      // The meter's figures for exactly these repetitions (or why there are none).
      expect(test.energy).toHaveLength(1);
      const e = test.energy![0]!;
      if (e.status === "measured") expect(e.joulesPerRep).toHaveLength(2);
      else expect(e.reason).toBeTruthy();
    }
    // The tokenizer built the prompts: the server counted what we aimed at (BOS included).
    expect(Math.abs(t.get("pp512")!.nPrompt - 512)).toBeLessThanOrEqual(2);
    expect(t.get("pp512")!.nGen).toBe(0);
    expect(t.get("tg128")).toMatchObject({ nPrompt: 0, nGen: 128, depth: 0 });
    expect(t.get("pp512+tg128")!.nGen).toBe(128);
    expect(Math.abs(t.get("tg128@d2048")!.depth - 2048)).toBeLessThanOrEqual(2);
    expect(t.get("ttft")).toMatchObject({ nGen: 1 });
    expect(t.get("ttft")!.nPrompt).toBeGreaterThan(20);
    for (const name of ["tg128", "pp512+tg128", "tg128@d2048"]) {
      // Client-observed: chunks that arrive in one network read share a time, so
      // at the tiny model's ~2000 tokens/s the median gap may be 0.
      const itl = t.get(name)!.interTokenNs!;
      expect(itl.p90).toBeGreaterThan(0);
      expect(itl.p90).toBeGreaterThanOrEqual(itl.p50);
    }
    expect(t.get("pp512")!.interTokenNs).toBeUndefined();
    // The suite's serving shape, ranked by the registry: 128 + 128 tokens per stream under the suite's objective.
    for (const c of [1, 2, 4]) expect(isRankedConcurrent(t.get(`c${c}-pp128+tg128`)!, c)).toBe(true);
    expect(stderr).toMatch(
      /✓ c4-pp128\+tg128 [\d.]+ tokens\/s aggregate at 4 streams .* goodput [\d.]+ requests\/s \(TTFT ≤ 1000 ms, p95 gap ≤ 200 ms\)/,
    );
    expect(stderr).toMatch(/✓ tg128 [\d.]+ tokens\/s .*server clock, server-usage counts/);
  });
});

describe("a plain OpenAI-compatible server (usage only: no timings, no /props)", () => {
  let server: OpenAiServer;
  beforeAll(async () => {
    server = await startOpenAiServer({ modelFile: model(), modelName: "npu-model-q8_0" });
  });
  afterAll(() => server?.close());

  it("times on the client clock, sizes prompts from the server's usage, and records the declared runtime", async () => {
    const { code, doc, stderr } = await runCli([
      "--runtime",
      `openai:${server.url}`,
      "--model",
      "npu-model-q8_0",
      "--suite",
      SMALL_SUITE,
      "--reps",
      "3",
      "--runtime-name",
      "rkllm-server",
      "--runtime-version",
      "1.2.0",
      "--accelerator",
      "RK3588 NPU",
      "--threads",
      "4",
    ]);
    expect(code, stderr).toBe(0);
    expect(doc.suite).toEqual({ id: "edge-llm-http-test", version: "test" });
    expect(doc.runtime).toEqual({
      name: "rkllm-server",
      version: "1.2.0",
      backend: "http",
      http: { api: "openai", declaredAccelerator: "RK3588 NPU" },
    });
    const run = doc.runs[0]!;
    // No file: the server's name, the quantisation its id names, no hash.
    expect(run.model).toEqual({ name: "npu-model-q8_0", quantisation: "Q8_0" });
    expect(run.settings.threads).toBe(4);
    expect(doc.power.meters).toEqual([]);
    const t = byName(doc);
    for (const test of t.values()) {
      expect(test.status, test.error).toBe("ok");
      expect(test.samplesNs).toHaveLength(3);
      expect(test.timing).toBe("client");
      expect(test.tokenCounts).toBe("server-usage");
    }
    // Two probes fitted characters to tokens: the prompt lands near its target.
    expect(Math.abs(t.get("pp64")!.nPrompt - 64)).toBeLessThanOrEqual(4);
    // Client-timed generation spans first to last token: 16 tokens, 15 decodes between them.
    expect(t.get("tg16")!.nGen).toBe(15);
    expect(t.get("pp64+tg16")!.nGen).toBe(16);
    expect(t.get("tg16")!.interTokenNs!.p90).toBeGreaterThanOrEqual(t.get("tg16")!.interTokenNs!.p50);
  });
});

describe("a server that sends no usage", () => {
  let server: OpenAiServer;
  beforeAll(async () => {
    server = await startOpenAiServer({ modelFile: model(), modelName: "tiny", fault: "no-usage" });
  });
  afterAll(() => server?.close());

  it("counts with the model's tokenizer when --model-file is given", async () => {
    const { code, doc, stderr } = await runCli([
      "--runtime",
      `openai:${server.url}`,
      "--model",
      "tiny",
      "--model-file",
      model(),
      "--suite",
      SMALL_SUITE,
      "--reps",
      "2",
    ]);
    expect(code, stderr).toBe(0);
    const t = byName(doc);
    for (const test of t.values()) {
      expect(test.status, test.error).toBe("ok");
      expect(test.tokenCounts).toBe("tokenizer");
      expect(test.timing).toBe("client");
    }
    expect(Math.abs(t.get("pp64")!.nPrompt - 64)).toBeLessThanOrEqual(2);
  });

  it("estimates the counts, and says so, without a tokenizer", async () => {
    const { code, doc, stderr } = await runCli(["--runtime", `openai:${server.url}`, "--model", "tiny", "--suite", SMALL_SUITE, "--reps", "2"]);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/prompt lengths estimated.*no prompt token counts/);
    for (const test of doc.runs[0]!.tests) {
      expect(test.status, test.error).toBe("ok");
      expect(test.tokenCounts).toBe("estimated");
    }
  });
});

describe("servers that misbehave: each a clear recorded failure, and the run goes on", () => {
  let server: OpenAiServer;
  beforeAll(async () => {
    server = await startOpenAiServer({ modelFile: model(), modelName: "tiny", stallMs: 20_000 });
  });
  afterAll(() => server?.close());

  const cases: Array<[string, "malformed" | "stall" | "reset" | "http500", RegExp]> = [
    ["a malformed chunk", "malformed", /malformed stream chunk \(not JSON\)/],
    ["a stall past the stall timeout", "stall", /stalled: no data for 1 s after \d+ event\(s\) \(stall timeout\)/],
    ["a connection reset mid-stream", "reset", /connection lost mid-stream after \d+ event\(s\)/],
    ["HTTP 500", "http500", /HTTP 500 Internal Server Error from \/v1\/(chat\/)?completions: .*the model crashed/],
  ];
  for (const [label, fault, reason] of cases) {
    it(`records ${label} as the failure of every test`, async () => {
      server.fault = fault;
      const t0 = Date.now();
      const { code, doc, stderr } = await runCli([
        "--runtime",
        `openai:${server.url}`,
        "--model",
        "tiny",
        "--model-file",
        model(),
        "--suite",
        SMALL_SUITE,
        "--reps",
        "2",
        "--stall-timeout",
        "1",
      ]);
      expect(code).toBe(3); // failed model runs
      const run = doc.runs[0]!;
      expect(run.status).toBe("failed");
      expect(run.tests.map((x) => x.name)).toEqual(["pp64", "tg16", "pp64+tg16", "ttft"]);
      for (const test of run.tests as TestResult[]) {
        expect(test.status).toBe("failed");
        expect(test.samplesNs).toEqual([]);
        expect(test.error).toMatch(/^warm-up 1: /);
        expect(test.error).toMatch(reason);
      }
      expect(stderr).toMatch(reason);
      // Bounded: four stalls of about a second each, not the server's 20 s.
      if (fault === "stall") expect(Date.now() - t0).toBeLessThan(60_000);
    });
  }

  it("names the models the server has when --model is not one of them, and an unreachable server", async () => {
    server.fault = "none";
    const wrong = await runCli(["--runtime", `openai:${server.url}`, "--model", "tiny-typo", "--suite", SMALL_SUITE]);
    expect(wrong.code).toBe(3);
    expect(wrong.doc.runs[0]).toMatchObject({
      status: "failed",
      error: 'the server does not serve a model named "tiny-typo"; it lists: tiny',
      tests: [],
    });

    const closed = await startOpenAiServer({ modelFile: model(), modelName: "tiny" });
    const url = closed.url;
    await closed.close();
    const gone = await runCli(["--runtime", `openai:${url}`, "--model", "tiny", "--suite", SMALL_SUITE]);
    expect(gone.code).toBe(3);
    expect(gone.doc.runs[0]!.error).toMatch(/^cannot reach the openai server at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });
});
