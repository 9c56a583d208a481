/**
 * The GGUF v3 writer: what it writes is read back by node-llama-cpp's own GGUF
 * parser and loaded by llama.cpp; the binary16 conversion is exact.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { GgmlType, GgufInsights, getLlama, LlamaLogLevel, readGgufFileInfo } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { findPreset, PRESETS, parameterCount, synthModel } from "../../../uploader/src/gguf/index.js";
import { f16BitsToF32, f32ToF16Bits } from "../../../uploader/src/gguf/values.js";
import { writeGguf } from "../../../uploader/src/gguf/writer.js";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-gguf-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("GGUF writer round trip", () => {
  it.each([
    ["f32", GgmlType.F32, 0],
    ["f16", GgmlType.F16, 1],
    ["q8_0", GgmlType.Q8_0, 7],
  ] as const)("tiny %s: metadata, tensor shapes and types as written", async (type, ggml, fileType) => {
    const file = inject("tinyModels")[type];
    const info = await readGgufFileInfo(file, { logWarnings: false });
    expect(info.version).toBe(3);
    const md = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(md.general).toMatchObject({ architecture: "llama", file_type: fileType, alignment: 32 });
    expect(md.llama).toMatchObject({ context_length: 4096, embedding_length: 64, block_count: 2, feed_forward_length: 256, vocab_size: 369 });
    expect(md.llama!.attention).toMatchObject({ head_count: 4, head_count_kv: 2 });
    const tok = md.tokenizer!.ggml as Record<string, unknown>;
    expect(tok.model).toBe("llama");
    expect((tok.tokens as string[]).length).toBe(369);
    expect((tok.tokens as string[]).slice(0, 4)).toEqual(["<unk>", "<s>", "</s>", "<0x00>"]);
    expect((tok.tokens as string[])[258]).toBe("<0xFF>");

    const tensors = info.tensorInfo!;
    expect(tensors).toHaveLength(1 + 2 * 9 + 2);
    const byName = new Map(tensors.map((t) => [t.name, t]));
    expect(byName.get("token_embd.weight")).toMatchObject({ dimensions: [64, 369], ggmlType: ggml });
    expect(byName.get("blk.1.attn_k.weight")).toMatchObject({ dimensions: [64, 32], ggmlType: ggml });
    expect(byName.get("blk.0.ffn_down.weight")).toMatchObject({ dimensions: [256, 64], ggmlType: ggml });
    expect(byName.get("blk.0.attn_norm.weight")).toMatchObject({ dimensions: [64], ggmlType: GgmlType.F32 });
    for (const t of tensors) expect(Number(t.offset) % 32).toBe(0);

    const insights = await GgufInsights.from(info);
    expect(insights.totalParameters).toBe(parameterCount(findPreset("tiny").shape));
    expect(fs.statSync(file).size).toBeGreaterThanOrEqual(Number(tensors[0]!.fileOffset) + insights.modelSize);
  });

  it("llama.cpp loads the tiny model and computes finite logits", async () => {
    const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: inject("tinyModels").f16 });
    const context = await model.createContext({ contextSize: 256, threads: 1 });
    try {
      const tokens = model.tokenize("It is a truth universally acknowledged");
      expect(model.detokenize(tokens)).toBe("It is a truth universally acknowledged");
      const out = await context
        .getSequence()
        .controlledEvaluate(tokens.map((t, i) => (i === tokens.length - 1 ? [t, { generateNext: { logits: true } }] : t)));
      const logits = [...out[tokens.length - 1]!.next.logits!.values()];
      expect(logits).toHaveLength(369);
      expect(logits.every(Number.isFinite)).toBe(true);
    } finally {
      await context.dispose();
      await model.dispose();
    }
  });

  it("real-model presets have the published parameter counts' order of magnitude", () => {
    const counts = Object.fromEntries(PRESETS.map((p) => [p.id, parameterCount(p.shape)]));
    // Qwen2.5-0.5B: 494M with QKV biases (left out here); Llama-3.2-1B: 1.24B.
    expect(counts["qwen2.5-0.5b"]! / 1e6).toBeCloseTo(494, -1);
    expect(counts["llama-3.2-1b"]! / 1e9).toBeCloseTo(1.24, 1);
  });

  it("a tensor whose data has the wrong size is refused and leaves no file", () => {
    const file = path.join(dir, "bad.gguf");
    expect(() => writeGguf(file, [], [{ name: "x", shape: [4], type: "f32", data: () => Buffer.alloc(8) }])).toThrow(/expected 16/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("a preset stand-in is written with its shape (checked without loading 500 MB)", async () => {
    // A cut-down copy of the qwen2.5-0.5b shape keeps the test small but exercises tied embeddings and the big vocabulary.
    const shape = { ...findPreset("qwen2.5-0.5b").shape, layers: 1 };
    const file = path.join(dir, "standin.gguf");
    const r = synthModel(file, { shape, type: "q8_0" });
    const info = await readGgufFileInfo(file, { logWarnings: false });
    const names = info.tensorInfo!.map((t) => t.name);
    expect(names).not.toContain("output.weight");
    expect(info.tensorInfo!.find((t) => t.name === "token_embd.weight")!.dimensions).toEqual([896, 151936]);
    expect(r.parameters).toBe((await GgufInsights.from(info)).totalParameters);
    fs.rmSync(file);
  });
});

describe("binary16 conversion", () => {
  it("is exact for representable values and rounds to nearest even", () => {
    for (const v of [0, 1, -2, 0.5, 65504, 6.103515625e-5, 5.9604644775390625e-8, 0.0999755859375]) expect(f16BitsToF32(f32ToF16Bits(v))).toBe(v);
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00); // halfway: ties to even
    expect(f32ToF16Bits(1e6)).toBe(0x7c00); // overflow: infinity
    expect(f32ToF16Bits(1e-9)).toBe(0); // underflow
  });
});
