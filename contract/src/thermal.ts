/**
 * Figures read off a test's thermal block, shared by the registry's metrics
 * and the site so both say the same thing about when a board began to hold
 * back and how hot it got.
 */
import type { Thermal } from "./schema.js";

/** Raspberry Pi throttle word: current-state bits 0-3, and the same events as "has occurred" in bits 16-19. */
export const THROTTLE_BITS = {
  underVoltage: 1 << 0,
  armFrequencyCapped: 1 << 1,
  throttled: 1 << 2,
  softTempLimit: 1 << 3,
} as const;

/** The current-state bits that mean the clocks are being held back (under-voltage alone is not). */
export const THROTTLE_NOW_MASK = THROTTLE_BITS.armFrequencyCapped | THROTTLE_BITS.throttled | THROTTLE_BITS.softTempLimit;

/** A cluster counts as held back below this share of the highest clock it had reached in the test. */
export const THROTTLE_FREQ_SHARE = 0.9;

/**
 * Per sample of the test's thermal series, whether the test was throttled
 * then: a firmware throttle bit (frequency capped, throttled, soft
 * temperature limit) set, or a CPU cluster's clock fallen below 90 % of the
 * highest it had reached earlier in the test (the benchmark keeps every core
 * busy, so a loaded cluster that loses its clock is being held back).
 *
 * Measured against the cluster's own peak rather than its listed maximum: a
 * Jetson power mode or a laptop's power plan caps the clock below the
 * listed maximum on purpose (recorded as a condition, not as throttling), and
 * an x86 listed maximum is a one-core boost no all-core load reaches. GPU and
 * NPU clocks are left out: their governors lower them whenever the device
 * idles, as it does in a CPU run. Empty without a series.
 */
export function throttledSamples(thermal: Thermal): boolean[] {
  const s = thermal.series;
  if (!s) return [];
  const clusters = s.clusters ?? [];
  const peaks = clusters.map(() => 0);
  return s.tMs.map((_, i) => {
    let held = ((s.throttleBits?.[i] ?? 0) & THROTTLE_NOW_MASK) !== 0;
    for (const [k, c] of clusters.entries()) {
      const mhz = c.mhz[i];
      if (mhz === undefined) continue;
      if (mhz < THROTTLE_FREQ_SHARE * peaks[k]!) held = true;
      peaks[k] = Math.max(peaks[k]!, mhz);
    }
    return held;
  });
}

/** Whether the test had anything to see throttling by: CPU clocks, or the firmware's throttle flags. */
export function throttleWatched(thermal: Thermal): boolean {
  const s = thermal.series;
  return (s?.clusters?.length ?? 0) > 0 || s?.throttleBits !== undefined;
}

/** Milliseconds from the test's start to its first throttled sample (throttledSamples), or null when never or without a series. */
export function throttleOnsetMs(thermal: Thermal): number | null {
  const i = throttledSamples(thermal).indexOf(true);
  return i < 0 ? null : thermal.series!.tMs[i]!;
}

/** The hottest temperature seen during the test in °C (any zone, any sample), or null when none was read. */
export function peakTempC(thermal: Thermal): number | null {
  const all = [
    ...(thermal.maxTempC !== undefined ? [thermal.maxTempC] : []),
    ...(thermal.series?.maxTempC ?? []),
    ...(thermal.series?.zones ?? []).flatMap((z) => z.c),
  ];
  return all.length ? Math.max(...all) : null;
}
