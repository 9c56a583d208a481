/**
 * The benchmark pipeline, top to bottom:
 *   detect (system, llama.cpp backend) -> plan (settings sweep) -> for each model:
 *   resolve + identify the file -> run the suite in a child process (thermal,
 *   resources and power captured here in the parent around each test) ->
 *   ModelRun objects -> the result document.
 * A model that fails (bad file, llama.cpp abort, OOM kill) becomes a failed run
 * with its reason and the next model still runs; `failedRuns` is the exit code.
 */

import {
  aggregateTps,
  interTokenPercentileMs,
  LIMITS,
  type ModelIdentity,
  type ModelRun,
  msFigure,
  type ResultDocument,
  rateFigure,
  type Settings,
  type TestResult,
} from "@edgebench/contract";
import { accuracyResultLine } from "../accuracy/report.js";
import type { Config } from "../config.js";
import { type BackendChoice, binariesRecord, describeBinaries, describeLlama, detectSystem, type LlamaInfo, loadLlama } from "../detect/index.js";
import { openPowerSession, type PowerSession } from "../power/index.js";
import type { Suite } from "../suite/index.js";
import { BoardCooldown, DEFAULT_COOLDOWN_SECONDS } from "./cooldown.js";
import { assembleDocument, type CaptureOptions, markRunFailures } from "./document.js";
import { checkPin, inspectModel, ModelFileError } from "./model-file.js";
import { type PlannedLoad, planSweep, requestedSettings, type SweepOptions, UsageError } from "./plan.js";
import { silentProgress } from "./progress.js";
import type { ChildJob, ChildMessage, LoadTiming, TestOutcome } from "./protocol.js";
import { resolveModel } from "./resolve.js";
import { runChild } from "./spawn.js";
import { SystemLoad } from "./system-load.js";
import { ThermalSampler } from "./thermal.js";

export interface RunOptions extends CaptureOptions {
  config: Config;
  suite: Suite;
  /** Paths, hf: URIs or URLs; empty: the suite's standard models. */
  models: string[];
  reps?: number;
  warmup?: number;
  backend: BackendChoice;
  /** Sweep lists; threads default to physical cores, the rest to the suite's defaults. */
  sweep: Partial<SweepOptions>;
  perplexity?: boolean;
  /** HellaSwag tasks to score, the first N of the suite's subset (default: all of them; 0 skips the accuracy test). */
  accuracyTasks?: number;
  /** Length of the sustained test in seconds (default: the suite's; 0 leaves it out). */
  sustainedSeconds?: number;
  /** Longest wait before each test for the board to cool (default 60 s; 0: no waits). */
  cooldownSeconds?: number;
  /** Allow hf:/URL models to be downloaded into config.modelsDir. */
  download?: boolean;
  /** Seconds a download may receive nothing before it is given up (default: resolve.ts's). */
  downloadStallSeconds?: number;
  verbose?: boolean;
  /** Bench diagnostics: llama.cpp's own evaluation time per test (not part of the document). */
  llamaTimings?: boolean;
}

export interface TestDiagnostics {
  model: string;
  test: string;
  wallNs: number[];
  llamaEvalMs?: number;
}

export interface RunResult {
  document: ResultDocument;
  failedRuns: number;
  llama: LlamaInfo;
  diagnostics: TestDiagnostics[];
}

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

function failedRun(model: ModelIdentity, settings: Settings, error: string, tests: TestResult[] = []): ModelRun {
  return { model, settings, status: "failed", error: error.slice(0, 1024), tests };
}

const loadFigure = (ms: number | undefined) => (ms !== undefined && ms > 0 && ms <= 3_600_000 ? Math.round(ms * 100) / 100 : undefined);

