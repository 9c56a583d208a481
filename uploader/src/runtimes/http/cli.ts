/**
 * The `edgebench run` flags for HTTP runtimes, kept here so the run command
 * only needs to add them and branch on --runtime.
 */
import { LIMITS } from "@edgebench/contract";
import { type Command, InvalidArgumentError } from "commander";
import type { RunOptions } from "../../runner/index.js";
import { DEFAULT_TEST_TIMEOUT_MS } from "./concurrent.js";
import type { HttpRunOptions } from "./run.js";
import { parseRuntimeSpec, type RuntimeSpec, RuntimeSpecError } from "./spec.js";

export interface HttpCliOptions {
  runtime?: string;
  model?: string[];
  modelFile?: string[];
  runtimeName?: string;
  runtimeVersion?: string;
  accelerator?: string;
  /** Seconds (commander fills the defaults). */
  requestTimeout?: number;
  stallTimeout?: number;
  testTimeout?: number;
  /** Concurrency levels replacing the suite's. */
  concurrency?: number[];
}

/** Levels a run may ask for: a fleet endpoint wants more than a board, but a document holds a bounded number of tests. */
export const MAX_CONCURRENCY_LEVELS = 8;

/** "1,4,16": distinct stream counts from 1 to the contract's limit, in the order given. */
export function concurrencyLevels(v: string): number[] {
  const parts = v.split(",").map((p) => p.trim());
  const levels: number[] = [];
  for (const p of parts) {
    const n = Number(p);
    if (!/^\d+$/.test(p) || n < 1 || n > LIMITS.maxStreams)
      throw new InvalidArgumentError(`--concurrency takes stream counts from 1 to ${LIMITS.maxStreams} separated by commas, got "${v}"`);
    if (!levels.includes(n)) levels.push(n);
  }
  if (levels.length > MAX_CONCURRENCY_LEVELS) throw new InvalidArgumentError(`--concurrency: at most ${MAX_CONCURRENCY_LEVELS} levels`);
  return levels;
}

const seconds = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} takes a number of seconds > 0, got "${v}"`);
  return n;
};
/** A 2048-token prompt on a slow NPU takes tens of seconds before its first byte. */
export const DEFAULT_REQUEST_TIMEOUT_S = 300;
export const DEFAULT_STALL_TIMEOUT_S = 30;
const collect = (v: string, prev: string[] = []) => [...prev, v];

export function addHttpRuntimeOptions(cmd: Command): Command {
  return cmd
    .option(
      "--runtime <api:url>",
      "benchmark a server instead of node-llama-cpp: openai:http://HOST:PORT (OpenAI-compatible: llama-server, vLLM, NPU vendor servers) or ollama:http://HOST:11434; --model is then the server's model name",
    )
    .option(
      "--model-file <path.gguf>",
      "with --runtime: the GGUF the server serves (sha256, metadata and tokenizer); repeatable, paired with --model in order",
      collect,
    )
    .option("--runtime-name <name>", "with --runtime: declare the runtime's name (when the server does not say)")
    .option("--runtime-version <version>", "with --runtime: declare the runtime's version")
    .option("--accelerator <name>", 'with --runtime: the accelerator the server runs on, as declared, e.g. "RK3588 NPU"')
    .option("--request-timeout <s>", "with --runtime: limit for one request", seconds("--request-timeout"), DEFAULT_REQUEST_TIMEOUT_S)
    .option(
      "--stall-timeout <s>",
      "with --runtime: limit between two chunks of a streamed answer",
      seconds("--stall-timeout"),
      DEFAULT_STALL_TIMEOUT_S,
    )
    .option(
      "--concurrency <levels>",
      "with --runtime: streams at once for the serving tests, e.g. 1,4,16, instead of the suite's levels (other levels are recorded and shown, ranked only at the suite's)",
      concurrencyLevels,
    )
    .option(
      "--test-timeout <s>",
      "with --runtime: limit for one serving test, warm-up and repetitions together",
      seconds("--test-timeout"),
      DEFAULT_TEST_TIMEOUT_MS / 1000,
    );
}

/** The HTTP run options from the flags and the options the run command already built. */
export function httpRunOptions(opts: HttpCliOptions, base: RunOptions): HttpRunOptions {
  let runtime: RuntimeSpec;
  try {
    runtime = parseRuntimeSpec(opts.runtime!);
  } catch (err) {
    throw err instanceof RuntimeSpecError ? new Error(err.message) : err;
  }
  const names = opts.model ?? [];
  const files = opts.modelFile ?? [];
  if (!names.length) throw new Error("--runtime needs --model NAME: the model's name on the server (see its /v1/models or `ollama list`)");
  if (files.length > names.length)
    throw new Error(`${files.length} --model-file for ${names.length} --model: give one --model per file, in the same order`);
  const one = <T>(xs: T[] | undefined, flag: string): T | undefined => {
    if (xs && xs.length > 1) throw new Error(`--runtime: give one value for ${flag} (the server's setting), got ${xs.join(",")}`);
    return xs?.[0];
  };
  const gpuLayers = one(base.sweep.gpuLayers, "--gpu-layers");
  if (gpuLayers !== undefined && typeof gpuLayers !== "number")
    throw new Error(`--runtime: --gpu-layers takes the server's layer count, not "${gpuLayers}"`);
  return {
    config: base.config,
    suite: base.suite,
    runtime,
    models: names.map((name, i) => ({ name, file: files[i] })),
    reps: base.reps,
    warmup: base.warmup,
    requestTimeoutMs: Math.round((opts.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_S) * 1000),
    stallTimeoutMs: Math.round((opts.stallTimeout ?? DEFAULT_STALL_TIMEOUT_S) * 1000),
    testTimeoutMs: Math.round((opts.testTimeout ?? DEFAULT_TEST_TIMEOUT_MS / 1000) * 1000),
    concurrency: opts.concurrency,
    accuracyTasks: base.accuracyTasks,
    runtimeName: opts.runtimeName,
    runtimeVersion: opts.runtimeVersion,
    accelerator: opts.accelerator,
    threads: one(base.sweep.threads, "--threads"),
    gpuLayers,
    contextSize: one(base.sweep.contextSizes, "--ctx"),
    idleSeconds: base.idleSeconds,
    meterSpecs: base.meterSpecs,
    meterUser: base.meterUser,
    meterPassword: base.meterPassword,
    scope: base.scope,
    boardName: base.boardName,
    envelope: base.envelope,
    declared: base.declared,
    fleet: base.fleet,
    progress: base.progress,
  };
}
