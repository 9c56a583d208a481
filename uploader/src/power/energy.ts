/**
 * Energy over a time window from buffered readings (power-meters.md, "Prefer
 * counters, integrate samples otherwise"). Pure functions, times in ns.
 *
 * - counter: cumulative energy read at sample times; the energy at a window
 *   edge is interpolated linearly between the readings around it (constant
 *   power between two reads), and E = E(end) - E(start).
 * - sampled: power read at sample times, linearly interpolated at the window
 *   edges; E = trapezoid rule over the edges and every sample in between:
 *   sum of (P[i] + P[i-1]) / 2 * (t[i] - t[i-1]).
 *
 * A window edge outside the readings may be extended by at most `holdNs`
 * (about one sampling period): counters at the last known power, sampled
 * meters by holding the nearest reading. Beyond that the window is not covered.
 */
export interface Series {
  t: ArrayLike<number>;
  v: ArrayLike<number>;
  n: number;
}

export type Method = "counter" | "sampled";

/** Index of the last reading at or before x, -1 if none (binary search). */
export function lastAtOrBefore(s: Series, x: number): number {
  let lo = 0;
  let hi = s.n - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (s.t[mid]! <= x) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** Index of the last reading strictly before x, -1 if none. */
export function lastBefore(s: Series, x: number): number {
  let lo = 0;
  let hi = s.n - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (s.t[mid]! < x) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** Readings with a <= t <= b. */
export function countIn(s: Series, a: number, b: number): number {
  if (b < a) return 0;
  return lastAtOrBefore(s, b) - lastBefore(s, a);
}

/**
 * The series' value at x: interpolated between readings, or extrapolated by at
 * most holdNs past either end (see the file comment); null when not covered.
 */
export function valueAt(s: Series, method: Method, x: number, holdNs: number): number | null {
  if (s.n === 0) return null;
  const i = lastAtOrBefore(s, x);
  const t = s.t;
  const v = s.v;
  if (i >= 0 && t[i] === x) return v[i]!;
  if (i >= 0 && i < s.n - 1) {
    const f = (x - t[i]!) / (t[i + 1]! - t[i]!);
    return v[i]! + f * (v[i + 1]! - v[i]!);
  }
  if (i === s.n - 1) {
    // After the last reading.
    if (x - t[i]! > holdNs) return null;
    if (method === "sampled") return v[i]!;
    if (s.n < 2) return null;
    const p = (v[i]! - v[i - 1]!) / (t[i]! - t[i - 1]!);
    return v[i]! + p * (x - t[i]!);
  }
  // Before the first reading.
  if (t[0]! - x > holdNs) return null;
  if (method === "sampled") return v[0]!;
  if (s.n < 2) return null;
  const p = (v[1]! - v[0]!) / (t[1]! - t[0]!);
  return v[0]! - p * (t[0]! - x);
}

export type WindowResult =
  | { ok: true; joules: number; samples: number; peakW: number | null }
  | { ok: false; edge: "start" | "end"; samples: number };

/** Energy in J over [a, b] (ns), the readings inside it and the peak power seen inside it. */
export function windowEnergy(s: Series, method: Method, a: number, b: number, holdNs: number): WindowResult {
  const samples = countIn(s, a, b);
  const va = valueAt(s, method, a, holdNs);
  if (va === null) return { ok: false, edge: "start", samples };
  const vb = valueAt(s, method, b, holdNs);
  if (vb === null) return { ok: false, edge: "end", samples };
  const first = lastAtOrBefore(s, a) + 1; // first reading strictly after a (or at a: counted below)
  const last = lastAtOrBefore(s, b); // last reading at or before b
  if (method === "counter") {
    let peak: number | null = null;
    // Peak power: the steepest interval between consecutive readings inside the window.
    for (let k = Math.max(first, 1); k <= last; k++) {
      const dt = s.t[k]! - s.t[k - 1]!;
      if (dt > 0 && s.t[k - 1]! >= a) peak = Math.max(peak ?? 0, ((s.v[k]! - s.v[k - 1]!) * 1e9) / dt);
    }
    return { ok: true, joules: vb - va, samples, peakW: peak };
  }
  let joules = 0;
  let prevT = a;
  let prevV = va;
  let peak: number | null = null;
  for (let k = first; k <= last; k++) {
    const tk = s.t[k]!;
    const vk = s.v[k]!;
    if (tk <= a) continue;
    joules += ((prevV + vk) / 2) * (tk - prevT);
    prevT = tk;
    prevV = vk;
    peak = Math.max(peak ?? 0, vk);
  }
  if (b > prevT) joules += ((prevV + vb) / 2) * (b - prevT);
  // Readings exactly at a are inside the window for the peak too.
  if (first - 1 >= 0 && s.t[first - 1] === a) peak = Math.max(peak ?? 0, s.v[first - 1]!);
  return { ok: true, joules: joules / 1e9, samples, peakW: peak };
}

/**
 * Power points over [a, b] for the trace: the readings for a sampled meter, the
 * mean power of each interval between consecutive readings (at its midpoint)
 * for a counter.
 */
export function powerPoints(s: Series, method: Method, a: number, b: number): { t: number[]; w: number[] } {
  const t: number[] = [];
  const w: number[] = [];
  const start = Math.max(lastAtOrBefore(s, a), 0);
  const end = lastAtOrBefore(s, b);
  for (let k = start; k <= end; k++) {
    if (method === "sampled") {
      if (s.t[k]! < a) continue;
      t.push(s.t[k]!);
      w.push(s.v[k]!);
    } else if (k > 0 && s.t[k - 1]! >= a) {
      const dt = s.t[k]! - s.t[k - 1]!;
      if (dt <= 0) continue;
      t.push((s.t[k]! + s.t[k - 1]!) / 2);
      w.push(((s.v[k]! - s.v[k - 1]!) * 1e9) / dt);
    }
  }
  return { t, w };
}

/** At most max points: consecutive points averaged in equal-count buckets (keeps the energy shape). */
export function downsample(t: number[], w: number[], max: number): { t: number[]; w: number[] } {
  const n = t.length;
  if (n <= max) return { t, w };
  const ot: number[] = [];
  const ow: number[] = [];
  for (let k = 0; k < max; k++) {
    const i0 = Math.floor((k * n) / max);
    const i1 = Math.floor(((k + 1) * n) / max);
    let st = 0;
    let sw = 0;
    for (let i = i0; i < i1; i++) {
      st += t[i]!;
      sw += w[i]!;
    }
    ot.push(st / (i1 - i0));
    ow.push(sw / (i1 - i0));
  }
  return { t: ot, w: ow };
}
