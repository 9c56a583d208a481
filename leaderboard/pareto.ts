/**
 * Pareto membership: a configuration is on the front when no other one is at
 * least as good on every axis and strictly better on one. "Good" is each
 * metric's `better` direction from METRICS, never restated here.
 */
import { METRIC_BY_ID, type MetricId } from "@edgebench/contract";

/** Returns the members of the front among items that have every axis measured. */
export function paretoFront<T>(items: readonly T[], axes: readonly MetricId[], value: (item: T, id: MetricId) => number | undefined): Set<T> {
  // Orient every axis so that larger is better, then drop items missing an axis.
  const sign = axes.map((id) => (METRIC_BY_ID[id].better === "higher" ? 1 : -1));
  const pts: { item: T; v: number[] }[] = [];
  for (const item of items) {
    const v: number[] = [];
    let complete = true;
    axes.forEach((id, i) => {
      const x = value(item, id);
      if (x === undefined || !Number.isFinite(x)) complete = false;
      else v.push(x * sign[i]!);
    });
    if (complete) pts.push({ item, v });
  }
  // Sorted best-first on the first axis (ties broken on the rest), a point can
  // only be dominated by one before it, and only by a front member: O(n * front).
  pts.sort((a, b) => {
    for (let i = 0; i < a.v.length; i++) if (a.v[i] !== b.v[i]) return b.v[i]! - a.v[i]!;
    return 0;
  });
  const front: { item: T; v: number[] }[] = [];
  for (const p of pts) {
    const dominated = front.some((f) => dominates(f.v, p.v));
    if (!dominated) front.push(p);
  }
  return new Set(front.map((f) => f.item));
}

function dominates(a: number[], b: number[]): boolean {
  let strictly = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return false;
    if (a[i]! > b[i]!) strictly = true;
  }
  return strictly;
}
