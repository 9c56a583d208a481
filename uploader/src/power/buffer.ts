/**
 * Readings of one meter in time order: nanoseconds since the session's
 * monotonic origin (a double holds 104 days of ns exactly) and the value (W or J).
 * Typed arrays that double when full: 10 Hz for 10 hours is 360k readings,
 * 5.8 MB, and no per-reading allocation for the GC to chase.
 */
export class ReadingBuffer {
  t: Float64Array;
  v: Float64Array;
  n = 0;

  constructor(capacity = 1024) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
  }

  push(tNs: number, value: number): void {
    if (this.n === this.t.length) {
      const t = new Float64Array(this.n * 2);
      const v = new Float64Array(this.n * 2);
      t.set(this.t);
      v.set(this.v);
      this.t = t;
      this.v = v;
    }
    this.t[this.n] = tNs;
    this.v[this.n] = value;
    this.n++;
  }

  get lastT(): number | undefined {
    return this.n ? this.t[this.n - 1] : undefined;
  }
}
