/**
 * Turns what the user named (a path, an hf: URI, a URL) into a local file.
 * Remote models are resolved and downloaded by node-llama-cpp's own resolver
 * into config.modelsDir, with progress reported through `onProgress`.
 * A local path is used as it is (never copied) so its sha256 is the user's file.
 */
import fs from "node:fs";
import path from "node:path";
import { nodeLlamaCpp } from "../detect/llama.js";
import { ModelFileError } from "./model-file.js";

export interface ResolvedModel {
  /** What the user gave (recorded as the model's source). */
  spec: string;
  file: string;
  source: string;
}

export function isRemote(spec: string): boolean {
  return /^(hf:|huggingface:|https?:\/\/)/i.test(spec);
}

export interface ResolveOptions {
  modelsDir: string;
  /** false: only use what is already downloaded (`edgebench models`). */
  download: boolean;
  onProgress?: (spec: string, downloaded: number, total: number) => void;
}

export async function resolveModel(spec: string, opts: ResolveOptions): Promise<ResolvedModel> {
  if (!isRemote(spec)) {
    const file = path.resolve(spec);
    if (!fs.existsSync(file)) throw new ModelFileError(`model file not found: ${file}`);
    return { spec, file, source: "local" };
  }
  fs.mkdirSync(opts.modelsDir, { recursive: true });
  const { resolveModelFile } = await nodeLlamaCpp();
  try {
    const file = await resolveModelFile(spec, {
      directory: opts.modelsDir,
      download: opts.download ? "auto" : false,
      cli: false,
      onProgress: ({ downloadedSize, totalSize }) => opts.onProgress?.(spec, downloadedSize, totalSize),
    });
    return { spec, file, source: spec };
  } catch (err) {
    const why = (err as Error).message;
    throw new ModelFileError(opts.download ? `cannot download ${spec}: ${why}` : `${spec} is not downloaded into ${opts.modelsDir} (${why})`);
  }
}
