/**
 * detect: everything the result document says about the machine, read without
 * root. Each part is a small module tested against fixture trees; the
 * node-llama-cpp part (GPUs, llama.cpp build) is separate so detection of a
 * fixture board never loads native code.
 */
import type { Envelope, System } from "@edgebench/contract";
import type { Config } from "../config.js";
import { detectAccelerators } from "./accelerators.js";
import { detectBoard, detectSoc, type PiRevision, piRevisionFromCpuinfo } from "./board.js";
import { type DeclaredConditions, detectConditions } from "./conditions.js";
import { type CpuCountSources, detectCpuFacts } from "./cpu.js";
import { detectJetsonPower } from "./jetson.js";
import { gpuAccelerators, type LlamaInfo } from "./llama.js";
import { detectMemoryFacts, detectOs, type MemorySource } from "./os.js";
import { readText, type SysConfig } from "./read.js";

export interface DetectOptions {
  /** Declared cooling and room temperature (the power source is read here). */
  declared?: DeclaredConditions;
  /** node-llama-cpp's view (GPUs); omit to leave GPUs out. */
  llama?: LlamaInfo;
  /** --board-name: the contributor's own name for the board (identifiedBy "declared"). */
  boardName?: string;
  envelope?: Envelope;
}

export interface Detected {
  system: System;
  /** Extra facts shown by `edgebench detect` that have no place in the document. */
  piRevision?: PiRevision;
  /** How memory and CPU counts were obtained (files, or the kernel through os when they are hidden). */
  sources: { memory: MemorySource; cpu: CpuCountSources };
}

export function detectSystem(config: SysConfig & Pick<Config, "toolPath">, opts: DetectOptions = {}): Detected {
  const cpuinfo = readText(config, "/proc/cpuinfo");
  const cpu = detectCpuFacts(config, cpuinfo ?? "");
  const memory = detectMemoryFacts(config);
  const board = opts.boardName ? { name: opts.boardName.slice(0, 128), identifiedBy: "declared" as const } : detectBoard(config, cpuinfo);
  const system: System = {
    board,
    soc: detectSoc(config),
    cpu: cpu.cpu,
    memory: memory.memory,
    os: detectOs(config),
    accelerators: [...(opts.llama ? gpuAccelerators(opts.llama) : []), ...detectAccelerators(config)].slice(0, 16),
    envelope: opts.envelope,
    conditions: detectConditions(config, opts.declared),
  };
  const jetson = detectJetsonPower(config);
  if (jetson) system.conditions = { ...system.conditions, jetson };
  if (!system.soc) delete system.soc;
  if (!system.envelope) delete system.envelope;
  if (!system.conditions) delete system.conditions;
  return { system, piRevision: piRevisionFromCpuinfo(cpuinfo), sources: { memory: memory.source, cpu: cpu.sources } };
}

export { detectAccelerators } from "./accelerators.js";
export { decodePiRevision, detectBoard, detectSoc } from "./board.js";
export { type DeclaredConditions, detectConditions, detectPowerSource } from "./conditions.js";
export { type CpuCountSources, detectCpu, detectCpuFacts, parseCpuList } from "./cpu.js";
export { BACKEND_CHOICES, type BackendChoice, binariesRecord, describeBinaries, describeLlama, type LlamaInfo, loadLlama } from "./llama.js";
export { detectMemory, detectMemoryFacts, detectOs, type MemorySource, parseL4tRelease } from "./os.js";
