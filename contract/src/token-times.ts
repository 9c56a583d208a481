/**
 * A long generation's token times, kept as a histogram: the sustained test
 * decodes thousands of tokens (a 600 s run on a fast board, tens of
 * thousands), too many to keep one by one, and its inter-token percentiles
 * need only their distribution. Buckets are log-spaced and fixed here, so
 * every document's counts mean the same thing and a percentile is known to
 * within one bucket (5 %); the slowest token is kept exactly.
 */

/** Upper edge of the first bucket: 100 µs (no decode is faster). */
export const TOKEN_TIME_FIRST_EDGE_NS = 100_000;
/** Each bucket's upper edge is this times the previous one's. */
export const TOKEN_TIME_BUCKET_RATIO = 1.05;
/** Up to 100 s a token: 285 buckets (the last also takes anything slower). */
export const TOKEN_TIME_BUCKETS = Math.ceil(Math.log(1e11 / TOKEN_TIME_FIRST_EDGE_NS) / Math.log(TOKEN_TIME_BUCKET_RATIO)) + 1;

/** The bucket a token's time falls in. */
export function tokenTimeBucket(ns: number): number {
  if (ns <= TOKEN_TIME_FIRST_EDGE_NS) return 0;
  const k = Math.ceil(Math.log(ns / TOKEN_TIME_FIRST_EDGE_NS) / Math.log(TOKEN_TIME_BUCKET_RATIO) - 1e-9);
  return Math.min(k, TOKEN_TIME_BUCKETS - 1);
}

/** Upper edge of bucket k, ns. */
export function tokenTimeEdgeNs(k: number): number {
  return TOKEN_TIME_FIRST_EDGE_NS * TOKEN_TIME_BUCKET_RATIO ** k;
}

/** Builds the histogram of token times (ns). */
export function tokenTimeHistogram(times: readonly number[]): { counts: number[]; maxNs: number } {
  const counts = new Array<number>(TOKEN_TIME_BUCKETS).fill(0);
  let maxNs = 0;
  for (const t of times) {
    counts[tokenTimeBucket(t)]!++;
    if (t > maxNs) maxNs = t;
  }
  return { counts, maxNs };
}

/**
 * Nearest-rank percentile p (0-100) of a histogram, as the upper edge of the
 * bucket holding that rank (so never below the true value, at most 5 % over
 * it), and never above the slowest token; null for an empty histogram.
 */
export function histogramPercentileNs(h: { counts: readonly number[]; maxNs: number }, p: number): number | null {
  const n = h.counts.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  let seen = 0;
  for (let k = 0; k < h.counts.length; k++) {
    seen += h.counts[k]!;
    if (seen >= rank) return Math.min(tokenTimeEdgeNs(k), h.maxNs);
  }
  return h.maxNs;
}
