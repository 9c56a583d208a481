/**
 * The pause before each test: the board cools back towards where it was when
 * the run started, so a test does not inherit the heat of the one before it
 * (a sustained test leaves a fanless board tens of degrees hotter, and the next
 * pp512 would then be measured throttled). Every thermal zone is compared with
 * its own reading at the start of the run (the baseline); the wait ends when
 * each is within COOLDOWN_TOLERANCE_C of it, or at the maximum wait.
 *
 * A board without readable thermal zones waits nothing and records nothing:
 * there is no temperature to wait for, and a made-up figure would read as measured.
 */
import type { Cooldown } from "@edgebench/contract";
import type { SysConfig } from "../detect/read.js";
import { findThermalZones, readZoneC } from "../detect/thermal-zones.js";

/** How far above its baseline a zone may still be when the next test starts. */
export const COOLDOWN_TOLERANCE_C = 2;
/** The longest wait before a test unless --cooldown says otherwise. */
export const DEFAULT_COOLDOWN_SECONDS = 60;
/** The longest wait --cooldown accepts: half an hour is far past any board's cooling, and keeps the record well inside the contract's bound. */
export const MAX_COOLDOWN_SECONDS = 1800;
/** Thermal zones update about once a second on most boards; polling faster sees the same value. */
export const COOLDOWN_POLL_MS = 1000;

/** Time source and pause, injectable so tests run the wait without waiting. */
export interface CooldownClock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: CooldownClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** °C of every thermal zone that can be read now, by zone directory (thermal_zoneN). */
export function readZoneTemps(config: SysConfig): Map<string, number> {
  const out = new Map<string, number>();
  for (const z of findThermalZones(config)) {
    const c = readZoneC(config, z);
    if (c !== undefined) out.set(z.dir, c);
  }
  return out;
}

const hottest = (temps: Map<string, number>) => (temps.size ? Math.max(...temps.values()) : undefined);
const tenth = (c: number) => Math.round(c * 10) / 10;

export interface CooldownOptions {
  /** Longest wait in seconds; 0 turns the cooldown off. */
  maxSeconds: number;
  clock?: CooldownClock;
  pollMs?: number;
}

export class BoardCooldown {
  private baseline = new Map<string, number>();
  private readonly maxWaitMs: number;
  private readonly clock: CooldownClock;
  private readonly pollMs: number;

  constructor(
    private readonly config: SysConfig,
    opts: CooldownOptions,
  ) {
    this.maxWaitMs = Math.min(Math.max(0, opts.maxSeconds), MAX_COOLDOWN_SECONDS) * 1000;
    this.clock = opts.clock ?? realClock;
    this.pollMs = opts.pollMs ?? COOLDOWN_POLL_MS;
  }

  /** Reads every zone once: the temperatures later waits aim for. Call before the first model loads. */
  takeBaseline(): void {
    this.baseline = this.maxWaitMs > 0 ? readZoneTemps(this.config) : new Map();
  }

  /** Whether waits happen at all: turned on, and zones were readable at the baseline. */
  get active(): boolean {
    return this.maxWaitMs > 0 && this.baseline.size > 0;
  }

  /**
   * Polls until every zone is within the tolerance of its baseline or the
   * maximum wait has passed. Undefined when nothing could be compared (off,
   * no zones): not measured. A zone cooler than its baseline counts as cooled.
   */
  async wait(): Promise<Cooldown | undefined> {
    if (!this.active) return undefined;
    const t0 = this.clock.now();
    let temps = this.compared();
    if (temps.size === 0) return undefined;
    const startC = hottest(temps)!;
    for (;;) {
      const reached = temps.size > 0 && [...temps].every(([zone, c]) => c <= this.baseline.get(zone)! + COOLDOWN_TOLERANCE_C);
      const waited = this.clock.now() - t0;
      // No zone readable any more: nothing left to wait for, and the end temperature is unknown.
      if (reached || waited >= this.maxWaitMs || temps.size === 0) {
        const endC = hottest(temps);
        return {
          waitedMs: Math.round(waited),
          reached,
          baselineC: tenth(hottest(this.baseline)!),
          startC: tenth(startC),
          ...(endC !== undefined ? { endC: tenth(endC) } : {}),
        };
      }
      await this.clock.sleep(Math.min(this.pollMs, this.maxWaitMs - waited));
      temps = this.compared();
    }
  }

  /** Current readings of the zones that have a baseline (a zone that appeared since has nothing to compare with). */
  private compared(): Map<string, number> {
    const now = readZoneTemps(this.config);
    for (const zone of now.keys()) if (!this.baseline.has(zone)) now.delete(zone);
    return now;
  }
}
