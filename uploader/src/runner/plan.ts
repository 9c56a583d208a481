/**
 * plan: the settings sweep as llama-bench builds it (every combination of the
 * list-valued options), ordered so each model file loads once per GPU-layers
 * value and every context configuration runs on that loaded model.
 */
import type { Settings } from "@edgebench/contract";
import type { ContextPoint, GpuLayers } from "./protocol.js";

/** Bad command-line input: reported as one sentence, exit code 2, no stack trace. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface SweepOptions {
  threads: number[];
  gpuLayers: GpuLayers[];
  contextSizes: number[];
  batchSizes: number[];
  ubatchSizes?: number[];
  flashAttention: boolean[];
}

export interface PlannedLoad {
  gpuLayers: GpuLayers;
  points: ContextPoint[];
}

const uniq = <T>(xs: readonly T[]) => [...new Set(xs)];

export function planSweep(s: SweepOptions): PlannedLoad[] {
  for (const [name, xs] of [
    ["--threads", s.threads],
    ["--ctx", s.contextSizes],
    ["--batch", s.batchSizes],
  ] as const) {
    if (xs.length === 0 || xs.some((x) => !Number.isInteger(x) || x <= 0)) throw new UsageError(`${name} takes positive integers`);
  }
  // node-llama-cpp 3.22 runs llama.cpp with n_ubatch = n_batch (it queues batches itself).
  for (const u of s.ubatchSizes ?? []) {
    if (!s.batchSizes.includes(u) || s.batchSizes.length !== 1) {
      throw new UsageError(
        `--ubatch ${u}: node-llama-cpp runs llama.cpp with the micro-batch equal to the batch; give one --batch and leave --ubatch out or equal to it`,
      );
    }
  }
  const points: ContextPoint[] = [];
  for (const contextSize of uniq(s.contextSizes))
    for (const batchSize of uniq(s.batchSizes))
      for (const flashAttention of uniq(s.flashAttention))
        for (const threads of uniq(s.threads)) points.push({ threads, contextSize, batchSize: Math.min(batchSize, contextSize), flashAttention });
  return uniq(s.gpuLayers).map((gpuLayers) => ({ gpuLayers, points }));
}

/** The settings a planned point will have, for runs that fail before the child reports its own. */
export function requestedSettings(load: PlannedLoad, point: ContextPoint): Settings {
  return {
    threads: point.threads,
    gpuLayers: typeof load.gpuLayers === "number" ? load.gpuLayers : 0,
    contextSize: point.contextSize,
    batchSize: point.batchSize,
    ubatchSize: point.batchSize,
    flashAttention: point.flashAttention,
  };
}
