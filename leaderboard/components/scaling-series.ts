/**
 * What a scaling chart plots, read from one run's signed tests: the contract's
 * servingCurve (aggregate and per-stream tokens/s, time to first token and
 * inter-token p95 at each concurrency level), plus the levels that did not
 * run and why, so a missing point is explained rather than silently absent.
 */
import { SERVING_GEN_TOKENS, SERVING_PROMPT_TOKENS, type ServingPoint, servingCurve, type TestResult } from "@edgebench/contract";

/** A concurrent test that did not run, e.g. "skipped: needs 1024 tokens of context, the context holds 512". */
export interface NotRunLevel {
  /** Null when the test does not say its level; then only its name identifies it. */
  concurrency: number | null;
  name: string;
  /** The uploader's own words for a skipped level; a failure that is not a skip is marked so. */
  reason: string;
}

export interface ServingScaling {
  points: ServingPoint[];
  notRun: NotRunLevel[];
}

/** A run's scaling curve and its levels that did not run; null when the run has no concurrent test at all. */
export function servingScaling(tests: readonly TestResult[]): ServingScaling | null {
  const concurrent = tests.filter((t) => t.kind === "concurrent");
  if (concurrent.length === 0) return null;
  const points = servingCurve(concurrent);
  const plotted = new Set(points.map((p) => p.concurrency));
  const notRun = concurrent
    .filter((t) => t.status !== "ok" || (t.concurrency !== undefined && !plotted.has(t.concurrency)))
    .map((t) => {
      const error = t.error ?? "no reason given";
      return { concurrency: t.concurrency ?? null, name: t.name, reason: error.startsWith("skipped:") ? error : `failed: ${error}` };
    });
  return { points, notRun };
}

/** Every level to put on the x axis: the plotted ones and those that did not run, ascending. */
export function scalingLevels(scalings: readonly ServingScaling[]): number[] {
  const levels = new Set<number>();
  for (const s of scalings) {
    for (const p of s.points) levels.add(p.concurrency);
    for (const n of s.notRun) if (n.concurrency !== null) levels.add(n.concurrency);
  }
  return [...levels].sort((a, b) => a - b);
}

/** One figure of a point at each level (null where the run has no point, or the point lacks that figure). */
export function atLevels(scaling: ServingScaling, levels: readonly number[], pick: (p: ServingPoint) => number | null): (number | null)[] {
  return levels.map((c) => {
    // A run may hold two tests at one level (the ranked shape and another): the ranked one is the level's point.
    const at = scaling.points.filter((p) => p.concurrency === c);
    const p = at.find((q) => q.ranked) ?? at[0];
    return p ? pick(p) : null;
  });
}

/** What the data table says at each level with no point: why it did not run, when the run says. */
export function notesAtLevels(scaling: ServingScaling, levels: readonly number[]): (string | null)[] {
  return levels.map((c) => scaling.notRun.find((n) => n.concurrency === c)?.reason ?? null);
}

/** Sentences for the caption: levels that did not run and why, levels that ran another shape than the ranked one. */
export function scalingRemarks(scaling: ServingScaling, who = ""): string[] {
  const prefix = who ? `${who}: ` : "";
  const levelOf = who ? `${who}, ` : "";
  const other = scaling.points.filter((p) => !p.ranked).map((p) => p.concurrency);
  return [
    ...scaling.notRun.filter((n) => n.concurrency !== null).map((n) => `${levelOf}${n.concurrency} streams: ${n.reason}`),
    ...(other.length
      ? [
          `${prefix}${other.length === 1 ? "level" : "levels"} ${other.join(", ")} ran another shape than the ranked ${SERVING_PROMPT_TOKENS} + ${SERVING_GEN_TOKENS} tokens per stream: shown, not ranked.`,
        ]
      : []),
    ...scaling.notRun.filter((n) => n.concurrency === null).map((n) => `${prefix}${n.name}: ${n.reason}`),
  ];
}
