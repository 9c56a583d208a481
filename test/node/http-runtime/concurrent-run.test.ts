/**
 * `edgebench run --runtime ...` with serving tests, end to end through the CLI:
 * the suite's concurrent tests (or --concurrency levels) against a paced
 * server on 127.0.0.1 with two slots (test/fixtures/http-runtime/openai-server.ts,
 * no inference: 30 ms to the first token, then a token every 5 ms), in both
 * dialects. The figures themselves are checked against the pace in
 * concurrent.test.ts; here the document, the console and the flag.
 */
import path from "node:path";
import { goodputRps, mean, type ResultDocument, SERVING_SLO, type TestResult } from "@edgebench/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenAiServer, startOpenAiServer } from "../../fixtures/http-runtime/openai-server.js";
import { REPO_ROOT } from "../helpers/models.js";
import { runCli, SMALL_SUITE } from "./run-cli.js";

const SERVING_SUITE = path.join(REPO_ROOT, "test/fixtures/http-runtime/suite-serving.json");
const SLO = { ttftMs: 100, itlP95Ms: 100 };
const byName = (doc: ResultDocument) => new Map(doc.runs[0]!.tests.map((t) => [t.name, t]));

describe("serving tests through the CLI against a paced server with 2 slots", () => {
  let server: OpenAiServer;
  beforeAll(async () => {
    server = await startOpenAiServer({ modelName: "paced", ttftMs: 30, tokenDelayMs: 5, parallel: 2, ollama: true });
  });
  afterAll(() => server?.close());

  for (const api of ["openai", "ollama"] as const) {
    it(`${api}: runs the suite's levels under its objective, and prints aggregate, p95 gap and goodput`, async () => {
      server.fault = "none";
      const { code, doc, stderr } = await runCli(["--runtime", `${api}:${server.url}`, "--model", "paced", "--suite", SERVING_SUITE]);
      expect(code, stderr).toBe(0);
      const t = byName(doc);
      expect([...t.keys()]).toEqual(["tg16", "c1-pp16+tg16", "c2-pp16+tg16", "c4-pp16+tg16"]);
      for (const c of [1, 2, 4]) {
        const test = t.get(`c${c}-pp16+tg16`)!;
        expect(test.status, test.error).toBe("ok");
        expect(test).toMatchObject({ kind: "concurrent", concurrency: c, nGen: 16, slo: SLO, timing: "client", tokenCounts: "server-usage" });
        expect(test.streams).toHaveLength(2);
        for (const rep of test.streams!) expect(rep).toHaveLength(c);
      }
      // At 4 streams the second pair waits a whole answer (30 + 15 x 5 ms) for a slot and misses the
      // 100 ms objective: exactly two requests per repetition count.
      const c4 = t.get("c4-pp16+tg16")! as TestResult;
      expect(goodputRps(c4, SLO)).toBeCloseTo(mean(c4.samplesNs.map((ns) => 2e9 / ns)), 6);
      expect(stderr).toMatch(
        /✓ c4-pp16\+tg16 [\d.]+ tokens\/s aggregate at 4 streams · [\d.]+ tokens\/s per stream · TTFT p95 [\d.]+ ms · inter-token p95 [\d.]+ ms · goodput [\d.]+ requests\/s \(TTFT ≤ 100 ms, p95 gap ≤ 100 ms\)/,
      );
    });
  }

  it("--concurrency replaces the suite's levels; a dropped stream fails its level with the reason and the run goes on", async () => {
    // Answers that run beside another are cut after their first token: 2 streams fail, 1 does not.
    server.fault = "drop-concurrent";
    const { code, doc, stderr } = await runCli([
      "--runtime",
      `openai:${server.url}`,
      "--model",
      "paced",
      "--suite",
      SMALL_SUITE,
      "--reps",
      "1",
      "--concurrency",
      "2,1",
    ]);
    server.fault = "none";
    expect(code).toBe(3); // a failed model run
    const t = byName(doc);
    // The small suite has no serving test: the levels take the serving shape and objective.
    expect([...t.keys()]).toEqual(["pp64", "tg16", "pp64+tg16", "ttft", "c2-pp128+tg128", "c1-pp128+tg128"]);
    expect(t.get("c2-pp128+tg128")).toMatchObject({
      status: "failed",
      concurrency: 2,
      error: expect.stringMatching(/^warm-up 1: stream [12] of 2: connection lost mid-stream after \d+ event\(s\)/),
    });
    const c1 = t.get("c1-pp128+tg128")!;
    expect(c1.status, c1.error).toBe("ok");
    expect(c1).toMatchObject({ concurrency: 1, nGen: 128, slo: SERVING_SLO });
    expect(stderr).toMatch(/✗ c2-pp128\+tg128: warm-up 1: stream [12] of 2: connection lost mid-stream/);
    expect(stderr).toMatch(/✓ c1-pp128\+tg128 [\d.]+ tokens\/s aggregate at 1 stream /);
  });

  it("--fleet with --fleet-nodes records a fleet-level result: the fleet, the nodes behind the Service, no node of its own", async () => {
    server.fault = "none";
    const args = ["--runtime", `openai:${server.url}`, "--model", "paced", "--suite", SERVING_SUITE, "--reps", "1", "--concurrency", "2"];
    const { code, doc, stderr } = await runCli([...args, "--fleet", "shop", "--fleet-nodes", "pi-a, pi-b,pi-c"]);
    expect(code, stderr).toBe(0);
    expect(doc.fleet).toEqual({ label: "shop", nodes: ["pi-a", "pi-b", "pi-c"] });
    expect(byName(doc).get("c2-pp16+tg16")?.status).toBe("ok");
    await expect(runCli([...args, "--fleet", "shop", "--node", "pi-a", "--fleet-nodes", "pi-a"])).rejects.toThrow(
      /--fleet-nodes.*cannot be used with.*--node/,
    );
  });

  it("refuses a --concurrency that is not a list of stream counts", async () => {
    await expect(runCli(["--runtime", `openai:${server.url}`, "--model", "paced", "--suite", SMALL_SUITE, "--concurrency", "2,x"])).rejects.toThrow(
      /--concurrency takes stream counts from 1 to 64 separated by commas, got "2,x"/,
    );
  });
});
