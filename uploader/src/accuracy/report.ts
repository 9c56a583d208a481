/**
 * What the accuracy test says while it runs and when it ends, the same for
 * the node-llama-cpp runner and the HTTP runtimes.
 */
import { scoreAccuracy } from "@edgebench/contract";

/**
 * A throttled "done/total, about N left" status line: on a slow board this
 * test is the longest of the suite. Returns undefined between updates (at most
 * one a second, and always the last).
 */
export function accuracyTicker(total: number, now: () => number = () => performance.now()): (done: number) => string | undefined {
  const t0 = now();
  let shown = Number.NEGATIVE_INFINITY;
  return (done) => {
    const t = now();
    if (t - shown < 1000 && done < total) return undefined;
    shown = t;
    const leftS = (((t - t0) / done) * (total - done)) / 1000;
    const left = leftS >= 90 ? `${Math.round(leftS / 60)} min` : `${Math.round(leftS)} s`;
    return `  accuracy: ${done}/${total} HellaSwag tasks, about ${left} left …`;
  };
}

/** The closing line: the score as the registry will compute it from these choices (its key is the contract's), shown as a preview. */
export function accuracyResultLine(subset: { id: string; sha256: string }, choices: readonly number[], elapsedMs: number): string {
  const score = scoreAccuracy(subset, choices);
  const figure = score ? `${(score.accuracy * 100).toFixed(1)} ± ${(score.stderr * 100).toFixed(1)} %` : "chosen (no key for this subset)";
  return `  ✓ accuracy ${figure} over ${choices.length} HellaSwag tasks in ${(elapsedMs / 1000).toFixed(0)} s`;
}
