import { describe, expect, it } from "vitest";
import { backoffDelayMs, DEFAULT_BACKOFF, parseRetryAfter } from "../../../uploader/src/submit/index.js";

describe("backoff", () => {
  it("doubles from the base up to the cap, jittered between half and all of it", () => {
    const p = { baseDelayMs: 1000, maxDelayMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(n, p, () => 1))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(n, p, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
    expect(backoffDelayMs(3, p, () => 0.5)).toBe(3000);
  });

  it("defaults are bounded: at most five attempts and under a minute of waiting in all", () => {
    const total = [1, 2, 3, 4].reduce((s, n) => s + backoffDelayMs(n, DEFAULT_BACKOFF, () => 1), 0);
    expect(DEFAULT_BACKOFF.maxAttempts).toBe(5);
    expect(total).toBe(15_000);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.UTC(2026, 10, 21, 6, 0, 0);
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter(new Date(now + 12_000).toUTCString(), now)).toBe(12_000);
    expect(parseRetryAfter(new Date(now - 5_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
