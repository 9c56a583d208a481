/**
 * Scope order for the automatic pick and for meters[0] (the primary meter):
 * the widest scope measures the most of what the benchmark costs, so it wins.
 */
import { METER_SCOPES } from "@edgebench/contract";
import { PowerUsageError } from "./errors.js";
import type { PowerScope } from "./types.js";

const RANK: Record<PowerScope, number> = {
  wall: 0,
  "board-input": 1,
  "module-input": 2,
  "soc-rails": 3,
  // Equal width; which is primary depends on where inference runs (see rankScope).
  accelerator: 4,
  "cpu-package": 4,
};

/**
 * Rank of a scope, lower is wider. Between accelerator and cpu-package, the one
 * doing the work comes first: the GPU for an offloaded run, the CPU package otherwise.
 */
export function rankScope(scope: PowerScope, gpuOffload = true): number {
  const r = RANK[scope];
  if (r !== 4) return r;
  return scope === (gpuOffload ? "accelerator" : "cpu-package") ? 4 : 4.5;
}

export function parseScope(value: string): PowerScope {
  const s = value.trim();
  if (s !== "none" && (METER_SCOPES as readonly string[]).includes(s)) return s as PowerScope;
  throw new PowerUsageError(`unknown scope "${value}": use one of ${METER_SCOPES.filter((x) => x !== "none").join(", ")}`);
}
