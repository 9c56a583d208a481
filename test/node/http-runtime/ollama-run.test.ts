/**
 * `edgebench run --runtime ollama:...`: Ollama's native streaming API (NDJSON
 * from /api/generate and /api/chat) with its eval counts and durations, against
 * the fixture server speaking that dialect with real inference.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type OpenAiServer, startOpenAiServer } from "../../fixtures/http-runtime/openai-server.js";
import { runCli, SMALL_SUITE } from "./run-cli.js";

describe("an Ollama server", () => {
  let server: OpenAiServer;
  beforeAll(async () => {
    server = await startOpenAiServer({ modelFile: inject("tinyModels").q8_0, modelName: "tiny:q8_0", ollama: true });
  });
  afterAll(() => server?.close());

  it("takes prompt and generation figures from eval_count/eval_duration and the model's facts from /api/show", async () => {
    server.fault = "none";
    const { code, doc, stderr } = await runCli(["--runtime", `ollama:${server.url}`, "--model", "tiny:q8_0", "--suite", SMALL_SUITE, "--reps", "2"]);
    expect(code, stderr).toBe(0);
    expect(doc.runtime).toEqual({
      name: "ollama",
      version: "0.0.0-fixture",
      backend: "http",
      http: { api: "ollama", serverName: "ollama", serverVersion: "0.0.0-fixture" },
    });
    expect(doc.runs[0]!.model).toEqual({ name: "tiny:q8_0", quantisation: "Q8_0", parameters: 170432, arch: "llama" });
    for (const test of doc.runs[0]!.tests) {
      expect(test.status, test.error).toBe("ok");
      expect(test.tokenCounts).toBe("server-usage");
      expect(test.timing).toBe(test.kind === "ttft" ? "client" : "server");
    }
    const tg = doc.runs[0]!.tests.find((t) => t.name === "tg16")!;
    expect(tg.nGen).toBe(16);
    expect(tg.interTokenNs!.p90).toBeGreaterThanOrEqual(tg.interTokenNs!.p50);
    // Prompt lengths were fitted to prompt_eval_count.
    expect(Math.abs(doc.runs[0]!.tests[0]!.nPrompt - 64)).toBeLessThanOrEqual(4);
  });

  it("records a malformed NDJSON line and HTTP 500 as test failures", async () => {
    server.fault = "malformed";
    const bad = await runCli(["--runtime", `ollama:${server.url}`, "--model", "tiny:q8_0", "--suite", SMALL_SUITE, "--reps", "1"]);
    expect(bad.code).toBe(3);
    for (const test of bad.doc.runs[0]!.tests)
      expect(test).toMatchObject({ status: "failed", error: expect.stringMatching(/malformed stream chunk \(not JSON\)/) });

    server.fault = "http500";
    const crashed = await runCli(["--runtime", `ollama:${server.url}`, "--model", "tiny:q8_0", "--suite", SMALL_SUITE, "--reps", "1"]);
    expect(crashed.code).toBe(3);
    for (const test of crashed.doc.runs[0]!.tests) expect(test.error).toMatch(/HTTP 500 .*from \/api\/(generate|chat)/);
  });
});
