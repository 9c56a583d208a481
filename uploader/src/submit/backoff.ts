/**
 * When to try again. Exponential backoff with "equal jitter": attempt n waits
 * between half and all of min(max, base * 2^(n-1)), so a fleet of boards that
 * lost the network together does not come back in lockstep, yet each one
 * still waits a while. Pure functions: tests drive them with a fake random.
 */
export interface BackoffPolicy {
  /** Attempts per submission per `submit` (the first try included). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-attempt timeout (connect + upload + answer). */
  timeoutMs: number;
  /** A Retry-After longer than this ends the round: the item stays queued for the next submit. */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  timeoutMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** Delay before attempt `attempt + 1`, after `attempt` failures (attempt >= 1). */
export function backoffDelayMs(
  attempt: number,
  policy: Pick<BackoffPolicy, "baseDelayMs" | "maxDelayMs">,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Retry-After (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date.
 * Returns milliseconds from `nowMs`, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
