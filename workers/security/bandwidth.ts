/**
 * Peak DRAM bandwidth per catalogue board, for the generation roofline in
 * plausibility.ts. These are theoretical peaks (bus width x transfer rate),
 * the most generous figure a board could reach; measured bandwidth is lower,
 * so a result above peak x the margin is beyond physical sense, not merely
 * fast. Where a board ships in several memory configurations the fastest is
 * used. Keyed by db/catalogue.ts ids (the catalogue stays the one source of
 * the boards themselves; this file only adds the one figure it lacks).
 *
 * Sources: vendor datasheets / product briefs (memory type, bus width, rate).
 */
import type { Backend } from "@edgebench/contract";

export interface BoardBandwidth {
  /** Peak bytes per second. */
  bytesPerSecond: number;
  /** How the figure was obtained. */
  source: string;
  /**
   * True where every processor that can run the model shares this memory
   * (unified-memory SoCs with no way to attach a discrete GPU): the figure
   * then bounds every backend, not only the CPU.
   */
  unified: boolean;
}

const GB = 1e9;

export const BOARD_BANDWIDTH: Readonly<Record<string, BoardBandwidth>> = {
  // BCM2712 with LPDDR4X-4267 on a 32-bit bus: 4267e6 x 4 B.
  "raspberry-pi-5": { bytesPerSecond: 17.1 * GB, source: "LPDDR4X-4267, 32-bit (Raspberry Pi 5 product brief)", unified: false },
  // BCM2711 with LPDDR4-3200, 32-bit.
  "raspberry-pi-4-model-b": { bytesPerSecond: 12.8 * GB, source: "LPDDR4-3200, 32-bit (Raspberry Pi 4 product brief)", unified: false },
  // Orin Nano 8 GB: 68 GB/s, 102 GB/s in the "Super" mode (128-bit LPDDR5).
  "jetson-orin-nano-devkit": { bytesPerSecond: 102 * GB, source: "NVIDIA Jetson Orin Nano Super datasheet: 102 GB/s", unified: true },
  "jetson-agx-orin-devkit": { bytesPerSecond: 204.8 * GB, source: "NVIDIA Jetson AGX Orin datasheet: 204.8 GB/s", unified: true },
  // RK3588/RK3588S: 64-bit LPDDR4X/LPDDR5, up to LPDDR5-5500 => 44 GB/s.
  "orange-pi-5": { bytesPerSecond: 44 * GB, source: "RK3588S datasheet: 64-bit LPDDR5 up to 5500 MT/s", unified: false },
  "orange-pi-5-plus": { bytesPerSecond: 44 * GB, source: "RK3588 datasheet: 64-bit LPDDR5 up to 5500 MT/s", unified: false },
  "orange-pi-5-max": { bytesPerSecond: 44 * GB, source: "RK3588 datasheet: 64-bit LPDDR5 up to 5500 MT/s", unified: false },
  "radxa-rock-5b": { bytesPerSecond: 44 * GB, source: "RK3588 datasheet: 64-bit LPDDR5 up to 5500 MT/s", unified: false },
  // RK3566: 32-bit LPDDR4 up to 3200 MT/s.
  "radxa-zero-3": { bytesPerSecond: 12.8 * GB, source: "RK3566 datasheet: 32-bit LPDDR4-3200", unified: false },
  // Amlogic A311D / A311D2: LPDDR4X up to 4266 MT/s, 64-bit on the VIM4 (the larger).
  "khadas-vim3-vim4": { bytesPerSecond: 34.1 * GB, source: "A311D2 (VIM4): 64-bit LPDDR4X-4266", unified: false },
  // Celeron N5105: dual-channel LPDDR4-2933.
  "lattepanda-3-delta": { bytesPerSecond: 23.5 * GB, source: "Intel N5105 ARK: LPDDR4x-2933, 2 channels", unified: false },
  // Recent 4x4 NUCs take dual-channel DDR5-4800 (older ones DDR4-3200, 51.2 GB/s).
  "intel-nuc-4x4": { bytesPerSecond: 76.8 * GB, source: "Intel NUC 12/13 Pro: dual-channel DDR5-4800", unified: false },
  // The Mac mini (2024) also ships with the M4 Pro (273 GB/s); the larger bounds both.
  "apple-mac-mini-m4-2024": { bytesPerSecond: 273 * GB, source: "Apple Mac mini (2024) tech specs: M4 120 GB/s, M4 Pro 273 GB/s", unified: true },
};

/**
 * Ceilings when the board is unknown or the model may live in memory the board
 * figure does not describe (a discrete GPU, an NPU with its own DRAM behind an
 * HTTP runtime). Deliberately far above anything an edge device reaches:
 * - CPU: 12-channel DDR5-8800 MRDIMM server sockets, about 845 GB/s; 1 TB/s.
 * - Accelerators: the fastest HBM3e data-centre GPUs, 8 TB/s.
 */
export const CPU_CEILING = 1000 * GB;
export const ACCELERATOR_CEILING = 8000 * GB;

/** The bandwidth that bounds generation for this board and backend, with where it comes from. */
export function bandwidthCeiling(boardId: string, backend: Backend): { bytesPerSecond: number; source: string } {
  const board = BOARD_BANDWIDTH[boardId];
  if (board && (backend === "cpu" || board.unified)) return board;
  if (backend === "cpu") return { bytesPerSecond: CPU_CEILING, source: "CPU ceiling (board not in the bandwidth table)" };
  return { bytesPerSecond: ACCELERATOR_CEILING, source: "accelerator ceiling (model may be in an accelerator's own memory)" };
}
