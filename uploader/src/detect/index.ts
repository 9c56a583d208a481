/**
 * detect: everything the result document says about the machine, read without
 * root. Each part is a small module tested against fixture trees; the
 * node-llama-cpp part (GPUs, llama.cpp build) is separate so detection of a
 * fixture board never loads native code.
 */
import type { Envelope, System } from "../contract/index.js";
import { detectAccelerators } from "./accelerators.js";
import { detectBoard, detectSoc, piRevisionFromCpuinfo, type PiRevision } from "./board.js";
import { detectCpu } from "./cpu.js";
import { gpuAccelerators, type LlamaInfo } from "./llama.js";
import { detectMemory, detectOs } from "./os.js";
import { readText, type SysConfig } from "./read.js";

export interface DetectOptions {
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
}

export function detectSystem(config: SysConfig, opts: DetectOptions = {}): Detected {
  const cpuinfo = readText(config, "/proc/cpuinfo");
  const board = opts.boardName ? { name: opts.boardName.slice(0, 128), identifiedBy: "declared" as const } : detectBoard(config, cpuinfo);
  const system: System = {
    board,
    soc: detectSoc(config),
    cpu: detectCpu(config, cpuinfo ?? ""),
    memory: detectMemory(config),
    os: detectOs(config),
    accelerators: [...(opts.llama ? gpuAccelerators(opts.llama) : []), ...detectAccelerators(config)].slice(0, 16),
    envelope: opts.envelope,
  };
  if (!system.soc) delete system.soc;
  if (!system.envelope) delete system.envelope;
  return { system, piRevision: piRevisionFromCpuinfo(cpuinfo) };
}

export { detectBoard, detectSoc, decodePiRevision } from "./board.js";
export { detectCpu, parseCpuList } from "./cpu.js";
export { detectOs, detectMemory, parseL4tRelease } from "./os.js";
export { detectAccelerators } from "./accelerators.js";
export { BACKEND_CHOICES, describeLlama, loadLlama, type BackendChoice, type LlamaInfo } from "./llama.js";
