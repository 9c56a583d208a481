/**
 * The memory bandwidth that bounds generation, for the roofline check in
 * plausibility.ts: the catalogue's peak DRAM bandwidth (db/catalogue, each
 * figure with its public source) where the model lives in that memory, else a
 * ceiling far above any edge device.
 *
 * Peaks are theoretical (bus width x transfer rate), the most generous figure a
 * board could reach; measured copy bandwidth on Arm boards is 25-45 % of it,
 * so a result above the peak times the margin is beyond physical sense.
 */
import type { Backend } from "@edgebench/contract";
import { CATALOGUE_BY_ID, SOURCES_BY_ID } from "../../db/catalogue/index.js";

const GB = 1e9;

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
  const board = CATALOGUE_BY_ID.get(boardId);
  const bw = board?.bandwidth;
  // Unified memory (Jetson, Apple) bounds every backend; otherwise the board's DRAM bounds the CPU only.
  if (board && bw && (backend === "cpu" || bw.value.unified)) {
    const cited = bw.sources.map((id) => SOURCES_BY_ID.get(id)?.title ?? id).join("; ");
    return { bytesPerSecond: bw.value.bytesPerSecond, source: `${board.name} peak DRAM bandwidth${bw.unverified ? " (unverified)" : ""}: ${cited}` };
  }
  if (backend === "cpu") return { bytesPerSecond: CPU_CEILING, source: "CPU ceiling (no bandwidth for this board in the catalogue)" };
  return { bytesPerSecond: ACCELERATOR_CEILING, source: "accelerator ceiling (model may be in an accelerator's own memory)" };
}
