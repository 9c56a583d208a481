/** llama-bench JSON (a realistic Pi 5 run of Qwen2.5 0.5B Q4_K_M) into a result document. */
import fs from "node:fs";
import path from "node:path";
import { computeMetrics, mean, ResultDocument, sampleStddev } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { detectSystem } from "../../../uploader/src/detect/index.js";
import { ImportError, llamaBenchToDocument, parseLlamaBench, quantFromModelType } from "../../../uploader/src/import/llama-bench.js";
import { REPO_ROOT } from "../helpers/models.js";

const dir = path.join(REPO_ROOT, "test/fixtures/llama-bench");
const system = detectSystem({ sysRoot: path.join(REPO_ROOT, "test/fixtures/sysfs/pi5") }).system;
const suite = { id: "edge-llm", version: "1" };

describe("edgebench import (llama-bench JSON)", () => {
  const text = fs.readFileSync(path.join(dir, "pi5-qwen2.5-0.5b-q4_k_m.json"), "utf8");
  const raw = JSON.parse(text) as Array<Record<string, unknown>>;

  it("keeps raw samples, recomputes llama-bench's avg_ts/stddev_ts, marks origin imported with no power", () => {
    const doc = llamaBenchToDocument(parseLlamaBench(text), { system, suite });
    expect(ResultDocument.parse(doc)).toEqual(doc);
    expect(doc.origin).toEqual({ kind: "imported", tool: "llama-bench" });
    expect(doc.power.meters).toEqual([]);
    expect(doc.power.note).toMatch(/no power/);
    expect(doc.runtime).toEqual({
      name: "llama.cpp llama-bench",
      version: "b4798",
      llamaCppBuild: "c8a0fe66 (b4798)",
      llamaCpp: { commit: "c8a0fe66" },
      backend: "cpu",
    });
    expect(doc.createdAt).toBe("2025-03-02T10:14:31.000Z");
    expect(doc.system.cpu.model).toBe("Cortex-A76");
    expect(doc.runs).toHaveLength(1);
    const run = doc.runs[0]!;
    expect(run.model).toMatchObject({
      name: "qwen2.5-0.5b-instruct-q4_k_m",
      quantisation: "Q4_K_M",
      arch: "qwen2",
      parameters: 494032768,
      sizeBytes: 491400032,
    });
    expect(run.settings).toEqual({ threads: 4, gpuLayers: 0, contextSize: 2176, batchSize: 2048, ubatchSize: 512, flashAttention: false });
    expect(run.tests.map((t) => [t.name, t.kind, t.nPrompt, t.nGen, t.depth])).toEqual([
      ["pp512", "pp", 512, 0, 0],
      ["tg128", "tg", 0, 128, 0],
      ["tg128@d2048", "tg", 0, 128, 2048],
    ]);
    // The contract's figures from samples_ns agree with what llama-bench printed.
    const m = computeMetrics({ run, doc });
    raw.forEach((rec, i) => {
      expect(run.tests[i]!.samplesNs).toEqual(rec.samples_ns);
      const rates = run.tests[i]!.samplesNs.map((ns) => ((run.tests[i]!.nPrompt + run.tests[i]!.nGen) * 1e9) / ns);
      expect(mean(rates)).toBeCloseTo(rec.avg_ts as number, 4);
      expect(sampleStddev(rates)).toBeCloseTo(rec.stddev_ts as number, 4);
    });
    expect(m.pp_tps!.value).toBeCloseTo(raw[0]!.avg_ts as number, 4);
    expect(m.tg_tps!.value).toBeCloseTo(raw[1]!.avg_ts as number, 4);
    expect(m.tg_depth_tps!.value).toBeCloseTo(raw[2]!.avg_ts as number, 4);
  });

  it("reads the JSONL form too", () => {
    const doc = llamaBenchToDocument(parseLlamaBench(fs.readFileSync(path.join(dir, "pi5-qwen2.5-0.5b-q4_k_m.jsonl"), "utf8")), { system, suite });
    expect(doc.runs[0]!.tests).toHaveLength(3);
  });

  it("a GPU run and a settings sweep become separate runs with the GPU backend", () => {
    const sweep = [1, 4].map((t) => ({ ...raw[0]!, n_threads: t, backends: "CUDA", gpu_info: "NVIDIA Jetson Orin Nano", n_gpu_layers: 99 }));
    const doc = llamaBenchToDocument(parseLlamaBench(JSON.stringify(sweep)), { system, suite });
    expect(ResultDocument.parse(doc)).toEqual(doc);
    expect(doc.runtime.backend).toBe("cuda");
    expect(doc.runs.map((r) => [r.settings.threads, r.settings.gpuLayers])).toEqual([
      [1, 99],
      [4, 99],
    ]);
    expect(doc.system.accelerators[0]).toMatchObject({ kind: "gpu", name: "NVIDIA Jetson Orin Nano" });
  });

  it("bad input: a clear error naming the record and field", () => {
    expect(() => parseLlamaBench("not json")).toThrow(ImportError);
    expect(() => parseLlamaBench("[]")).toThrow(/non-empty array/);
    const broken = [{ ...raw[0]!, samples_ns: undefined }];
    expect(() => parseLlamaBench(JSON.stringify(broken))).toThrow(/record 0: samples_ns/);
  });

  it("llama.cpp's descriptive file types map to short quantisation names", () => {
    expect(quantFromModelType("llama 1B Q4_K - Medium")).toBe("Q4_K_M");
    expect(quantFromModelType("llama 3B Q5_K - Small")).toBe("Q5_K_S");
    expect(quantFromModelType("qwen2 1B Q8_0")).toBe("Q8_0");
    expect(quantFromModelType("llama 7B all F32")).toBe("F32");
    expect(quantFromModelType("llama 7B F16")).toBe("F16");
    expect(quantFromModelType("llama 8B IQ4_XS - 4.25 bpw")).toBe("IQ4_XS");
  });
});
