/**
 * The HTTP runtime pipeline: the same suite, the same result document, the
 * same power and thermal capture as the node-llama-cpp runner, with the
 * runtime being a server reached over HTTP instead of a child process:
 *   detect the system -> ask the server who it is -> for each model: identify
 *   it (--model-file: sha256 + GGUF metadata, the runner's own code) -> run the
 *   suite as requests (measure.ts) with thermals sampled and power cut per
 *   repetition here, in this process -> HellaSwag where the server returns the
 *   prompt's log-probabilities (accuracy.ts) -> ModelRun objects -> the document.
 * A test that fails (HTTP 500, a stall, a reset, a malformed chunk) is recorded
 * with its reason and the next test runs; failed runs are the exit code.
 */

import {
  type ModelIdentity,
  type ModelRun,
  msFigure,
  type ResultDocument,
  type Runtime,
  rateFigure,
  type Settings,
  type TestResult,
} from "@edgebench/contract";
import type { Config } from "../../config.js";
import { detectSystem } from "../../detect/index.js";
import { openPowerSession } from "../../power/index.js";
import { assembleDocument, type CaptureOptions, markRunFailures } from "../../runner/document.js";
import { inspectModel } from "../../runner/model-file.js";
import { silentProgress } from "../../runner/progress.js";
import { ThermalSampler } from "../../runner/thermal.js";
import type { Suite } from "../../suite/index.js";
import { measureHttpAccuracy } from "./accuracy.js";
import { createClient } from "./client.js";
import { concurrentSummary, DEFAULT_TEST_TIMEOUT_MS, httpTestSteps, measureConcurrentTest } from "./concurrent.js";
import { ollamaModelFacts, probeServer, quantisationFromName, type ServedModelFacts } from "./identity.js";
import { measureHttpTest } from "./measure.js";
import { PromptMaker } from "./prompts.js";
import type { RuntimeSpec } from "./spec.js";
import { type LocalTokenizer, loadTokenizer } from "./tokens.js";

export interface HttpModel {
  /** The model's name on the server (the `model` field of each request). */
  name: string;
  /** The GGUF the server serves, when the user has it: identity and tokenizer. */
  file?: string;
}

export interface HttpRunOptions extends CaptureOptions {
  config: Config;
  suite: Suite;
  runtime: RuntimeSpec;
  models: HttpModel[];
  reps?: number;
  warmup?: number;
  requestTimeoutMs: number;
  stallTimeoutMs: number;
  /** Limit for one concurrent test, warm-up and repetitions together. */
  testTimeoutMs?: number;
  /** Concurrency levels to run instead of the suite's (--concurrency). */
  concurrency?: number[];
  /** HellaSwag tasks to score, the first N of the suite's subset (default: all; 0 skips the accuracy test). */
  accuracyTasks?: number;
  /** Declared by the user; recorded as declared. */
  runtimeName?: string;
  runtimeVersion?: string;
  accelerator?: string;
  /** Declared server settings (the server's own are outside our view). */
  threads?: number;
  gpuLayers?: number;
  contextSize?: number;
}

export interface HttpRunResult {
  document: ResultDocument;
  failedRuns: number;
}

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

function modelIdentity(model: HttpModel, facts: ServedModelFacts): ModelIdentity {
  const id: ModelIdentity = { name: model.name.slice(0, 128), quantisation: facts.quantisation ?? quantisationFromName(model.name) ?? "unknown" };
  if (facts.parameters) id.parameters = facts.parameters;
  if (facts.arch) id.arch = facts.arch;
  return id;
}

function summary(test: TestResult): string {
  if (test.kind === "concurrent") return concurrentSummary(test);
  // The contract's own figures (mean of per-repetition rates, sample stddev).
  const f = test.kind === "ttft" ? msFigure(test) : rateFigure(test);
  if (!f) return "";
  const unit = test.kind === "ttft" ? "ms" : "tokens/s";
  const itl = test.interTokenNs
    ? ` · inter-token p50 ${(test.interTokenNs.p50 / 1e6).toFixed(2)} ms p90 ${(test.interTokenNs.p90 / 1e6).toFixed(2)} ms`
    : "";
  return `${f.value.toFixed(test.kind === "ttft" ? 2 : 1)} ${unit} ± ${((100 * (f.stddev ?? 0)) / f.value).toFixed(1)} % (${test.timing} clock, ${test.tokenCounts} counts)${itl}`;
}