/** The document's load record for a run of this load; the first-token time belongs to the context point it was measured under. */
function loadRecord(timing: LoadTiming, withFirstToken: boolean): ModelRun["load"] {
  const coldMs = loadFigure(timing.coldMs);
  const warmMs = loadFigure(timing.warmMs);
  const firstTokenMs = withFirstToken ? loadFigure(timing.firstTokenMs) : undefined;
  if (coldMs === undefined && warmMs === undefined) return undefined;
  return {
    ...(coldMs !== undefined ? { coldMs } : {}),
    ...(warmMs !== undefined ? { warmMs } : {}),
    ...(firstTokenMs !== undefined ? { firstTokenMs } : {}),
  };
}

function toTestResult(outcome: TestOutcome, kind: TestResult["kind"]): TestResult {
  const result: TestResult = {
    name: outcome.name,
    kind,
    nPrompt: outcome.nPrompt,
    nGen: outcome.nGen,
    depth: outcome.depth,
    status: outcome.status,
    samplesNs: outcome.windows.map((w) => Math.max(1, Number(w.endNs - w.startNs))),
    timing: "client",
    tokenCounts: "exact",
  };
  if (outcome.sustained) {
    result.windows = { ms: outcome.sustained.windowMs, tokens: outcome.sustained.perWindow };
    result.tokenTimes = outcome.sustained.tokenTimes;
  }
  if (outcome.tokenNs) result.tokenNs = outcome.tokenNs.map((rep) => rep.map((ns) => Math.max(1, Math.round(ns))));
  if (outcome.concurrency !== undefined) result.concurrency = outcome.concurrency;
  if (outcome.slo) result.slo = outcome.slo;
  if (outcome.streams && outcome.status === "ok") result.streams = outcome.streams;
  if (outcome.error) result.error = outcome.error.slice(0, 1024);
  if (outcome.resources) result.resources = outcome.resources;
  return result;
}

