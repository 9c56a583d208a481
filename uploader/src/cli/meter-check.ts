/**
 * A meter named with --meter is opened once before anything runs, so one that
 * cannot be opened (a plug out of reach, a serial port in use, a command that
 * fails) stops the run with its reason instead of producing a result whose
 * energy quietly says "not measured". --allow-no-meter turns that into a warning.
 */
import type { MeterScope } from "@edgebench/contract";
import type { Config } from "../config.js";
import { openPowerSession, PowerError, PowerUsageError } from "../power/index.js";

export interface MeterCheckOptions {
  config: Config;
  meterSpecs?: string[];
  scope?: MeterScope;
  meterUser?: string;
  meterPassword?: string;
  /** --allow-no-meter: report the reason and go on (energy "not measured"). */
  allowNoMeter?: boolean;
}

/** Thrown when a named meter cannot be opened and the run must not start. */
export class MeterUnavailableError extends PowerError {
  override name = "MeterUnavailableError";
}

/** Returns the warning to print when a meter could not be opened but the run may go on; throws when it may not. */
export async function checkNamedMeters(opts: MeterCheckOptions): Promise<string | undefined> {
  const named = (opts.meterSpecs ?? []).filter((s) => s.trim().toLowerCase() !== "auto");
  if (named.length === 0) return undefined;
  try {
    const session = await openPowerSession({
      config: opts.config,
      meterSpecs: named,
      scope: opts.scope,
      meterUser: opts.meterUser,
      meterPassword: opts.meterPassword,
      strict: true,
    });
    await session.close();
    return undefined;
  } catch (err) {
    if (err instanceof PowerUsageError || !(err instanceof PowerError)) throw err;
    if (opts.allowNoMeter) return `${err.message}; going on without it (--allow-no-meter): its energy is recorded as not measured`;
    throw new MeterUnavailableError(`${err.message}; nothing was measured (--allow-no-meter runs without it)`);
  }
}