export async function runHttpBenchmark(opts: HttpRunOptions): Promise<HttpRunResult> {
  const progress = opts.progress ?? silentProgress;
  const { suite, runtime: spec } = opts;
  if (!opts.models.length) throw new Error(`--runtime ${spec.api}:${spec.baseUrl} needs --model NAME (the model's name on the server)`);
  const { system } = detectSystem(opts.config, { boardName: opts.boardName, envelope: opts.envelope, declared: opts.declared });

  progress.status(`asking ${spec.baseUrl} who it is`);
  const server = await probeServer(spec.api, spec.baseUrl);
  const serverName = server.name ?? (spec.api === "ollama" ? "ollama" : undefined);
  progress.line(
    `${system.board.name} · ${system.cpu.model} · ${spec.api} server at ${spec.baseUrl}: ${server.reachable ? `${serverName ?? "unknown server"} ${server.version ?? ""}`.trim() : `unreachable (${server.error})`}${opts.accelerator ? ` · declared accelerator ${opts.accelerator}` : ""}`,
  );
  const contextSize = opts.contextSize ?? server.contextSize;
  // As the node-llama-cpp runner reads it: all of the subset unless told (0 when --no-accuracy).
  const accuracyTasks = opts.accuracyTasks ?? suite.accuracyTasks?.length ?? 0;

  const runtime: Runtime = {
    name: (opts.runtimeName ?? serverName ?? "unknown").slice(0, 128),
    version: (opts.runtimeVersion ?? server.version ?? "unknown").slice(0, 128),
    backend: "http",
    http: { api: spec.api },
  };
  if (server.llamaCppBuild) runtime.llamaCppBuild = server.llamaCppBuild;
  if (serverName) runtime.http!.serverName = serverName;
  if (server.version) runtime.http!.serverVersion = server.version;
  if (opts.accelerator) runtime.http!.declaredAccelerator = opts.accelerator.slice(0, 128);

  // What the server runs with is outside our view: these are the declared (or
  // requested) values, the machine's physical cores being llama-bench's default.
  const settings: Settings = {
    threads: opts.threads ?? system.cpu.cores,
    gpuLayers: opts.gpuLayers ?? 0,
    contextSize: contextSize ?? suite.defaults.contextSize,
    batchSize: suite.defaults.batchSize,
    ubatchSize: suite.defaults.ubatchSize,
    flashAttention: suite.defaults.flashAttention,
  };

  const power = await openPowerSession({
    config: opts.config,
    meterSpecs: opts.meterSpecs,
    scope: opts.scope,
    meterUser: opts.meterUser,
    meterPassword: opts.meterPassword,
  });
  const thermal = new ThermalSampler(opts.config);
  const runs: ModelRun[] = [];
  // No meter, no baseline: nothing to wait for and nothing to say.
  let idleDone = !(opts.idleSeconds && opts.idleSeconds > 0) || power.meters.length === 0;
  try {
    for (const model of opts.models) {
      const facts = spec.api === "ollama" && server.reachable ? await ollamaModelFacts(spec.baseUrl, model.name) : {};
      let identity = modelIdentity(model, facts);
      if (model.file) {
        try {
          progress.status(`hashing ${model.file}`);
          // The runner's identity code: sha256 and GGUF metadata from the file itself.
          identity = await inspectModel(model.file, "local");
        } catch (err) {
          runs.push({ model: identity, settings, status: "failed", error: `--model-file: ${errText(err)}`, tests: [] });
          progress.line(`✗ ${model.name}: ${errText(err)}`);
          continue;
        }
      }
      if (!server.reachable) {
        runs.push({
          model: identity,
          settings,
          status: "failed",
          error: `cannot reach the ${spec.api} server at ${spec.baseUrl}: ${server.error}`.slice(0, 1024),
          tests: [],
        });
        continue;
      }
      // Ollama names "qwen2.5" what it lists as "qwen2.5:latest".
      const listed = (n: string) =>
        server.models!.includes(n) || (spec.api === "ollama" && !n.includes(":") && server.models!.includes(`${n}:latest`));
      if (server.models?.length && !listed(model.name)) {
        const error = `the server does not serve a model named "${model.name}"; it lists: ${server.models.slice(0, 10).join(", ")}`;
        runs.push({ model: identity, settings, status: "failed", error: error.slice(0, 1024), tests: [] });
        progress.line(`✗ ${error}`);
        continue;
      }
      progress.line(`model ${identity.name} · ${identity.quantisation}${identity.sha256 ? ` · sha256 ${identity.sha256.slice(0, 12)}…` : ""}`);

      let tokenizer: LocalTokenizer | undefined;
      if (model.file) {
        try {
          tokenizer = await loadTokenizer(model.file);
        } catch (err) {
          progress.line(`  tokenizer from ${model.file} unavailable (${errText(err)}); counts fall back to the server's or estimates`);
        }
      }
      const client = createClient({
        api: spec.api,
        baseUrl: spec.baseUrl,
        model: model.name,
        requestTimeoutMs: opts.requestTimeoutMs,
        stallTimeoutMs: opts.stallTimeoutMs,
        contextSize: spec.api === "ollama" ? settings.contextSize : undefined,
      });
      const run: ModelRun = { model: identity, settings, status: "ok", tests: [] };
      try {
        const prompts = new PromptMaker(suite.corpusText, tokenizer);
        progress.status("fitting prompt lengths to the server's token counts");
        const why = await prompts.calibrate(client);
        if (why) progress.line(`  prompt lengths estimated (${prompts.means}): ${why}`);
        if (!idleDone) {
          idleDone = true;
          progress.status(`measuring idle power for ${opts.idleSeconds} s`);
          await power.measureIdle(opts.idleSeconds!);
        }
        const testContext = spec.api === "ollama" ? settings.contextSize : contextSize;
        const warmup = opts.warmup ?? suite.warmup;
        const reps = opts.reps ?? suite.reps;
        for (const step of httpTestSteps(suite.tests, opts.concurrency)) {
          const test = step.kind === "single" ? step.test : step.plan.test;
          if (test.kind === "sustained") {
            // A server's own batching and queueing sit between us and the decodes; left out rather than measured loosely.
            progress.line(`  - ${test.name}: not run over HTTP (sustained tests need the local runtime)`);
            continue;
          }
          progress.status(`  ${test.name} …`);
          thermal.start();
          const out =
            step.kind === "single"
              ? await measureHttpTest(test, { client, prompts, tokenizer, chatPrompt: suite.chatPrompt, contextSize: testContext, warmup, reps })
              : await measureConcurrentTest(step.plan, {
                  client,
                  prompts,
                  tokenizer,
                  contextSize: testContext,
                  warmup,
                  reps,
                  testTimeoutMs: opts.testTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
                });
          const thermalFacts = thermal.stop();
          const result = out.test;
          if (thermalFacts) result.thermal = thermalFacts;
          if (result.status === "ok" && power.meters.length) {
            await power.settle();
            result.energy = power.testEnergy(out.windows);
          }
          run.tests.push(result);
          progress.line(
            `  ${result.status === "ok" ? "✓" : "✗"} ${result.name}${result.status === "ok" ? ` ${summary(result)}` : `: ${result.error}`}`,
          );
          for (const note of out.notes) progress.line(`    note: ${note}`);
        }
        if (accuracyTasks > 0) {
          run.accuracy = await measureHttpAccuracy({
            api: spec.api,
            target: { baseUrl: spec.baseUrl, model: model.name, requestTimeoutMs: opts.requestTimeoutMs },
            llamaServer: Boolean(server.llamaCppBuild),
            suite,
            tasks: accuracyTasks,
            progress,
          });
        }
      } finally {
        thermal.stop();
        await tokenizer?.dispose();
      }
      markRunFailures(run);
      runs.push(run);
    }
  } finally {
    thermal.stop();
    await power.close();
  }

  const document = assembleDocument({ suite, system, runtime, power, runs, fleet: opts.fleet });
  return { document, failedRuns: runs.filter((r) => r.status === "failed").length };
}
