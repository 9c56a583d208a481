/** `edgebench detect`: what this machine is, as the result document will record it (the envelope included, from edgebench config). */
import { Command, Option } from "commander";
import { type Config, loadConfig } from "../../config.js";
import { BACKEND_CHOICES, type BackendChoice, describeBinaries, describeLlama, detectSystem, type LlamaInfo, loadLlama } from "../../detect/index.js";
import { declaredEnvelope } from "../../identity/index.js";
import { ThermalSampler } from "../../runner/thermal.js";
import { formatEnvelope } from "../options.js";

export interface DetectOptions {
  backend: BackendChoice;
  llama: boolean;
  json?: boolean;
}

export async function detectAction(opts: DetectOptions, config: Config = loadConfig()): Promise<string> {
  let llama: LlamaInfo | undefined;
  let llamaError: string | undefined;
  if (opts.llama) {
    try {
      llama = await describeLlama(await loadLlama(opts.backend));
    } catch (err) {
      llamaError = (err as Error).message;
    }
  }
  // The envelope a run would declare with no --envelope: the one in edgebench config, if any.
  const { envelope } = await declaredEnvelope(undefined, config.home);
  const { system, piRevision, sources } = detectSystem(config, { llama, envelope });
  const thermal = new ThermalSampler(config);
  if (opts.json) return `${JSON.stringify({ system, llama, llamaError, piRevision, sources, thermalSensors: thermal.available }, null, 2)}\n`;
  const gb = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
  const lines = [
    `board        ${system.board.name}${system.board.vendor ? ` (${system.board.vendor})` : ""}  [${system.board.identifiedBy}]`,
    system.soc
      ? `soc          ${system.soc.name ?? "?"}${system.soc.compatible ? `  [${system.soc.compatible.join(", ")}]` : ""}`
      : "soc          not available",
    piRevision
      ? `pi revision  ${piRevision.code}: ${piRevision.model ?? `type 0x${piRevision.type.toString(16)}`}${piRevision.memoryMb ? `, ${piRevision.memoryMb} MB` : ""}`
      : undefined,
    `cpu          ${system.cpu.model} · ${system.cpu.arch} · ${system.cpu.cores} cores / ${system.cpu.threads} threads  [${sources.cpu.cores} / ${sources.cpu.threads}]`,
    `memory       ${gb(system.memory.totalBytes)}  [${sources.memory}]`,
    `os           ${system.os.name} · kernel ${system.os.kernel}${system.os.release ? ` · ${system.os.release}` : ""}`,
    ...(system.accelerators.length
      ? system.accelerators.map(
          (a) => `accelerator  ${a.kind} ${a.name}${a.memoryBytes ? ` (${gb(a.memoryBytes)})` : ""}${a.detectedBy ? `  [${a.detectedBy}]` : ""}`,
        )
      : ["accelerator  none found"]),
    llama
      ? `llama.cpp    ${describeBinaries(llama)} via node-llama-cpp ${llama.version} · backend ${llama.backend}`
      : `llama.cpp    ${llamaError ? `not loaded: ${llamaError}` : "not probed (--no-llama)"}`,
    system.envelope
      ? `envelope     ${formatEnvelope(system.envelope)} mm  [${system.envelope.note}; --envelope on run/import overrides it]`
      : "envelope     not declared (edgebench config set envelope WxDxH, or --envelope on run/import)",
    `thermal      ${thermal.available ? "thermal zones / cpufreq readable" : "no thermal zones or cpufreq exposed (not measured)"}`,
  ];
  return `${lines.filter(Boolean).join("\n")}\n`;
}

export function detectCommand(): Command {
  return new Command("detect")
    .description("print the board, SoC, CPU, memory, OS, accelerators and llama.cpp backend found here")
    .addOption(new Option("--backend <name>", "llama.cpp backend to probe").choices(BACKEND_CHOICES).default("auto"))
    .option("--no-llama", "do not load node-llama-cpp (no GPU or llama.cpp facts)")
    .option("--json", "machine-readable output")
    .action(async (opts: DetectOptions) => {
      process.stdout.write(await detectAction(opts));
    });
}
