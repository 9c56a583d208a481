/**
 * The size-realistic stand-in model the llama.cpp benches run: a GGUF with a
 * real model's shape (BENCH_PRESET, default qwen2.5-0.5b) and weight type
 * (BENCH_TYPE, default q8_0), written once to .tmp/models and reused.
 */
import fs from "node:fs";
import path from "node:path";
import { findPreset, synthModel, type WeightType } from "../../uploader/src/gguf/index.js";

export const STANDIN_PRESET = process.env.BENCH_PRESET ?? "qwen2.5-0.5b";
export const STANDIN_TYPE = (process.env.BENCH_TYPE ?? "q8_0") as WeightType;

/** The stand-in's path, written first if it is not there yet. */
export function standinModel(): string {
  const dir = path.join(import.meta.dirname, "..", "..", ".tmp", "models");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `standin-${STANDIN_PRESET}-${STANDIN_TYPE}.gguf`);
  if (!fs.existsSync(file)) {
    const t0 = performance.now();
    const r = synthModel(file, { shape: findPreset(STANDIN_PRESET).shape, type: STANDIN_TYPE, name: `edgebench stand-in ${STANDIN_PRESET}` });
    console.log(
      `wrote ${file}: ${(r.bytes / 1e6).toFixed(0)} MB, ${(r.parameters / 1e6).toFixed(0)}M parameters in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  return file;
}
