/**
 * `edgebench run`: run the suite on this machine and produce a result document.
 * The handler only turns flags into RunOptions; runBenchmark() does the work,
 * then the document goes to --out / --json and, unless --no-submit, to
 * deliver() (sign, outbox, send) from the submit module. The exit code says
 * what happened (exit-codes.ts): failed model runs, a result left queued.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { COOLING, type Envelope, LIMITS, SUSTAINED_RANKED_SECONDS } from "@edgebench/contract";
import { Command, InvalidArgumentError, Option } from "commander";
import { type Config, loadConfig } from "../../config.js";
import { BACKEND_CHOICES, type BackendChoice } from "../../detect/index.js";
import { readUserConfig, resolveEnvelope, type UserConfig } from "../../identity/index.js";
import { METER_PASSWORD_HELP, METER_SPEC_HELP, METER_USER_HELP, parseScope } from "../../power/index.js";
import { DEFAULT_COOLDOWN_SECONDS, MAX_COOLDOWN_SECONDS } from "../../runner/cooldown.js";
import { type RunOptions, type RunResult, runBenchmark } from "../../runner/index.js";
import type { GpuLayers } from "../../runner/protocol.js";
import { DEFAULT_STALL_SECONDS } from "../../runner/resolve.js";
import { addHttpRuntimeOptions, type HttpCliOptions, type HttpRunResult, httpRunOptions, runHttpBenchmark } from "../../runtimes/http/index.js";
import { InvalidDocumentError } from "../../submit/index.js";
import { DEFAULT_SUITE, type Suite } from "../../suite/index.js";
import { deliverDocument } from "../delivery.js";
import { EXIT, EXIT_CODES_HELP } from "../exit-codes.js";
import { checkNamedMeters } from "../meter-check.js";
import { collect, formatEnvelope, gpuLayersList, intList, nonNegative, onOffList, parseEnvelope, positiveInt } from "../options.js";
import { stderrProgress } from "../progress.js";
import { loadSuiteOrExplain } from "../suite-file.js";
import { resultTable } from "../table.js";

/** Idle power baseline before the first test (default 30 s; 0 skips it); only taken when a meter is in use. */
export const DEFAULT_IDLE_SECONDS = 30;

export interface RunCommandOptions extends HttpCliOptions {
  suite: string;
  model?: string[];
  standard?: boolean;
  reps?: number;
  warmup?: number;
  threads?: number[];
  gpuLayers?: GpuLayers[];
  backend: BackendChoice;
  ctx?: number[];
  batch?: number[];
  ubatch?: number[];
  flashAttn?: boolean[];
  perplexity: boolean;
  accuracy: boolean;
  accuracyTasks?: number;
  sustainedSeconds?: number;
  cooldown: number;
  profile: "standard" | "long";
  json?: boolean;
  out?: string;
  submit: boolean;
  offline?: boolean;
  server?: string;
  idleSeconds: number;
  meter?: string[];
  scope?: string;
  meterUser?: string;
  meterPassword?: string;
  boardName?: string;
  envelope?: Envelope;
  cooling?: (typeof COOLING)[number];
  ambient?: number;
  fleet?: string;
  node?: string;
  fleetNodes?: string[];
  download: boolean;
  downloadStall: number;
  allowNoMeter?: boolean;
  submitSynthetic?: boolean;
  verbose?: boolean;
}

/**
 * A cluster run names its node; with --fleet and no --node that is this
 * machine's hostname. A fleet-level run (load driven at the cluster's Service
 * with --runtime) names no node: it lists the nodes behind the Service.
 */
function fleetOf(opts: Pick<RunCommandOptions, "fleet" | "node" | "fleetNodes">): { label?: string; node?: string; nodes?: string[] } | undefined {
  if (opts.fleetNodes) return { label: opts.fleet, nodes: opts.fleetNodes };
  return opts.fleet || opts.node ? { label: opts.fleet, node: opts.node ?? (opts.fleet ? os.hostname() : undefined) } : undefined;
}

/** "a,b,c": node names as declared, each non-empty. */
function nodeList(v: string): string[] {
  const names = v
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  if (names.length === 0 || names.length > 256 || names.some((n) => n.length > 128))
    throw new InvalidArgumentError("a comma-separated list of 1 to 256 node names, each at most 128 characters");
  return names;
}