export async function runBenchmark(opts: RunOptions): Promise<RunResult> {
  const progress = opts.progress ?? silentProgress;
  const suite = opts.suite;

  // detect
  progress.status(`loading node-llama-cpp (${opts.backend})`);
  const probe = await loadLlama(opts.backend);
  const llama = await describeLlama(probe);
  // The child loads its own; the parent's copy would hold a GPU context (and VRAM) for nothing.
  await probe.dispose();
  const { system } = detectSystem(opts.config, { llama, boardName: opts.boardName, envelope: opts.envelope, declared: opts.declared });
  progress.line(
    `${system.board.name} · ${system.cpu.model} (${system.cpu.cores} cores) · llama.cpp ${describeBinaries(llama)} · backend ${llama.backend}`,
  );

  // plan
  const onGpu = llama.backend !== "cpu";
  if (!onGpu && opts.sweep.gpuLayers?.some((g) => g !== 0))
    progress.line("note: --gpu-layers is ignored on the CPU backend (nothing is offloaded; recorded as 0)");
  const loads: PlannedLoad[] = planSweep({
    threads: opts.sweep.threads?.length ? opts.sweep.threads : [system.cpu.cores],
    gpuLayers: onGpu ? (opts.sweep.gpuLayers?.length ? opts.sweep.gpuLayers : ["max"]) : [0],
    contextSizes: opts.sweep.contextSizes?.length ? opts.sweep.contextSizes : [suite.defaults.contextSize],
    batchSizes: opts.sweep.batchSizes?.length ? opts.sweep.batchSizes : [suite.defaults.batchSize],
    ubatchSizes: opts.sweep.ubatchSizes,
    flashAttention: opts.sweep.flashAttention?.length ? opts.sweep.flashAttention : [suite.defaults.flashAttention],
  });
  const specs = opts.models.length ? opts.models : suite.models.map((m) => m.uri);
  const planned = specs.length * loads.reduce((n, l) => n + l.points.length, 0);
  if (planned > LIMITS.maxRuns)
    throw new UsageError(`${planned} model runs planned; one result document holds at most ${LIMITS.maxRuns} (fewer models or sweep values)`);
  const tests = suite.tests.flatMap((t) =>
    t.kind !== "sustained" ? [t] : opts.sustainedSeconds === 0 ? [] : [{ ...t, seconds: opts.sustainedSeconds ?? t.seconds }],
  );
  const kindOf = new Map(tests.map((t) => [t.name, t.kind]));
  const accuracyTasks = opts.accuracyTasks ?? suite.accuracyTasks?.length ?? 0;

  const power: PowerSession = await openPowerSession({
    config: opts.config,
    meterSpecs: opts.meterSpecs,
    scope: opts.scope,
    meterUser: opts.meterUser,
    meterPassword: opts.meterPassword,
    gpuOffload: onGpu,
  });
  const thermal = new ThermalSampler(opts.config);
  const systemLoad = new SystemLoad(opts.config);
  // The temperatures every later test waits to return to: the board before any model ran.
  const cooldown = new BoardCooldown(opts.config, { maxSeconds: opts.cooldownSeconds ?? DEFAULT_COOLDOWN_SECONDS });
  cooldown.takeBaseline();
  const runs: ModelRun[] = [];
  const diagnostics: TestDiagnostics[] = [];
  // No meter, no baseline: nothing to wait for and nothing to say.
  let idleDone = !(opts.idleSeconds && opts.idleSeconds > 0) || power.meters.length === 0;

  try {
    for (const spec of specs) {
      const fallbackIdentity: ModelIdentity = {
        name: spec.split(/[\\/]/).pop()!.slice(0, 128) || "model",
        quantisation: "unknown",
        source: spec.slice(0, 1024),
      };
      const failAll = (identity: ModelIdentity, error: string) => {
        for (const load of loads) for (const point of load.points) runs.push(failedRun(identity, requestedSettings(load, point), error));
      };

      // resolve + identify (sha256 and GGUF metadata from the file itself)
      let identity: ModelIdentity;
      let file: string;
      try {
        const resolved = await resolveModel(spec, {
          modelsDir: opts.config.modelsDir,
          download: opts.download ?? true,
          stallSeconds: opts.downloadStallSeconds,
          onProgress: (s, done, total) => progress.fraction(`downloading ${s}`, done, total),
        });
        file = resolved.file;
        progress.status(`hashing ${file}`);
        identity = await inspectModel(file, resolved.source);
        checkPin(
          identity,
          file,
          suite.models.find((m) => m.uri === spec),
        );
      } catch (err) {
        const why = errText(err);
        progress.line(`✗ ${spec}: ${why}`);
        failAll(fallbackIdentity, why);
        if (!(err instanceof ModelFileError)) progress.line(`  (${(err as Error).name})`);
        continue;
      }
      progress.line(
        `model ${identity.name} · ${identity.arch ?? "?"} · ${identity.quantisation} · ${identity.parameters ?? "?"} parameters · sha256 ${identity.sha256?.slice(0, 12)}…`,
      );

      // run in a child process
      const slots: Array<Array<ModelRun | undefined>> = loads.map((l) => l.points.map(() => undefined));
      const settingsOf = (load: number, point: number) =>
        slots[load]?.[point]?.settings ?? requestedSettings(loads[load]!, loads[load]!.points[point]!);
      const runAt = (load: number, point: number): ModelRun => {
        const row = slots[load]!;
        row[point] ??= { model: identity, settings: settingsOf(load, point), status: "ok", tests: [] };
        return row[point]!;
      };
      const job: ChildJob = {
        modelPath: file,
        backend: llama.backend,
        loads: loads.map((l) => ({ gpuLayers: l.gpuLayers, points: l.points })),
        tests,
        warmup: opts.warmup ?? suite.warmup,
        reps: opts.reps ?? suite.reps,
        chatPrompt: suite.chatPrompt,
        corpusText: suite.corpusText,
        perplexity: opts.perplexity === false ? undefined : { chunkTokens: suite.perplexity.chunkTokens, maxChunks: suite.perplexity.maxChunks },
        accuracy: accuracyTasks > 0 ? { tasks: suite.accuracyTasks!.slice(0, accuracyTasks) } : undefined,
        waitForGo: !idleDone,
        llamaTimings: Boolean(opts.llamaTimings),
        cooldown: cooldown.active,
      };
      const loadTimings: Array<LoadTiming | undefined> = loads.map(() => undefined);
      let testCooldown: TestResult["cooldown"];
      const onMessage = async (msg: ChildMessage, reply: (m: { type: "go" }) => void) => {
        switch (msg.type) {
          case "loaded":
            loadTimings[msg.load] = msg.timing;
            progress.line(`  loaded ${describeLoad(msg.timing)} (${msg.backend}, ${msg.gpuLayers} GPU layers)`);
            if (job.waitForGo && !idleDone) {
              idleDone = true;
              progress.status(`measuring idle power for ${opts.idleSeconds} s`);
              await power.measureIdle(opts.idleSeconds!);
              reply({ type: "go" });
            }
            return;
          case "point-start": {
            const run = runAt(msg.load, msg.point);
            run.settings = msg.settings;
            progress.line(
              `  threads ${msg.settings.threads} · ctx ${msg.settings.contextSize} · batch ${msg.settings.batchSize} · fa ${msg.settings.flashAttention ? "on" : "off"} · gpu layers ${msg.settings.gpuLayers}`,
            );
            return;
          }
          case "test-start":
            testCooldown = undefined;
            try {
              if (job.cooldown) {
                progress.status(`  cooling down before ${msg.name} …`);
                testCooldown = await cooldown.wait();
                if (testCooldown && testCooldown.waitedMs >= 1000)
                  progress.line(
                    `  cooled ${(testCooldown.waitedMs / 1000).toFixed(0)} s before ${msg.name}: ${testCooldown.startC} → ${testCooldown.endC ?? "?"} °C (start of run ${testCooldown.baselineC} °C${testCooldown.reached ? "" : ", not reached"})`,
                  );
              }
            } finally {
              progress.status(`  ${msg.name} …`);
              thermal.start();
              systemLoad.start();
              // The child waits for this whatever happened here, or it would wait forever.
              if (job.cooldown) reply({ type: "go" });
            }
            return;
          case "test-end": {
            const thermalFacts = thermal.stop();
            const share = systemLoad.stop();
            const test = toTestResult(msg.outcome, kindOf.get(msg.outcome.name) ?? "tg");
            if (thermalFacts) test.thermal = thermalFacts;
            if (share) test.resources = { ...test.resources, ...share };
            if (testCooldown) test.cooldown = testCooldown;
            testCooldown = undefined;
            if (test.status === "ok" && power.meters.length) {
              // Slow meters (smart plugs, 1 Hz) need a reading dated after the last repetition ended.
              await power.settle(msg.outcome.windows.at(-1)?.endNs);
              test.energy = power.testEnergy(msg.outcome.windows);
            }
            runAt(msg.load, msg.point).tests.push(test);
            diagnostics.push({ model: identity.name, test: test.name, wallNs: test.samplesNs, llamaEvalMs: msg.outcome.llamaEvalMs });
            progress.line(`  ${test.status === "ok" ? "✓" : "✗"} ${test.name}${test.status === "ok" ? ` ${summary(test)}` : `: ${test.error}`}`);
            return;
          }
          case "quality":
            if (msg.perplexity !== undefined && msg.tokens) {
              runAt(msg.load, msg.point).quality = {
                perplexity: msg.perplexity,
                tokens: msg.tokens,
                corpus: { id: suite.perplexity.id, sha256: suite.perplexity.sha256 },
              };
              progress.line(`  ✓ perplexity ${msg.perplexity.toFixed(3)} over ${msg.tokens} tokens`);
            } else progress.line(`  ✗ perplexity: ${msg.error}`);
            return;
          case "accuracy": {
            const acc = suite.accuracy!;
            if (msg.choices) {
              runAt(msg.load, msg.point).accuracy = {
                status: "measured",
                benchmark: acc.benchmark,
                subset: { id: acc.id, sha256: acc.sha256 },
                choices: msg.choices,
                elapsedMs: msg.elapsedMs,
              };
              progress.line(accuracyResultLine({ id: acc.id, sha256: acc.sha256 }, msg.choices, msg.elapsedMs ?? 0));
            } else {
              runAt(msg.load, msg.point).accuracy = {
                status: "not-measured",
                benchmark: acc.benchmark,
                reason: (msg.error ?? "unknown").slice(0, 1024),
              };
              progress.line(`  ✗ accuracy: ${msg.error}`);
            }
            return;
          }
          case "status":
            progress.status(msg.line);
            return;
          case "point-failed": {
            const run = runAt(msg.load, msg.point);
            run.status = "failed";
            run.error = msg.error.slice(0, 1024);
            progress.line(`  ✗ ${msg.error}`);
            return;
          }
          case "load-failed":
            for (let p = 0; p < loads[msg.load]!.points.length; p++) {
              const run = runAt(msg.load, p);
              run.status = "failed";
              run.error = msg.error.slice(0, 1024);
            }
            progress.line(`  ✗ ${msg.error}`);
            return;
          case "log":
            progress.line(`  ${msg.line}`);
            return;
          case "done":
            return;
        }
      };
      progress.status(`starting ${identity.name}`);
      const end = await runChild({ job, onMessage, verbose: opts.verbose });
      thermal.stop();
      systemLoad.stop();
      if (end.failure) progress.line(`  ✗ ${end.failure}`);
      slots.forEach((row, l) => {
        row.forEach((_, p) => {
          const run = runAt(l, p);
          const timing = loadTimings[l];
          if (timing) {
            const load = loadRecord(timing, p === 0);
            if (load) run.load = load;
          }
          // A run the child never finished carries the reason the child ended.
          const finished =
            run.status === "failed" ||
            (run.tests.length === tests.length && (job.perplexity === undefined || run.quality !== undefined || !end.failure));
          if (!finished && end.failure) {
            run.status = "failed";
            run.error = end.failure.slice(0, 1024);
          } else {
            markRunFailures(run);
          }
          runs.push(run);
        });
      });
    }
  } finally {
    thermal.stop();
    systemLoad.stop();
    await power.close();
  }

  const document = assembleDocument({
    suite,
    system,
    runtime: {
      name: "node-llama-cpp",
      version: llama.version,
      llamaCppBuild: llama.llamaCppBuild,
      llamaCpp: binariesRecord(llama),
      backend: llama.backend,
    },
    power,
    runs,
    fleet: opts.fleet,
  });
  return { document, failedRuns: runs.filter((r) => r.status === "failed").length, llama, diagnostics };
}

