/**
 * Internal shapes of the power layer. The public result shapes (Meter,
 * TestEnergy, MeterScope) come from the contract; these describe how a meter
 * is found, opened and read.
 */

import type { Meter, MeterScope } from "@edgebench/contract";
import type { Config } from "../config.js";

export type PowerScope = Exclude<MeterScope, "none">;

/** "sampled": the meter reads power in W; "counter": a cumulative energy counter in J. */
export type Method = Meter["method"];

/** What a meter is, as it will be recorded in the result's power.meters. */
export interface MeterInfo {
  kind: string;
  scope: PowerScope;
  method: Method;
  label?: string;
  rails?: string[];
  /**
   * Fastest rate worth polling (Hz): smart plugs refresh about once a second,
   * so polling them faster only repeats values and inflates sample counts.
   */
  maxRateHz?: number;
  /** Readings come at the instrument's own rate (csv:), not at a rate this session requests. */
  ownRate?: boolean;
}

/** A meter read on demand by the sampler's timer: one read in flight at a time. */
export interface PolledSource extends MeterInfo {
  mode: "poll";
  /** W for "sampled"; monotonic J (wraparound already undone) for "counter". */
  read(): Promise<number>;
  /**
   * A synchronous read for cheap sysfs meters, taken when energy is computed so
   * a window that just ended is bracketed by a reading after its end.
   */
  readSync?(): number;
  close?(): Promise<void>;
}

export interface ReadingSink {
  reading(tNs: bigint, value: number): void;
  /** fatal: the source stopped (process exited, file gone) and will not recover by itself. */
  error(err: unknown, tNs: bigint, fatal?: boolean): void;
}

/** A meter that produces timestamped readings on its own (nvidia-smi -lms, an external CSV log). */
export interface StreamSource extends MeterInfo {
  mode: "stream";
  start(sink: ReadingSink): void;
  /** Synchronously pull in what is already available (e.g. new CSV lines). */
  catchUp?(): void;
  close(): Promise<void>;
}

export type MeterSource = PolledSource | StreamSource;

/** Everything a meter needs to be found or opened. */
export interface MeterContext {
  config: Config;
  /** Requested sampling rate (Hz). */
  rateHz: number;
  /** --scope, required by cmd: and csv:, an override elsewhere. */
  scope?: PowerScope;
  /** Credentials for smart plugs (Shelly: basic/digest auth, Tasmota: user/password). */
  user?: string;
  password?: string;
  /** Per-request timeout for HTTP/serial/command meters (ms). */
  timeoutMs: number;
  /** hrtime <-> wall clock pair captured at session start (csv: alignment). */
  clock: { hrNs: bigint; wallMs: number };
}

/** A meter found on this machine, for `edgebench meters` and the auto pick. */
export interface DetectedMeter extends MeterInfo {
  /** What to pass to --meter to use it, e.g. "rapl", "hwmon:ina226", "jetson". */
  spec: string;
  available: boolean;
  /** Why it cannot be used (e.g. RAPL counters readable by root only, with the fix). */
  reason?: string;
}

/** A meter module: finds its meters and opens one from its --meter argument. */
export interface MeterCandidate extends DetectedMeter {
  open(): Promise<MeterSource>;
}