/** The `long` profile's sustained test: minutes enough for a fanless board or a phone to reach its thermal steady state. */
export const LONG_SUSTAINED_SECONDS = 600;

/** Whole seconds, 0 to 3600 (a document holds at most an hour of 1 s windows). */
function sustainedSeconds(v: string): number {
  const n = Math.floor(nonNegative("--sustained-seconds")(v));
  if (n > LIMITS.maxWindows) throw new InvalidArgumentError(`--sustained-seconds: at most ${LIMITS.maxWindows} (one hour of 1 s windows)`);
  return n;
}

/** --cooldown: the longest wait in seconds, "auto" (the default wait) or 0 (no waits). */
function cooldownSeconds(v: string): number {
  if (v.trim().toLowerCase() === "auto") return DEFAULT_COOLDOWN_SECONDS;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n < 0 || n > MAX_COOLDOWN_SECONDS)
    throw new InvalidArgumentError(`--cooldown takes seconds from 0 to ${MAX_COOLDOWN_SECONDS}, or "auto", got "${v}"`);
  return n;
}

/** A room temperature in °C, -40 to 70. */
function ambientC(v: string): number {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n < -40 || n > 70)
    throw new InvalidArgumentError("--ambient takes a temperature in °C from -40 to 70");
  return n;
}

/** Tasks the accuracy test scores: 0 when skipped or the suite has none; --accuracy-tasks within the subset. */
function accuracyTasks(opts: Pick<RunCommandOptions, "accuracy" | "accuracyTasks">, suite: Suite): number {
  const subset = suite.accuracy?.tasks ?? 0;
  if (!opts.accuracy || subset === 0) return 0;
  if (opts.accuracyTasks !== undefined && opts.accuracyTasks > subset)
    throw new Error(`--accuracy-tasks ${opts.accuracyTasks}: the suite's subset has ${subset} tasks`);
  const n = opts.accuracyTasks ?? subset;
  if (n < subset) process.stderr.write(`accuracy over the first ${n} of ${subset} tasks: a quick check, shown with the result, not ranked\n`);
  return n;
}

/** Writes a file atomically enough for a result: temp file then rename. */
function writeOut(file: string, text: string): void {
  const abs = path.resolve(file);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(`${abs}.tmp`, text);
  fs.renameSync(`${abs}.tmp`, abs);
}

/** Where the board's name comes from: --board-name, then config.json; neither: detection. */
function boardNameOf(flag: string | undefined, stored: string | undefined): string | undefined {
  if (flag) return flag;
  if (stored) process.stderr.write(`board "${stored}" from edgebench config (--board-name overrides it)\n`);
  return stored;
}

/** How to name a board detection could not: the flag for one run, the config for every run. */
export const UNKNOWN_BOARD_HINT =
  'this board was not identified ("unknown board"): name it with --board-name "Maker Model", or once for every run with `edgebench config set boardName "Maker Model"`';

