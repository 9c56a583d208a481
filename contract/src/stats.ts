/**
 * The statistics every figure is built from, written once: the uploader's
 * console table, the registry's per-run figures and its configuration
 * aggregates all call these.
 */

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (N-1), as llama-bench reports it; 0 for a single value. */
export function sampleStddev(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Nearest-rank percentile (p in 0-100) of unsorted values; NaN for none. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/**
 * The middle value, or the mean of the two middle values for an even count.
 * A typed array sorts numerically in native code: several times faster than a
 * comparator sort on the thousand-run lists the registry aggregates.
 */
export function median(xs: readonly number[]): number {
  const s = Float64Array.from(xs).sort();
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
