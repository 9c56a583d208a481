/**
 * The uploader's power layer: find meters, sample them beside the benchmark,
 * and turn the samples into energy per test with scope and quality recorded.
 *
 *   const power = await openPowerSession({ meterSpecs: ["auto"], config });
 *   await power.measureIdle(30);                 // after model load, before the first test
 *   ... run a test, collecting [startNs, endNs] per repetition on process.hrtime.bigint() ...
 *   await power.settle(reps.at(-1)?.endNs);      // optional: a reading past the end from slow meters
 *   test.energy = power.testEnergy(reps);        // one TestEnergy per meter
 *   doc.power = { meters: power.meters, note: power.note };
 *   await power.close();
 */

import { LIMITS, type Meter, type MeterScope, type TestEnergy } from "@edgebench/contract";
import type { Config } from "../config.js";
import { DEFAULT_RATE_HZ, DEFAULT_TIMEOUT_MS, detectCandidates, meterContext } from "./detect.js";
import { PowerError, PowerUsageError, reasonOf } from "./errors.js";
import { MeterChannel } from "./sampler.js";
import { rankScope } from "./scope.js";
import { channelIdle, channelTestEnergy, meterEntry, type RepWindow } from "./session.js";
import { candidateFor, parseSpec } from "./specs.js";
import type { DetectedMeter, MeterCandidate, MeterSource, PowerScope } from "./types.js";

export { detectMeters } from "./detect.js";
export { PowerError, PowerUsageError } from "./errors.js";
export { parseScope } from "./scope.js";
export { MIN_SAMPLES_PER_REP } from "./session.js";
export { METER_PASSWORD_HELP, METER_SPEC_HELP, METER_USER_HELP, parseSpec } from "./specs.js";
export type { DetectedMeter, PowerScope } from "./types.js";

export interface PowerOptions {
  /** --meter values (see METER_SPEC_HELP); default ["auto"]. */
  meterSpecs?: string[];
  /** --scope: required by cmd: and csv:, overrides the scope of the other named meters. */
  scope?: MeterScope;
  /** Sampling rate, default 10 Hz (smart plugs and USB meters are capped at their own refresh). */
  rateHz?: number;
  config: Config;
  /** Smart plug credentials (Shelly: basic/digest auth, Tasmota: user/password). */
  meterUser?: string;
  meterPassword?: string;
  /** Per-request timeout for HTTP, serial and command meters (ms), default 2000. */
  timeoutMs?: number;
  /**
   * Whether inference runs on a GPU: decides which of accelerator and
   * cpu-package comes first when both are found (default true).
   */
  gpuOffload?: boolean;
  /**
   * Throw when a meter named with --meter cannot be opened, instead of recording why in the
   * note; meters found by "auto" that fail are noted either way (the board may have none).
   */
  strict?: boolean;
}

export interface PowerSession {
  /** Contract Meter entries; index = TestEnergy.meter; meters[0] is primary (widest scope). */
  readonly meters: Meter[];
  /** Why nothing (or less than asked for) was measured. */
  readonly note?: string;
  /** Fills meters[i].idle with the mean power over `seconds` of idling; 0 skips. */
  measureIdle(seconds: number): Promise<void>;
  /** One entry per meter, computed from the buffered samples. */
  testEnergy(reps: Array<{ startNs: bigint; endNs: bigint }>): TestEnergy[];
  /**
   * Wait (at most about two sampling periods) until every working meter has a
   * reading dated at or after afterNs (default: now), so the window that just
   * ended is bracketed by real readings. Pass the last repetition's endNs to
   * skip the wait when a slow meter has already read past it.
   */
  settle(afterNs?: bigint): Promise<void>;
  close(): Promise<void>;
}

class Session implements PowerSession {
  readonly meters: Meter[];
  private readonly notes: string[];
  private closed = false;

  constructor(
    private readonly channels: MeterChannel[],
    notes: string[],
  ) {
    this.notes = notes;
    this.meters = channels.map((ch) => meterEntry(ch.source, ch.source.ownRate ? undefined : ch.rateHz));
  }

  get note(): string | undefined {
    const text = this.notes.join(" ").trim();
    return text ? text.slice(0, LIMITS.longText) : undefined;
  }

  async measureIdle(seconds: number): Promise<void> {
    if (!(seconds > 0) || this.channels.length === 0) return;
    const origin = this.channels[0]!.origin;
    const a = Number(process.hrtime.bigint() - origin);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const b = Number(process.hrtime.bigint() - origin);
    await this.settle();
    this.channels.forEach((ch, i) => {
      ch.syncRead();
      const idle = channelIdle(ch, a, b);
      if (typeof idle === "string") this.notes.push(`Idle baseline not measured for meter ${i} (${ch.source.kind}): ${idle}.`);
      else this.meters[i]!.idle = idle;
    });
  }

