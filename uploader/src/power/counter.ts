/**
 * Undo wraparound of a cumulative energy counter (power-meters.md, RAPL): if a
 * reading is below the previous one, the counter wrapped once, so
 * delta = e2 - e1 + range. Polling at 10 Hz keeps it from wrapping twice
 * between reads (RAPL wraps after minutes to hours at package power).
 * Without a known range, a decrease is a reset and the reading is refused.
 */
export class Unwrapper {
  private last: number | undefined;
  private offset = 0;

  constructor(
    private readonly range: number | undefined,
    private readonly what: string,
  ) {}

  /** Raw counter value in -> monotonic value out (same unit). */
  next(raw: number): number {
    if (this.last !== undefined && raw < this.last) {
      if (!this.range || this.range <= 0) {
        throw new Error(`${this.what}: counter went backwards (${this.last} -> ${raw}); was the driver reloaded?`);
      }
      this.offset += this.range;
    }
    this.last = raw;
    return raw + this.offset;
  }
}
