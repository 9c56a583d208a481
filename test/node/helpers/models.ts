/**
 * The tiny models every node test can use, written by test/node/global-setup.ts
 * before any test runs: 2-layer llama-architecture GGUFs with random weights
 * and a byte-fallback tokenizer (170k parameters; garbage text, real inference).
 *
 *   import { tinyModel } from "../helpers/models.js";
 *   const file = tinyModel("q8_0");   // .tmp/models/tiny-q8_0.gguf
 */
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
export const MODELS_DIR = path.join(REPO_ROOT, ".tmp", "models");
export const TINY_TYPES = ["f32", "f16", "q8_0"] as const;
export type TinyType = (typeof TINY_TYPES)[number];

/** Absolute path of the tiny model in the given weight type. */
export function tinyModel(type: TinyType = "q8_0"): string {
  return path.join(MODELS_DIR, `tiny-${type}.gguf`);
}

/** The bundled CLI that global setup builds (what `npx edgebench` runs). */
export const CLI = path.join(REPO_ROOT, "uploader", "bin", "edgebench.mjs");