  testEnergy(reps: RepWindow[]): TestEnergy[] {
    return this.channels.map((ch, i) => {
      ch.syncRead();
      return channelTestEnergy(ch, i, reps);
    });
  }

  async settle(afterNs?: bigint): Promise<void> {
    await Promise.all(
      this.channels.map((ch) => {
        const after = afterNs === undefined ? ch.now() : Number(afterNs - ch.origin);
        return ch.waitForReading(after, Math.min((2.5 * ch.expectedIntervalNs()) / 1e6 + 200, 5000));
      }),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.channels.map((ch) => ch.stop().catch(() => undefined)));
  }
}

function describe(c: DetectedMeter): string {
  return `${c.spec} (${c.scope})`;
}

export async function openPowerSession(opts: PowerOptions): Promise<PowerSession> {
  const rateHz = opts.rateHz ?? DEFAULT_RATE_HZ;
  if (!(rateHz > 0 && rateHz <= 1000)) throw new PowerUsageError(`sampling rate ${rateHz} Hz is out of range (0 < rate <= 1000)`);
  if (opts.scope === "none") throw new PowerUsageError(`--scope none is not a meter scope`);
  const specs = opts.meterSpecs?.length ? opts.meterSpecs : ["auto"];
  const parsed = specs.map(parseSpec); // bad input fails here, before anything is opened
  const ctx = meterContext(opts.config, {
    rateHz,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    scope: opts.scope as PowerScope | undefined,
    user: opts.meterUser,
    password: opts.meterPassword,
  });
  const gpuOffload = opts.gpuOffload ?? true;
  const notes: string[] = [];
  const chosen: MeterCandidate[] = [];
  const seen = new Set<string>();
  const named = new Set<string>(); // specs given with --meter
  const add = (c: MeterCandidate) => {
    if (seen.has(c.spec)) return;
    seen.add(c.spec);
    chosen.push(c);
  };

  for (const p of parsed) {
    if (p.kind === "auto") {
      const found = await detectCandidates(ctx, gpuOffload);
      for (const c of found) {
        if (c.available) add(c);
        else notes.push(`${describe(c)} not used: ${c.reason}`);
      }
      continue;
    }
    try {
      const c = await candidateFor(ctx, p);
      if (!c.available) throw new PowerError(c.reason ?? `${c.spec} is not available`);
      named.add(c.spec);
      add(c);
    } catch (err) {
      if (err instanceof PowerUsageError) throw err;
      const why = `--meter ${p.kind}${p.arg ? `:${p.arg}` : ""} could not be opened: ${reasonOf(err)}`;
      if (opts.strict) throw new PowerError(why, { cause: err });
      notes.push(`${why}.`);
    }
  }

  chosen.sort((a, b) => rankScope(a.scope, gpuOffload) - rankScope(b.scope, gpuOffload));
  if (chosen.length > LIMITS.maxMeters) {
    notes.push(`Only the first ${LIMITS.maxMeters} meters are recorded; left out: ${chosen.slice(LIMITS.maxMeters).map(describe).join(", ")}.`);
    chosen.length = LIMITS.maxMeters;
  }

  const origin = process.hrtime.bigint();
  const channels: MeterChannel[] = [];
  for (const c of chosen) {
    let source: MeterSource;
    try {
      source = await c.open();
    } catch (err) {
      const why = `${named.has(c.spec) ? "--meter " : ""}${describe(c)} could not be opened: ${reasonOf(err)}`;
      if (opts.strict && named.has(c.spec)) {
        await Promise.all(channels.map((ch) => ch.stop()));
        throw new PowerError(why, { cause: err });
      }
      notes.push(`${why}.`);
      continue;
    }
    const rate = Math.min(rateHz, source.maxRateHz ?? Infinity);
    channels.push(new MeterChannel(source, origin, rate));
  }
  if (channels.length === 0) {
    notes.unshift(
      parsed.some((p) => p.kind === "auto")
        ? 'Energy not measured: no usable power meter was found on this machine (name one with --meter, e.g. shelly:HOST, um25c:/dev/rfcomm0, cmd:"..." --scope ...).'
        : "Energy not measured: none of the named meters could be used.",
    );
  }
  for (const ch of channels) ch.start();
  return new Session(channels, notes);
}
