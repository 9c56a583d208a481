/**
 * `edgebench run` end to end through the bundled CLI: the real suite on the
 * tiny model with real llama.cpp inference in a child process, the document on
 * stdout validated against the contract, and the failure paths (llama.cpp
 * abort, not a GGUF, truncated, missing) recorded while the good model runs.
 * Threads are set to 1: the two cores here are shared with other tests, and a
 * spin-waiting second llama.cpp thread would only make the run slow.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  computeMetrics,
  type ResultDocument as Doc,
  interTokenPercentileMs,
  ResultDocument,
  repRates,
  sustainedRatioFigure,
} from "@edgebench/contract";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { findPreset, synthModel } from "../../../uploader/src/gguf/index.js";
import { loadSuite } from "../../../uploader/src/suite/index.js";
import { runCli } from "./cli-helpers.js";

let work: string;
let env: NodeJS.ProcessEnv;
const suite = loadSuite();
// --idle-seconds 0: the default 30 s idle baseline would only slow these runs down.
const QUICK = ["--backend", "cpu", "--reps", "2", "--threads", "1", "--idle-seconds", "0", "--no-submit", "--json"];
/** Real inference on two shared cores: generous, bounded. */
const SLOW = 300_000;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-cli-"));
  env = { EDGEBENCH_HOME: path.join(work, "home"), EDGEBENCH_MODELS: path.join(work, "models") };
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function parseDoc(stdout: string): Doc {
  return ResultDocument.parse(JSON.parse(stdout));
}

