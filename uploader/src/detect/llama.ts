/**
 * What node-llama-cpp offers on this machine: the llama.cpp build, the backend
 * it loaded (a GPU build or CPU), GPU names and VRAM. Loading a GPU build only
 * to look costs about 3 s, so `detect` does it once and the runner reuses it.
 * node-llama-cpp itself is imported only inside these functions: loading the
 * module costs about 0.7 s, which commands that never touch llama.cpp
 * (--version, keygen, submit, outbox, detect --no-llama) must not pay.
 */

import type { Accelerator, Backend } from "@edgebench/contract";
import type { Llama, LlamaLogLevel } from "node-llama-cpp";

export const BACKEND_CHOICES = ["cpu", "cuda", "vulkan", "metal", "auto"] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface LlamaInfo {
  /** node-llama-cpp package version. */
  version: string;
  /** llama.cpp release the binding was built from, e.g. "ggml-org/llama.cpp@b6000". */
  llamaCppBuild: string;
  backend: Exclude<Backend, "http">;
  buildType: string;
  gpuNames: string[];
  vramTotalBytes?: number;
  /** GPU backends node-llama-cpp could load on this OS/arch (before trying them). */
  supportedGpuTypes: string[];
  systemInfo: string;
}

export function gpuOption(choice: BackendChoice): "auto" | false | "cuda" | "vulkan" | "metal" {
  return choice === "cpu" ? false : choice;
}

/** Loaded on first use (see the file comment); later calls reuse Node's module cache. */
export const nodeLlamaCpp = () => import("node-llama-cpp");

/** logLevel: default warn. */
export async function loadLlama(choice: BackendChoice, logLevel?: LlamaLogLevel): Promise<Llama> {
  const { getLlama, LlamaLogLevel } = await nodeLlamaCpp();
  try {
    // build: "never": on a board without a matching prebuilt binary, say so rather than compile for minutes.
    return await getLlama({ gpu: gpuOption(choice), build: "never", logLevel: logLevel ?? LlamaLogLevel.warn });
  } catch (err) {
    throw new Error(`cannot load the ${choice} backend of node-llama-cpp: ${(err as Error).message}`);
  }
}

export async function describeLlama(llama: Llama): Promise<LlamaInfo> {
  const { getLlamaGpuTypes, getModuleVersion } = await nodeLlamaCpp();
  const gpu = llama.gpu;
  const gpuNames = gpu ? await llama.getGpuDeviceNames().catch(() => []) : [];
  const vram = gpu ? await llama.getVramState().catch(() => undefined) : undefined;
  const release = llama.llamaCppRelease;
  return {
    version: await getModuleVersion(),
    llamaCppBuild: `${release.repo}@${release.release}`,
    backend: gpu === false ? "cpu" : gpu,
    buildType: llama.buildType,
    gpuNames,
    vramTotalBytes: vram && vram.total > 0 ? vram.total : undefined,
    supportedGpuTypes: (await getLlamaGpuTypes("supported").catch(() => [])).map(String),
    systemInfo: llama.systemInfo.trim().slice(0, 1024),
  };
}

export function gpuAccelerators(info: LlamaInfo): Accelerator[] {
  if (info.backend === "cpu") return [];
  return info.gpuNames.slice(0, 8).map((name) => ({
    kind: "gpu" as const,
    name: name.slice(0, 128) || "GPU",
    memoryBytes: info.gpuNames.length === 1 ? info.vramTotalBytes : undefined,
    driver: info.backend,
    detectedBy: "node-llama-cpp",
  }));
}
