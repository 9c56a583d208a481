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

/** Median absolute deviation from the median (unscaled); NaN for none. */
export function medianAbsoluteDeviation(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m)));
}

/**
 * The outlier rule within a configuration, written once: Iglewicz and
 * Hoaglin's modified z-score, M = 0.6745 × (x − median) / MAD, over the
 * values of every run of the configuration that measured the metric; a run is
 * an outlier when |M| > 3.5 (B. Iglewicz and D. C. Hoaglin, "How to Detect and
 * Handle Outliers", ASQC Basic References in Quality Control vol. 16, 1993,
 * section 3.3). 0.6745 is the 0.75 quantile of the standard normal, so
 * MAD / 0.6745 (= 1.4826 × MAD) estimates the standard deviation of normal
 * data: the rule is |x − median| > 3.5 × 1.4826 × MAD, to four digits.
 */
export const OUTLIER_RULE = {
  /** The normal's 0.75 quantile that scales the MAD (Iglewicz and Hoaglin). */
  madScale: 0.6745,
  /** |M| above this marks an outlier. */
  threshold: 3.5,
  /** Fewer runs than this with the metric: nothing is marked (a median of four says little). */
  minRuns: 5,
  text: "modified z-score 0.6745 × (x − median) / MAD beyond ±3.5 over the configuration's runs, once it has 5 or more (Iglewicz & Hoaglin 1993)",
} as const;

export interface OutlierScore {
  median: number;
  /** Unscaled median absolute deviation of the values. */
  mad: number;
  /** The modified z-score of x (signed: below the median is negative). */
  score: number;
}

/**
 * x's modified z-score among `values` (the configuration's runs, x's own
 * included when it counts there), or null when the rule does not apply:
 * fewer than OUTLIER_RULE.minRuns values, or a MAD of 0 (more than half the
 * values equal: there is no spread to measure a distance in).
 */
export function outlierScore(values: readonly number[], x: number): OutlierScore | null {
  if (values.length < OUTLIER_RULE.minRuns) return null;
  const m = median(values);
  const mad = medianAbsoluteDeviation(values);
  if (!(mad > 0)) return null;
  return { median: m, mad, score: (OUTLIER_RULE.madScale * (x - m)) / mad };
}

/** Whether a score marks an outlier under OUTLIER_RULE. */
export function isOutlier(s: OutlierScore | null): boolean {
  return s !== null && Math.abs(s.score) > OUTLIER_RULE.threshold;
}