describe("edgebench run on the tiny model (real inference)", () => {
  let doc: Doc;
  let stderr: string;
  const model = () => inject("tinyModels").q8_0;

  beforeAll(async () => {
    const out = path.join(work, "result.json");
    const r = await runCli(
      [
        "run",
        "--model",
        model(),
        ...QUICK,
        "--out",
        out,
        "--fleet",
        "lab",
        "--node",
        "n1",
        "--envelope",
        "85x56x20",
        "--cooling",
        "fan",
        "--ambient",
        "23.5",
      ],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    doc = parseDoc(r.stdout);
    stderr = r.stderr;
    expect(JSON.parse(fs.readFileSync(out, "utf8"))).toEqual(JSON.parse(r.stdout));
  }, 300_000);

  it("produces a contract-valid document with every suite test measured", () => {
    expect(doc.suite).toEqual({ id: "edge-llm", version: "1" });
    expect(doc.origin).toEqual({ kind: "measured", tool: "edgebench" });
    expect(doc.fleet).toEqual({ label: "lab", node: "n1" });
    expect(doc.system.envelope).toEqual({ widthMm: 85, depthMm: 56, heightMm: 20, source: "declared", note: "declared with --envelope" });
    expect(doc.system.conditions).toMatchObject({ cooling: "fan", ambientC: 23.5 });
    expect(doc.runtime).toMatchObject({ name: "node-llama-cpp", version: "3.22.1", backend: "cpu" });
    expect(doc.runs).toHaveLength(1);
    const run = doc.runs[0]!;
    expect(run.status).toBe("ok");
    expect(run.settings).toEqual({ threads: 1, gpuLayers: 0, contextSize: 4096, batchSize: 512, ubatchSize: 512, flashAttention: false });
    // Every test at --reps 2, but the sustained test: one timed span (2 s here: EDGEBENCH_SUSTAINED_SECONDS in the test config).
    expect(run.tests.map((t) => [t.name, t.kind, t.status, t.samplesNs.length])).toEqual(
      suite.tests.map((t) => [t.name, t.kind, "ok", t.kind === "sustained" ? 1 : 2]),
    );
    const ttft = run.tests.find((t) => t.kind === "ttft")!;
    expect(ttft.nPrompt).toBeGreaterThan(20); // the chat prompt, templated and tokenised
    expect(ttft.nGen).toBe(1);
    for (const t of run.tests) {
      expect(t.resources?.peakRssBytes).toBeGreaterThan(10e6);
      expect(t.resources?.cpuPercent).toBeGreaterThan(0);
    }
    // Every headline figure can be derived from the raw samples.
    const m = computeMetrics({ run, doc });
    for (const id of ["pp_tps", "tg_tps", "pg_tps", "tg_depth_tps", "ttft_ms", "perplexity"] as const) expect(m[id]?.value).toBeGreaterThan(0);
  });

  it("runs the sustained test without pause: 1 s windows that sum to the tokens generated, over the asked duration", () => {
    const t = doc.runs[0]!.tests.find((x) => x.kind === "sustained")!;
    expect(t.windows?.ms).toBe(1000);
    expect(t.windows?.tokens).toHaveLength(2);
    expect(t.windows!.tokens.reduce((a, b) => a + b, 0)).toBe(t.nGen);
    expect(t.nGen).toBeGreaterThan(10);
    expect(t.samplesNs[0]).toBeGreaterThanOrEqual(2e9);
    expect(t.samplesNs[0]).toBeLessThan(3e9);
    // Every token's time counted once, the slowest inside the span, and half the tokens at or above the median (within a 5 % bucket) fit in the span.
    expect(t.tokenTimes!.counts.reduce((a, b) => a + b, 0)).toBe(t.nGen);
    expect(t.tokenTimes!.maxNs).toBeLessThanOrEqual(t.samplesNs[0]!);
    const p50 = interTokenPercentileMs(t, 50)!;
    expect(p50).toBeGreaterThan(0);
    expect(p50).toBeLessThanOrEqual(interTokenPercentileMs(t, 99)!);
    expect(p50 * t.nGen).toBeLessThan((t.samplesNs[0]! / 1e6) * 2.2);
    // Its whole-span rate is nGen / t; its ranked figures need the standard 120 s, so a 2 s trial has none.
    expect(repRates(t)[0]).toBeCloseTo((t.nGen * 1e9) / t.samplesNs[0]!, 9);
    expect(sustainedRatioFigure(t)!.value).toBeGreaterThan(0);
    expect(computeMetrics({ run: doc.runs[0]!, doc }).sustained_tps).toBeUndefined();
    expect(stderr).toContain("the leaderboard ranks 120 s runs only");
  });

  it("identifies the model by its bytes and GGUF metadata, not its name", () => {
    const m = doc.runs[0]!.model;
    const sha = createHash("sha256").update(fs.readFileSync(model())).digest("hex");
    expect(m).toMatchObject({ sha256: sha, quantisation: "Q8_0", arch: "llama", parameters: 170432, name: "edgebench tiny q8_0", source: "local" });
  });

  it("measures perplexity over the suite's fixed text (random weights: near the vocabulary size)", () => {
    const q = doc.runs[0]!.quality!;
    expect(q.corpus).toEqual({ id: suite.perplexity.id, sha256: suite.perplexity.sha256 });
    expect(q.tokens).toBeGreaterThanOrEqual(suite.perplexity.chunkTokens / 2);
    // A random model is close to uniform over 369 tokens: far from 1, not absurdly above the vocabulary.
    expect(q.perplexity).toBeGreaterThan(50);
    expect(q.perplexity).toBeLessThan(2000);
  });

  it("records the ending chosen for each HellaSwag task of a quick check, and no accuracy figure of its own", () => {
    const a = doc.runs[0]!.accuracy!;
    expect(a.status).toBe("measured");
    if (a.status !== "measured") return;
    // EDGEBENCH_ACCURACY_TASKS=8 in the test config: the first 8 of the suite's 400.
    expect(a.subset).toEqual({ id: suite.accuracy!.id, sha256: suite.accuracy!.sha256 });
    expect(a.choices).toHaveLength(8);
    expect(a.choices.every((c) => [0, 1, 2, 3].includes(c))).toBe(true);
    expect(stderr).toContain("accuracy over the first 8 of 400 tasks: a quick check");
    // A quick check is scored on the result page, never ranked.
    expect(computeMetrics({ run: doc.runs[0]!, doc }).hellaswag_acc).toBeUndefined();
  });

  it("records power as not measured rather than zero when no meter is usable", () => {
    if (doc.power.meters.length === 0) {
      expect(doc.power.note).toMatch(/not measured/i);
      for (const t of doc.runs[0]!.tests) expect(t.energy).toBeUndefined();
    } else {
      for (const t of doc.runs[0]!.tests) expect(t.energy).toHaveLength(doc.power.meters.length);
    }
  });

  it("keeps progress on stderr and the table beside it", () => {
    expect(stderr).toMatch(/✓ pp512 .* tokens\/s/);
    expect(stderr).toMatch(/\| model +\| quant/);
    expect(stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack traces
  });
});

describe("edgebench run: failures are recorded, the other models still run", () => {
  it(
    "llama.cpp abort, not a GGUF, truncated, missing: four failed runs, exit code 3",
    async () => {
      const dir = path.join(work, "bad");
      fs.mkdirSync(dir, { recursive: true });
      const aborts = path.join(dir, "no-ffn.gguf");
      // Without llama.feed_forward_length llama.cpp hits a GGML_ASSERT and aborts the process.
      synthModel(aborts, { shape: findPreset("tiny").shape, type: "f16", omitKeys: ["llama.feed_forward_length"] });
      const notGguf = path.join(dir, "notes.gguf");
      fs.writeFileSync(notGguf, "these are not weights\n");
      const truncated = path.join(dir, "truncated.gguf");
      const full = fs.readFileSync(inject("tinyModels").f16);
      fs.writeFileSync(truncated, full.subarray(0, Math.floor(full.length / 2)));
      const missing = path.join(dir, "missing.gguf");

      const good = inject("tinyModels").f32;
      const r = await runCli(
        [
          "run",
          "--model",
          aborts,
          "--model",
          good,
          "--model",
          notGguf,
          "--model",
          truncated,
          "--model",
          missing,
          "--backend",
          "cpu",
          "--reps",
          "1",
          "--threads",
          "1",
          "--no-perplexity",
          "--idle-seconds",
          "0",
          "--no-submit",
          "--json",
        ],
        env,
      );
      expect(r.code, r.stderr).toBe(3);
      const doc = parseDoc(r.stdout);
      const byFile = new Map(doc.runs.map((run) => [run.model.source === "local" ? run.model.fileName : run.model.source, run]));
      expect(doc.runs.map((x) => x.status)).toEqual(["failed", "ok", "failed", "failed", "failed"]);
      expect(doc.runs[0]!.error).toMatch(/llama\.cpp aborted.*GGML_ASSERT/);
      expect(doc.runs[0]!.model.sha256).toMatch(/^[0-9a-f]{64}$/); // identified before it crashed
      expect(byFile.get("tiny-f32.gguf")!.tests.every((t) => t.status === "ok")).toBe(true);
      expect(doc.runs[2]!.error).toMatch(/not a GGUF file/);
      expect(doc.runs[3]!.error).toMatch(/truncated GGUF/);
      expect(doc.runs[4]!.error).toMatch(/model file not found/);
      expect(r.stderr).toMatch(/4 run\(s\) failed/);
      expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    },
    SLOW,
  );

  it(
    "a depth test that does not fit the context is skipped with its reason; the run stays ok",
    async () => {
      const r = await runCli(
        [
          "run",
          "--model",
          inject("tinyModels").q8_0,
          "--ctx",
          "1024",
          "--backend",
          "cpu",
          "--reps",
          "1",
          "--threads",
          "1",
          "--no-perplexity",
          "--idle-seconds",
          "0",
          "--no-submit",
          "--json",
        ],
        env,
      );
      expect(r.code, r.stderr).toBe(0);
      const run = parseDoc(r.stdout).runs[0]!;
      expect(run.status).toBe("ok");
      const depth = run.tests.find((t) => t.depth > 0)!;
      expect(depth).toMatchObject({ status: "failed", samplesNs: [] });
      expect(depth.error).toMatch(/^skipped: needs 2176 tokens of context, the context holds 1024/);
      expect(run.tests.filter((t) => t.depth === 0).every((t) => t.status === "ok")).toBe(true);
    },
    SLOW,
  );

  it(
    "a settings sweep runs every point on one model load, in order",
    async () => {
      // A context-size sweep (a thread sweep would put a second spinning thread on two shared cores).
      const r = await runCli(
        [
          "run",
          "--model",
          inject("tinyModels").q8_0,
          "--ctx",
          "1024,2048",
          "--flash-attn",
          "off,on",
          "--backend",
          "cpu",
          "--reps",
          "1",
          "--threads",
          "1",
          "--no-perplexity",
          "--idle-seconds",
          "0",
          "--no-submit",
          "--json",
        ],
        env,
      );
      expect(r.code, r.stderr).toBe(0);
      const doc = parseDoc(r.stdout);
      expect(doc.runs.map((x) => [x.settings.contextSize, x.settings.flashAttention])).toEqual([
        [1024, false],
        [1024, true],
        [2048, false],
        [2048, true],
      ]);
      expect(r.stderr.match(/loaded in/g)).toHaveLength(1);
    },
    SLOW,
  );

  it(
    "power: the parent's meter session gets every repetition's window from the child",
    async () => {
      // A command meter reading a constant 4.5 W stands in for a board meter (power-meters.md section 7).
      const r = await runCli(
        [
          "run",
          "--model",
          inject("tinyModels").q8_0,
          "--meter",
          "cmd:echo 4.5",
          "--scope",
          "board-input",
          "--idle-seconds",
          "1",
          "--backend",
          "cpu",
          "--reps",
          "2",
          "--threads",
          "1",
          "--no-perplexity",
          "--no-submit",
          "--json",
        ],
        env,
      );
      expect(r.code, r.stderr).toBe(0);
      const doc = parseDoc(r.stdout);
      expect(doc.power.meters[0]).toMatchObject({ kind: "cmd", scope: "board-input", method: "sampled" });
      expect(doc.power.meters[0]!.idle?.watts).toBeCloseTo(4.5, 5);
      for (const t of doc.runs[0]!.tests.filter((x) => x.status === "ok")) {
        expect(t.energy).toHaveLength(1);
        const e = t.energy![0]!;
        expect(e.meter).toBe(0);
        if (e.status === "measured") {
          // Constant 4.5 W: each repetition's energy is 4.5 W times its own duration.
          e.joulesPerRep!.forEach((j, i) => {
            expect(j).toBeCloseTo(4.5 * (t.samplesNs[i]! / 1e9), 3);
          });
        } else expect(e.reason).toBeTruthy(); // too short for the sampling rate: said so, not zero
      }
    },
    SLOW,
  );

  it(
    "bad flags: one clear line, exit code 2",
    async () => {
      const r = await runCli(["run", "--model", inject("tinyModels").q8_0, "--batch", "512", "--ubatch", "256", "--no-submit"], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--ubatch 256: node-llama-cpp runs llama\.cpp with the micro-batch equal to the batch/);
      const bad = await runCli(["run", "--threads", "two"], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--threads takes a positive integer/);
      const long = await runCli(["run", "--sustained-seconds", "3601"], env);
      expect(long.code).toBe(2);
      expect(long.stderr).toMatch(/--sustained-seconds: at most 3600/);
      const hot = await runCli(["run", "--ambient", "hot"], env);
      expect(hot.code).toBe(2);
      expect(hot.stderr).toMatch(/--ambient takes a temperature in °C from -40 to 70/);
    },
    SLOW,
  );
});

describe("edgebench run --idle-seconds", () => {
  it(
    "defaults to a 30 s idle baseline; an explicit 0 skips it",
    async () => {
      const { runCommand } = await import("../../../uploader/src/cli/commands/run.js");
      const option = runCommand().options.find((o) => o.long === "--idle-seconds");
      expect(option?.defaultValue).toBe(30);
      expect(option?.parseArg?.("0", undefined)).toBe(0);
      const help = await runCli(["run", "--help"]);
      expect(help.stdout.replace(/\s+/g, " ")).toMatch(/--idle-seconds <s> .*\(0: skip\) \(default: 30\)/);
      // With a meter in use, an explicit 0 still skips the baseline: no idle figure, no 30 s wait.
      const r = await runCli(
        [
          "run",
          "--model",
          inject("tinyModels").q8_0,
          "--meter",
          "cmd:echo 4.5",
          "--scope",
          "board-input",
          "--idle-seconds",
          "0",
          "--backend",
          "cpu",
          "--reps",
          "1",
          "--threads",
          "1",
          "--no-perplexity",
          "--no-submit",
          "--json",
        ],
        env,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/measuring idle power/);
      expect(parseDoc(r.stdout).power.meters[0]!.idle).toBeUndefined();
    },
    SLOW,
  );
});
