/** Small pure parts of the runner: the settings plan, exit explanations, model-file checks, the suite data. */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SUSTAINED_RANKED_SECONDS } from "@edgebench/contract";
import { describe, expect, inject, it } from "vitest";
import { inspectModel, ModelFileError, quantisationName } from "../../../uploader/src/runner/model-file.js";
import { planSweep, UsageError } from "../../../uploader/src/runner/plan.js";
import { resolveModel } from "../../../uploader/src/runner/resolve.js";
import { explainExit } from "../../../uploader/src/runner/spawn.js";
import { loadSuite, suiteDir } from "../../../uploader/src/suite/index.js";

describe("planSweep", () => {
  it("every combination, grouped so each model load runs all its context points", () => {
    const plan = planSweep({ threads: [1, 2], gpuLayers: [0, 10], contextSizes: [2048], batchSizes: [512, 4096], flashAttention: [false] });
    expect(plan.map((l) => l.gpuLayers)).toEqual([0, 10]);
    expect(plan[0]!.points).toEqual([
      { threads: 1, contextSize: 2048, batchSize: 512, flashAttention: false },
      { threads: 2, contextSize: 2048, batchSize: 512, flashAttention: false },
      // A batch larger than the context is capped to it.
      { threads: 1, contextSize: 2048, batchSize: 2048, flashAttention: false },
      { threads: 2, contextSize: 2048, batchSize: 2048, flashAttention: false },
    ]);
  });
  it("refuses a micro-batch node-llama-cpp cannot set", () => {
    expect(() =>
      planSweep({ threads: [1], gpuLayers: [0], contextSizes: [512], batchSizes: [512], ubatchSizes: [128], flashAttention: [false] }),
    ).toThrow(UsageError);
    expect(
      planSweep({ threads: [1], gpuLayers: [0], contextSizes: [512], batchSizes: [512], ubatchSizes: [512], flashAttention: [false] }),
    ).toHaveLength(1);
  });
});

describe("explainExit", () => {
  it("names the GGML_ASSERT line, an OOM kill and a crash", () => {
    const lines = ["llama_model_load: loading model", "/src/llama.cpp/src/llama-model.cpp:123: GGML_ASSERT(hparams.n_ff() > 0) failed", "Aborted"];
    expect(explainExit(null, "SIGABRT", lines)).toBe("llama.cpp aborted while running this model: GGML_ASSERT(hparams.n_ff() > 0) failed");
    expect(explainExit(134, null, lines)).toMatch(/^llama\.cpp aborted/);
    expect(explainExit(null, "SIGKILL", [])).toMatch(/out-of-memory killer/);
    expect(explainExit(null, "SIGSEGV", [])).toMatch(/segmentation fault/);
    expect(explainExit(3, null, ["error: something"])).toBe("the model process exited with code 3: error: something");
  });
});

describe("model files", () => {
  it("identity from the bytes and metadata; clear errors for the bad cases", async () => {
    const file = inject("tinyModels").f16;
    const id = await inspectModel(file, "local");
    expect(id).toEqual({
      name: "edgebench tiny f16",
      fileName: "tiny-f16.gguf",
      sha256: createHash("sha256").update(fs.readFileSync(file)).digest("hex"),
      sizeBytes: fs.statSync(file).size,
      parameters: 170432,
      quantisation: "F16",
      arch: "llama",
      source: "local",
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-files-"));
    try {
      await expect(inspectModel(path.join(dir, "none.gguf"), "local")).rejects.toThrow(/model file not found/);
      await expect(inspectModel(dir, "local")).rejects.toThrow(/not a file/);
      const empty = path.join(dir, "empty.gguf");
      fs.writeFileSync(empty, "");
      await expect(inspectModel(empty, "local")).rejects.toThrow(ModelFileError);
      const header = path.join(dir, "header.gguf");
      fs.writeFileSync(header, fs.readFileSync(file).subarray(0, 100)); // magic fine, header cut short
      await expect(inspectModel(header, "local")).rejects.toThrow(/truncated/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("quantisation names as llama.cpp writes them", async () => {
    expect(await Promise.all([0, 1, 7, 15, 18, 30].map((t) => quantisationName(t)))).toEqual(["F32", "F16", "Q8_0", "Q4_K_M", "Q6_K", "IQ4_XS"]);
    expect(await quantisationName(undefined)).toBe("unknown");
  });
  it("a local path resolves to itself (never copied); a missing one is a clear error", async () => {
    const file = inject("tinyModels").q8_0;
    expect(await resolveModel(file, { modelsDir: os.tmpdir(), download: false })).toEqual({ spec: file, file, source: "local" });
    await expect(resolveModel("/nonexistent/x.gguf", { modelsDir: os.tmpdir(), download: false })).rejects.toThrow(/model file not found/);
  });
});

describe("the suite as data", () => {
  it("edge-llm v1: the tests, standard models and the corpus hash it names", () => {
    const suite = loadSuite();
    expect([suite.id, suite.version, suite.warmup, suite.reps]).toEqual(["edge-llm", "1", 1, 5]);
    expect(suite.tests.map((t) => t.name)).toEqual([
      "pp512",
      "tg128",
      "pp512+tg128",
      "ttft",
      "tg128@d2048",
      "c1-pp128+tg128",
      "c2-pp128+tg128",
      "c4-pp128+tg128",
      "sustained",
    ]);
    // The sustained test runs for the one length the registry ranks, in cycles of tg128's length.
    const sustained = suite.tests.find((t) => t.kind === "sustained")!;
    expect([sustained.seconds, sustained.cycleTokens]).toEqual([SUSTAINED_RANKED_SECONDS, 128]);
    expect(suite.models.every((m) => m.uri.startsWith("hf:") && m.quantisation === "Q4_K_M")).toBe(true);
    const bytes = fs.readFileSync(path.join(suiteDir(), suite.perplexity.file));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(suite.perplexity.sha256);
    expect(suite.corpusText.split(/\s+/).length).toBeGreaterThan(3000);
  });
  it("a corpus that does not match its recorded hash is refused", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-suite-"));
    try {
      const def = JSON.parse(fs.readFileSync(path.join(suiteDir(), "edge-llm-v1.json"), "utf8")) as { perplexity: { file: string } };
      fs.mkdirSync(path.join(dir, "corpus"));
      fs.writeFileSync(path.join(dir, def.perplexity.file), "a different text");
      fs.writeFileSync(path.join(dir, "s.json"), JSON.stringify(def));
      expect(() => loadSuite(path.join(dir, "s.json"))).toThrow(/refusing to measure perplexity on different data/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("an accuracy task file that does not match its recorded hash is refused", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-suite-"));
    try {
      const def = JSON.parse(fs.readFileSync(path.join(suiteDir(), "edge-llm-v1.json"), "utf8")) as {
        perplexity: { file: string };
        accuracy: { file: string };
      };
      def.perplexity.file = path.join(suiteDir(), def.perplexity.file);
      fs.mkdirSync(path.join(dir, "accuracy"));
      // One label changed: the same layout, a different answer key.
      const tasks = fs.readFileSync(path.join(suiteDir(), def.accuracy.file), "utf8").split("\n");
      tasks[1] = tasks[1] === "0" ? "1" : "0";
      fs.writeFileSync(path.join(dir, def.accuracy.file), tasks.join("\n"));
      fs.writeFileSync(path.join(dir, "s.json"), JSON.stringify(def));
      expect(() => loadSuite(path.join(dir, "s.json"))).toThrow(/refusing to measure accuracy on different data/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