function describeLoad(t: LoadTiming): string {
  const parts: Array<[string, number | undefined]> = [
    ["cold", t.coldMs],
    ["warm", t.warmMs],
    ["first token", t.firstTokenMs],
  ];
  return `in ${parts.flatMap(([what, ms]) => (ms === undefined ? [] : [`${what} ${Math.round(ms)} ms`])).join(", ")}`;
}

function summary(test: TestResult): string {
  if (test.kind === "concurrent") {
    // The serving figures the contract computes (contract/src/serving.ts).
    const agg = aggregateTps(test);
    const itl = interTokenPercentileMs(test, 95);
    if (agg === null) return "";
    const streams = `${test.concurrency} stream${test.concurrency === 1 ? "" : "s"}`;
    return `${agg.toFixed(1)} tokens/s over ${streams}${itl === null ? "" : ` · inter-token p95 ${itl.toFixed(2)} ms`}`;
  }
  // The same figures the contract defines (mean of per-repetition rates, sample stddev).
  const f = test.kind === "ttft" ? msFigure(test) : rateFigure(test);
  if (!f) return "";
  const unit = test.kind === "ttft" ? "ms" : "tokens/s";
  return `${f.value.toFixed(test.kind === "ttft" ? 2 : 1)} ${unit} ± ${((100 * (f.stddev ?? 0)) / f.value).toFixed(1)} %`;
}
