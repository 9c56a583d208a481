/**
 * What node-llama-cpp offers on this machine: the llama.cpp build, the backend
 * it loaded (a GPU build or CPU), GPU names and VRAM. Loading a GPU build only
 * to look costs about 3 s, so `detect` does it once and the runner reuses it.
 * node-llama-cpp itself is imported only inside these functions: loading the
 * module costs about 0.7 s, which commands that never touch llama.cpp
 * (--version, keygen, submit, outbox, detect --no-llama) must not pay.
 */

import type { Accelerator, Backend, Runtime } from "@edgebench/contract";
import type { Llama, LlamaLogLevel } from "node-llama-cpp";
import { type LoadedLlamaBuild, loadedLlamaBuild } from "./llama-build.js";

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
  /** The libraries this process loaded: CPU variant, backends, commit (Linux). */
  binaries: LoadedLlamaBuild;
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
    binaries: loadedLlamaBuild(),
  };
}

/** The document's record of the llama.cpp binaries that ran. */
export function binariesRecord(info: LlamaInfo): NonNullable<Runtime["llamaCpp"]> {
  const b = info.binaries;
  const record: NonNullable<Runtime["llamaCpp"]> = { origin: info.buildType === "prebuilt" ? "prebuilt" : "local" };
  if (b.commit) record.commit = b.commit;
  if (b.cpuVariant) record.cpuVariant = b.cpuVariant;
  if (b.backendLibraries.length) record.backendLibraries = b.backendLibraries.slice(0, 16);
  if (info.systemInfo) record.systemInfo = info.systemInfo;
  return record;
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

/** "ggml-org/llama.cpp@b6000 (commit 0ad4a86, prebuilt, CPU variant haswell)" for progress lines and `detect`. */
export function describeBinaries(info: LlamaInfo): string {
  const b = info.binaries;
  const parts = [b.commit ? `commit ${b.commit}` : "commit not found", info.buildType];
  if (b.cpuVariant) parts.push(`CPU variant ${b.cpuVariant}`);
  const gpu = b.backendLibraries.filter((l) => !l.startsWith("ggml-cpu"));
  if (gpu.length) parts.push(gpu.join(", "));
  return `${info.llamaCppBuild} (${parts.join(", ")})`;
}