export async function runCommandAction(opts: RunCommandOptions, config: Config = loadConfig()): Promise<number> {
  const suite = loadSuiteOrExplain(opts.suite);
  // Read before the run, so a broken config.json stops it now rather than after the benchmark;
  // not at all when the flags give everything it would be read for.
  const user: UserConfig = opts.envelope && opts.boardName ? {} : await readUserConfig(config.home);
  const { envelope, source: envelopeSource } = resolveEnvelope(opts.envelope, user);
  if (envelope && envelopeSource === "config.json")
    process.stderr.write(`envelope ${formatEnvelope(envelope)} mm from edgebench config (--envelope overrides it)\n`);
  const boardName = boardNameOf(opts.boardName, user.boardName);
  const scope = opts.scope ? parseScope(opts.scope) : undefined;
  const meterPassword = opts.meterPassword ?? config.meterPasswordFromEnv;
  // A meter named with --meter that cannot be opened stops the run here, before anything is measured.
  const meterWarning = await checkNamedMeters({
    config,
    meterSpecs: opts.meter,
    scope,
    meterUser: opts.meterUser,
    meterPassword,
    allowNoMeter: opts.allowNoMeter,
  });
  if (meterWarning) process.stderr.write(`warning: ${meterWarning}\n`);
  const progress = stderrProgress(config.plainProgress);
  const models = [...(opts.model ?? []), ...(opts.standard || !opts.model?.length ? suite.models.map((m) => m.uri) : [])];
  const sustainedSeconds = opts.sustainedSeconds ?? (opts.profile === "long" ? LONG_SUSTAINED_SECONDS : undefined);
  if (sustainedSeconds !== undefined && sustainedSeconds !== 0 && sustainedSeconds !== SUSTAINED_RANKED_SECONDS)
    process.stderr.write(
      `sustained test of ${sustainedSeconds} s: recorded and shown with the result; the leaderboard ranks ${SUSTAINED_RANKED_SECONDS} s runs only\n`,
    );
  const runOptions: RunOptions = {
    config,
    suite,
    models,
    reps: opts.reps,
    warmup: opts.warmup,
    backend: opts.backend,
    sweep: {
      threads: opts.threads,
      gpuLayers: opts.gpuLayers,
      contextSizes: opts.ctx,
      batchSizes: opts.batch,
      ubatchSizes: opts.ubatch,
      flashAttention: opts.flashAttn,
    },
    perplexity: opts.perplexity,
    accuracyTasks: accuracyTasks(opts, suite),
    sustainedSeconds,
    cooldownSeconds: opts.cooldown,
    idleSeconds: opts.idleSeconds,
    meterSpecs: opts.meter,
    scope,
    meterUser: opts.meterUser,
    meterPassword,
    boardName,
    envelope,
    declared: { cooling: opts.cooling, ambientC: opts.ambient },
    fleet: fleetOf(opts),
    download: opts.download,
    downloadStallSeconds: opts.downloadStall,
    progress,
    verbose: opts.verbose,
  };
  let result: RunResult | HttpRunResult;
  try {
    // --runtime: the suite through an HTTP server (runtimes/http), same document.
    result = opts.runtime ? await runHttpBenchmark(httpRunOptions(opts, runOptions)) : await runBenchmark(runOptions);
  } finally {
    progress.end();
  }
  const { document, failedRuns } = result;
  const json = `${JSON.stringify(document, null, 2)}\n`;
  if (opts.out) {
    writeOut(opts.out, json);
    process.stderr.write(`result written to ${path.resolve(opts.out)}\n`);
  }
  // Data on stdout: the document with --json, else the table.
  if (opts.json) {
    process.stdout.write(json);
    process.stderr.write(resultTable(document));
  } else process.stdout.write(resultTable(document));
  if (document.system.board.identifiedBy === "unknown") process.stderr.write(`${UNKNOWN_BOARD_HINT}\n`);

  let exitCode: number = failedRuns ? EXIT.runsFailed : EXIT.ok;
  if (failedRuns) process.stderr.write(`${failedRuns} run(s) failed\n`);
  if (opts.submit) {
    try {
      const delivery = await deliverDocument(document, opts, config);
      for (const line of delivery.lines) process.stderr.write(`${line}\n`);
      exitCode = Math.max(exitCode, delivery.exitCode);
    } catch (err) {
      process.stderr.write(`edgebench: the result was not submitted: ${(err as Error).message}\n`);
      exitCode = Math.max(exitCode, err instanceof InvalidDocumentError ? EXIT.rejected : EXIT.failed);
    }
  }
  return exitCode;
}

