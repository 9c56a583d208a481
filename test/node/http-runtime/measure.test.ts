/**
 * How answers become figures (runtimes/http/measure.ts), with scripted answers
 * so every rule can be checked to the nanosecond: which clock each kind of test
 * uses, the energy window of each repetition, counts, and the fallbacks.
 */

import { TestResult } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import type { GenClient, GenRequest, GenResult } from "../../../uploader/src/runtimes/http/client.js";
import { measureHttpTest } from "../../../uploader/src/runtimes/http/measure.js";
import { PromptMaker } from "../../../uploader/src/runtimes/http/prompts.js";

const MS = 1_000_000n;

/** A client that answers from a list, each answer placed on a timeline starting at `at` ms. */
function scripted(answers: Array<(req: GenRequest) => Omit<GenResult, "sentNs"> & { sentNs?: bigint }>): GenClient & { requests: GenRequest[] } {
  const requests: GenRequest[] = [];
  return {
    requests,
    async generate(req) {
      requests.push(req);
      const a = answers[Math.min(requests.length - 1, answers.length - 1)]!(req);
      return { sentNs: 0n, ...a };
    },
  };
}

/** An answer: first token at `first` ms, then one token every `gap` ms, n tokens. */
const answer =
  (first: number, gap: number, n: number, extra: Partial<GenResult> = {}) =>
  () => {
    const times = Array.from({ length: n }, (_, i) => BigInt(first + i * gap) * MS);
    return { sentNs: 0n, endNs: times.at(-1)! + MS, firstTokenNs: times[0], tokenTimesNs: times, text: "x".repeat(n), ...extra };
  };

const inputs = (client: GenClient, reps = 2) => ({
  client,
  prompts: new PromptMaker("It is a truth universally acknowledged."),
  chatPrompt: { system: "s", user: "u" },
  warmup: 1,
  reps,
});

describe("measureHttpTest", () => {
  it("pp: the server's prompt time when given, its window ending at the first token", async () => {
    const c = scripted([
      answer(50, 0, 1, { usage: { promptTokens: 130, completionTokens: 1 }, server: { promptN: 128, promptNs: 40_000_000, genN: 1, genNs: 0 } }),
    ]);
    const out = await measureHttpTest({ name: "pp128", kind: "pp", nPrompt: 128, nGen: 0, depth: 0 }, inputs(c));
    expect(out.test).toMatchObject({
      status: "ok",
      nPrompt: 128,
      nGen: 0,
      timing: "server",
      tokenCounts: "server-usage",
      samplesNs: [40_000_000, 40_000_000],
    });
    expect(out.windows[0]).toEqual({ startNs: 10n * MS, endNs: 50n * MS });
    expect(c.requests[0]).toMatchObject({ kind: "text", maxTokens: 1 });
    TestResult.parse(out.test);
  });

  it("tg: the client clock from first to last token over n-1 decodes; inter-token percentiles from the gaps", async () => {
    const c = scripted([answer(30, 10, 17, { usage: { promptTokens: 5, completionTokens: 17 } })]);
    const out = await measureHttpTest({ name: "tg16", kind: "tg", nPrompt: 0, nGen: 16, depth: 0 }, inputs(c));
    expect(out.test).toMatchObject({
      status: "ok",
      nPrompt: 0,
      nGen: 16,
      timing: "client",
      samplesNs: [160_000_000, 160_000_000],
      interTokenNs: { p50: 10_000_000, p90: 10_000_000 },
    });
    expect(out.windows[1]).toEqual({ startNs: 30n * MS, endNs: 190n * MS });
  });

  it("pg: request sent to the last token on the client clock; fewer tokens than asked are recorded and noted", async () => {
    const c = scripted([answer(100, 5, 12, { usage: { promptTokens: 64, completionTokens: 12 } })]);
    const out = await measureHttpTest({ name: "pp64+tg16", kind: "pg", nPrompt: 64, nGen: 16, depth: 0 }, inputs(c));
    expect(out.test).toMatchObject({ status: "ok", nPrompt: 64, nGen: 12, timing: "client", samplesNs: [155_000_000, 155_000_000] });
    expect(out.notes.join()).toMatch(/returned 12 of 16 tokens/);
  });

  it("ttft: always the client clock to the first token, through the chat API", async () => {
    const c = scripted([
      answer(42, 0, 1, { usage: { promptTokens: 31, completionTokens: 1 }, server: { promptN: 31, promptNs: 1, genN: 1, genNs: 1 } }),
    ]);
    const out = await measureHttpTest({ name: "ttft", kind: "ttft", nPrompt: 0, nGen: 1, depth: 0 }, inputs(c));
    expect(out.test).toMatchObject({ nPrompt: 31, nGen: 1, timing: "client", samplesNs: [42_000_000, 42_000_000] });
    expect(c.requests[0]!.kind).toBe("chat");
  });

  it("falls back to the client clock for all repetitions when the server timed only some, and to estimates without usage", async () => {
    const timed = answer(50, 0, 1, {
      usage: { promptTokens: 9, completionTokens: 1 },
      server: { promptN: 9, promptNs: 1_000_000, genN: 1, genNs: 0 },
    });
    const c = scripted([timed, timed, answer(60, 0, 1)]);
    const out = await measureHttpTest({ name: "pp8", kind: "pp", nPrompt: 8, nGen: 0, depth: 0 }, inputs(c));
    expect(out.test).toMatchObject({ status: "ok", timing: "client", tokenCounts: "estimated", samplesNs: [50_000_000, 60_000_000] });
    expect(out.notes.join()).toMatch(/timings for some repetitions only/);
  });

  it("skips a test the server's context cannot hold, and fails one the server answers with nothing", async () => {
    const c = scripted([answer(1, 1, 2)]);
    const skipped = await measureHttpTest(
      { name: "tg128@d2048", kind: "tg", nPrompt: 0, nGen: 128, depth: 2048 },
      { ...inputs(c), contextSize: 1024 },
    );
    expect(skipped.test).toMatchObject({ status: "failed", error: "skipped: needs 2176 tokens of context, the server's context holds 1024" });
    expect(c.requests).toHaveLength(0);
    const empty = scripted([() => ({ sentNs: 0n, endNs: 5n, tokenTimesNs: [], text: "", usage: { promptTokens: 3, completionTokens: 0 } })]);
    const none = await measureHttpTest({ name: "tg16", kind: "tg", nPrompt: 0, nGen: 16, depth: 0 }, inputs(empty));
    expect(none.test).toMatchObject({ status: "failed", error: expect.stringMatching(/^repetition 1 of 2: the server returned no token/) });
    TestResult.parse(none.test);
  });
});
