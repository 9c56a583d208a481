/**
 * Messages between the runner (parent) and the per-model child process, sent
 * over Node's IPC channel with serialization "advanced" (structured clone), so
 * bigint timestamps cross intact. Timestamps are process.hrtime.bigint() values:
 * CLOCK_MONOTONIC on Linux, one clock for parent and child, which is what lets
 * the parent's power sampler cut per-repetition energy out of its trace.
 */

import type { Resources, ServiceObjective, Settings, StreamTiming } from "@edgebench/contract";
import type { HellaswagTask } from "../accuracy/hellaswag.js";
import type { BackendChoice } from "../detect/llama.js";
import type { SuiteTest } from "../suite/index.js";

/** --gpu-layers: a count, "max" (all layers) or "auto" (node-llama-cpp fits what VRAM allows). */
export type GpuLayers = number | "max" | "auto";

/** One context configuration to run the tests under (a point of the settings sweep). */
export interface ContextPoint {
  threads: number;
  contextSize: number;
  batchSize: number;
  flashAttention: boolean;
}

/** Everything the child needs; sent once after it starts. */
export interface ChildJob {
  modelPath: string;
  backend: BackendChoice;
  /** One model load per gpuLayers value; each load runs every context point. */
  loads: Array<{ gpuLayers: GpuLayers; points: ContextPoint[] }>;
  tests: SuiteTest[];
  warmup: number;
  reps: number;
  chatPrompt: { system: string; user: string };
  /** Text whose tokens feed pp/tg prompts and the depth fill (real text, not random ids). */
  corpusText: string;
  perplexity?: { chunkTokens: number; maxChunks: number };
  /** HellaSwag tasks to score (the first N of the suite's subset), on each load's first context point. */
  accuracy?: { tasks: HellaswagTask[] };
  /** Parent waits for idle power before "go" after the first load. */
  waitForGo: boolean;
  /** Enable llama.cpp's own perf counters and report the time spent inside evaluation (bench only). */
  llamaTimings: boolean;
  /** Parent waits for the board to cool before each test: wait for "go" after every "test-start". */
  cooldown: boolean;
}

/**
 * Load timings of one model load (protocol only; the document's ModelLoad).
 * firstTokenMs was measured under the load's first context point.
 */
export interface LoadTiming {
  coldMs?: number;
  warmMs?: number;
  firstTokenMs?: number;
}

export interface RepWindow {
  startNs: bigint;
  endNs: bigint;
}

export interface TestOutcome {
  name: string;
  status: "ok" | "failed";
  error?: string;
  nPrompt: number;
  nGen: number;
  depth: number;
  windows: RepWindow[];
  resources?: Resources;
  /** ms spent inside llama.cpp evaluation over all timed reps (llamaTimings only). */
  llamaEvalMs?: number;
  /** Sustained tests: tokens per window (the one timed span is `windows`). */
  sustained?: { windowMs: number; perWindow: number[]; tokenTimes: { counts: number[]; maxNs: number } };
  /** Generation tests: per timed repetition, each generated token's decode time (ns). */
  tokenNs?: number[][];
  /** Concurrent tests: streams at once, the objective they ran under, and per timed repetition every stream's timing. */
  concurrency?: number;
  slo?: ServiceObjective;
  streams?: StreamTiming[][];
}

export type ChildMessage =
  | { type: "loaded"; load: number; gpuLayers: number; timing: LoadTiming; backend: string; vramUsedBytes?: number }
  | { type: "point-start"; load: number; point: number; settings: Settings }
  | { type: "test-start"; load: number; point: number; name: string }
  | { type: "test-end"; load: number; point: number; outcome: TestOutcome }
  | { type: "quality"; load: number; point: number; perplexity?: number; tokens?: number; error?: string }
  | { type: "accuracy"; load: number; point: number; choices?: number[]; elapsedMs?: number; error?: string }
  | { type: "status"; line: string }
  | { type: "point-failed"; load: number; point: number; error: string }
  | { type: "load-failed"; load: number; error: string }
  | { type: "log"; line: string }
  | { type: "done" };

export type ParentMessage = { type: "job"; job: ChildJob } | { type: "go" };
