/**
 * Background sampling of one meter. Polled meters are read on a timer at the
 * requested rate with at most one read in flight: a slow read (vcgencmd
 * ~23 ms, an HTTP plug, a serial frame) skips the slots it overran instead of
 * queueing reads behind it, and the achieved rate is what gets recorded.
 * Stream meters push their own readings. Every reading lands in a
 * ReadingBuffer on the session's monotonic clock.
 *
 * Failures: a meter is "down" after 3 failed reads in a row (at once when a
 * stream source says it stopped) until it reads again; a test window that
 * touches a down period is "unavailable" with the reason.
 */
import { ReadingBuffer } from "./buffer.js";
import { reasonOf } from "./errors.js";
import type { MeterSource, ReadingSink } from "./types.js";

const FAILURES_TO_DOWN = 3;

export interface DownPeriod {
  fromNs: number;
  toNs?: number;
  reason: string;
}

export class MeterChannel {
  readonly buffer = new ReadingBuffer();
  readonly downs: DownPeriod[] = [];
  readonly periodMs: number;
  lastError: string | undefined;
  errors = 0;
  /** Timer slots skipped because the previous read was still in flight. */
  skipped = 0;
  outOfOrder = 0;
  private failuresInRow = 0;
  private firstFailureNs = 0;
  private inFlight = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private waiters: Array<{ afterNs: number; resolve: () => void }> = [];
  private startedNs = 0;

  constructor(
    readonly source: MeterSource,
    readonly origin: bigint,
    /** Requested rate (Hz), already capped by the meter's own maximum. */
    readonly rateHz: number,
  ) {
    this.periodMs = 1000 / rateHz;
  }

  /** ns since the session origin. */
  now(): number {
    return Number(process.hrtime.bigint() - this.origin);
  }

  start(): void {
    this.startedNs = this.now();
    const src = this.source;
    if (src.mode === "stream") {
      const sink: ReadingSink = {
        reading: (t, v) => this.accept(Number(t - this.origin), v),
        error: (err, t, fatal) => this.fail(err, Number(t - this.origin), fatal),
      };
      src.start(sink);
      return;
    }
    const startMs = performance.now();
    let slot = 0;
    const tick = () => {
      if (this.stopped) return;
      void this.pollOnce().finally(() => {
        if (this.stopped) return;
        // Next slot on the fixed grid (no drift). Slots overrun by a slow read are
        // skipped, not queued; counting from the slot just served keeps a timer
        // that fires a fraction of a ms early from serving the same slot twice.
        const elapsed = performance.now() - startMs;
        const next = Math.max(slot + 1, Math.floor(elapsed / this.periodMs) + 1);
        this.skipped += next - slot - 1;
        slot = next;
        this.timer = setTimeout(tick, Math.max(0, slot * this.periodMs - elapsed));
        this.timer.unref();
      });
    };
    tick();
  }

  private async pollOnce(): Promise<void> {
    const src = this.source;
    if (src.mode !== "poll" || this.inFlight) return;
    this.inFlight = true;
    const t0 = this.now();
    try {
      const v = await src.read();
      // A read is dated at its midpoint: sysfs reads take microseconds, an HTTP read tens of ms.
      this.accept((t0 + this.now()) / 2, v);
    } catch (err) {
      this.fail(err, t0);
    } finally {
      this.inFlight = false;
    }
  }

  /** A synchronous read now (cheap sysfs meters), so a window that just ended is bracketed. */
  syncRead(): void {
    const src = this.source;
    if (this.stopped) return;
    if (src.mode === "stream") {
      src.catchUp?.();
      return;
    }
    // Not while an async read is in flight: its (earlier) value would land after this one.
    if (!src.readSync || this.inFlight) return;
    const t0 = this.now();
    try {
      const v = src.readSync();
      this.accept((t0 + this.now()) / 2, v);
    } catch (err) {
      this.fail(err, t0);
    }
  }

  private accept(tNs: number, value: number): void {
    if (!Number.isFinite(value)) {
      this.fail(new Error(`meter returned ${value}`), tNs);
      return;
    }
    const last = this.buffer.lastT;
    if (last !== undefined && tNs <= last) {
      this.outOfOrder++;
      return;
    }
    this.buffer.push(tNs, value);
    this.failuresInRow = 0;
    const open = this.downs.at(-1);
    if (open && open.toNs === undefined) open.toNs = tNs;
    if (this.waiters.length) {
      this.waiters = this.waiters.filter((w) => {
        if (tNs < w.afterNs) return true;
        w.resolve();
        return false;
      });
    }
  }

  private fail(err: unknown, tNs: number, fatal = false): void {
    this.errors++;
    this.lastError = reasonOf(err);
    if (this.failuresInRow === 0) this.firstFailureNs = tNs;
    this.failuresInRow++;
    const open = this.downs.at(-1);
    const isDown = open !== undefined && open.toNs === undefined;
    if (!isDown && (fatal || this.failuresInRow >= FAILURES_TO_DOWN)) {
      this.downs.push({ fromNs: this.firstFailureNs, reason: this.lastError });
    }
    if (fatal) this.releaseWaiters();
  }

  isDown(): boolean {
    const open = this.downs.at(-1);
    return open !== undefined && open.toNs === undefined;
  }

  /** Resolves at the first reading dated at or after afterNs, or after timeoutMs. */
  waitForReading(afterNs: number, timeoutMs: number): Promise<void> {
    const last = this.buffer.lastT;
    if ((last !== undefined && last >= afterNs) || this.stopped || this.isDown()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        resolve();
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ afterNs, resolve: done });
    });
  }

  private releaseWaiters(): void {
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  /** Readings per second over the whole session so far. */
  overallRateHz(): number | undefined {
    const b = this.buffer;
    if (b.n < 2) return undefined;
    return ((b.n - 1) * 1e9) / (b.t[b.n - 1]! - b.t[0]!);
  }

  /** Interval expected between readings: the requested period, or what the data shows if slower. */
  expectedIntervalNs(): number {
    const r = this.overallRateHz();
    const requested = this.periodMs * 1e6;
    return r ? Math.max(requested, 1e9 / r) : requested;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.releaseWaiters();
    const src = this.source;
    // Let a read in flight finish before closing what it reads from.
    for (let i = 0; i < 50 && this.inFlight; i++) await new Promise((r) => setTimeout(r, 20));
    if (src.mode === "stream") await src.close();
    else await src.close?.();
  }

  get sessionStartNs(): number {
    return this.startedNs;
  }
}