export function runCommand(): Command {
  return addHttpRuntimeOptions(new Command("run"))
    .description("run the benchmark suite on this machine (exit codes: see `edgebench --help`)")
    .option("--suite <name|file>", "suite definition", DEFAULT_SUITE)
    .option("-m, --model <path|uri>", "a GGUF file, hf: URI or URL (repeatable); default: the suite's standard models", collect)
    .option("--standard", "also run the suite's standard models when --model is given")
    .option("-r, --reps <n>", "repetitions per test (default: the suite's, 5)", positiveInt("--reps"))
    .option("--warmup <n>", "warm-up repetitions per test (default 1)", (v) => Math.floor(nonNegative("--warmup")(v)))
    .option("-t, --threads <list>", "CPU threads, e.g. 4 or 2,4 (default: physical cores)", intList("--threads"))
    .option("--gpu-layers <list>", 'layers offloaded to the GPU: counts, "max" or "auto" (default max on a GPU backend)', gpuLayersList)
    .addOption(new Option("--backend <name>", "llama.cpp backend").choices(BACKEND_CHOICES).default("auto"))
    .option("-c, --ctx <list>", "context size(s) (default: the suite's, 4096)", intList("--ctx"))
    .option("-b, --batch <list>", "batch size(s) (default 512)", intList("--batch"))
    .option("--ubatch <list>", "micro-batch size; node-llama-cpp ties it to --batch", intList("--ubatch"))
    .option("--flash-attn <list>", "flash attention: on, off or on,off (default off)", onOffList)
    .option("--no-perplexity", "skip the perplexity measurement")
    .option("--no-accuracy", "skip the task accuracy test (HellaSwag)")
    .addOption(
      new Option(
        "--accuracy-tasks <n>",
        "score only the first N tasks of the suite's HellaSwag subset: a quick check, shown with the result, not ranked (default: all of them)",
      )
        .argParser(positiveInt("--accuracy-tasks"))
        .env("EDGEBENCH_ACCURACY_TASKS"),
    )
    .addOption(
      new Option("--sustained-seconds <s>", "length of the sustained test, generation without pause (default: the suite's, 120; 0 skips it)")
        .env("EDGEBENCH_SUSTAINED_SECONDS")
        .argParser(sustainedSeconds),
    )
    .addOption(
      new Option(
        "--cooldown <seconds|auto|0>",
        `before each test, wait up to this long for every thermal zone to be within 2 °C of its reading at the start of the run (auto: ${DEFAULT_COOLDOWN_SECONDS} s; 0: no waits)`,
      )
        .env("EDGEBENCH_COOLDOWN")
        .argParser(cooldownSeconds)
        .default(DEFAULT_COOLDOWN_SECONDS, "auto"),
    )
    .addOption(
      new Option("--profile <name>", `standard, or long: a ${LONG_SUSTAINED_SECONDS} s sustained test (--sustained-seconds overrides)`)
        .choices(["standard", "long"])
        .default("standard"),
    )
    .option("--json", "print the result document (JSON) on stdout; the table goes to stderr")
    .option("-o, --out <file>", "also write the result document to FILE")
    .option("--no-submit", "do not sign or submit; just produce the document")
    .option("--offline", "sign and queue in the outbox without sending (send later with `edgebench submit`)")
    .option("--submit-synthetic", "submit results on models edgebench generated (synth-model, random weights) too; by default they are kept local")
    .option("--server <url>", "registry base URL")
    .option(
      "--idle-seconds <s>",
      "idle power baseline measured after the first model loads, when a meter is in use (0: skip)",
      nonNegative("--idle-seconds"),
      DEFAULT_IDLE_SECONDS,
    )
    .option("--meter <spec>", `power meter (repeatable): ${METER_SPEC_HELP}; one that cannot be opened stops the run`, collect)
    .option("--allow-no-meter", "run even when a meter named with --meter cannot be opened (its energy: not measured)")
    .option("--scope <scope>", "meter scope: wall, board-input, module-input, soc-rails, accelerator, cpu-package")
    .option("--meter-user <user>", METER_USER_HELP)
    .option("--meter-password <password>", METER_PASSWORD_HELP)
    .option("--board-name <name>", "declare the board's name (recorded as declared; default: `edgebench config set boardName`)")
    .option("--envelope <WxDxH>", "declare the board's envelope in mm, e.g. 85x56x20 (default: `edgebench config set envelope`)", parseEnvelope)
    .addOption(new Option("--cooling <kind>", "declare the board's cooling (recorded as declared)").choices([...COOLING]))
    .option("--ambient <celsius>", "declare the room temperature in °C (recorded as declared)", ambientC)
    .option("--fleet <label>", "fleet or site label for cluster runs")
    .option("--node <name>", "node name within the fleet (default with --fleet: this machine's hostname)")
    .addOption(
      new Option(
        "--fleet-nodes <names>",
        "a fleet-level run at the cluster's Service (with --runtime): the nodes behind it, comma-separated, as declared",
      )
        .argParser(nodeList)
        .conflicts("node"),
    )
    .option("--no-download", "never download models; use only files already in the models directory")
    .option(
      "--download-stall <s>",
      "give a model download up after this many seconds without data",
      (v) => positiveInt("--download-stall")(v),
      DEFAULT_STALL_SECONDS,
    )
    .option("--verbose", "show llama.cpp's own messages")
    .addHelpText("after", `\n${EXIT_CODES_HELP}`)
    .action(async (opts: RunCommandOptions) => {
      process.exitCode = await runCommandAction(opts);
    });
}
