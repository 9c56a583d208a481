/**
 * --meter values: "auto", "rapl", "hwmon:NAME", "jetson", "rpi5-pmic",
 * "battery[:NAME]", "nvml", "shelly:HOST", "tasmota:HOST",
 * "um24c:DEV" / "um25c:DEV" / "um34c:DEV", "cmd:COMMAND", "csv:FILE".
 */

import { detectCandidates } from "./detect.js";
import { PowerError, PowerUsageError } from "./errors.js";
import { batteryFromSpec } from "./meters/battery.js";
import { cmdFromSpec } from "./meters/cmd.js";
import { csvFromSpec } from "./meters/csv.js";
import { hwmonFromSpec } from "./meters/hwmon.js";
import { shellyFromSpec } from "./meters/shelly.js";
import { tasmotaFromSpec } from "./meters/tasmota.js";
import { UM_MODELS, type UmModel, umFromSpec } from "./meters/um25c.js";
import type { MeterCandidate, MeterContext } from "./types.js";

export const METER_SPEC_HELP =
  'auto | rapl | hwmon:NAME | jetson | rpi5-pmic | battery[:NAME] | nvml | shelly:HOST | tasmota:HOST | um25c:DEVICE (um24c:, um34c:) | cmd:"COMMAND" | csv:FILE';

/** Help for the smart plug credential flags, shared by `run` and `meters`. */
export const METER_USER_HELP = "smart plug user (Shelly, Tasmota; default admin when a password is given)";
export const METER_PASSWORD_HELP =
  "smart plug password; prefer the EDGEBENCH_METER_PASSWORD environment variable, since a flag's value is visible to other users in ps";

export interface ParsedSpec {
  kind: string;
  arg: string;
}

const NEEDS_ARG = new Set(["hwmon", "shelly", "tasmota", "cmd", "csv", ...UM_MODELS]);
const NO_ARG = new Set(["auto", "rapl", "jetson", "rpi5-pmic", "nvml"]);

export function parseSpec(spec: string): ParsedSpec {
  const s = spec.trim();
  const colon = s.indexOf(":");
  const kind = (colon < 0 ? s : s.slice(0, colon)).toLowerCase();
  const arg = colon < 0 ? "" : s.slice(colon + 1);
  if (NO_ARG.has(kind) && !arg) return { kind, arg };
  if (kind === "battery") return { kind, arg };
  if (NEEDS_ARG.has(kind)) {
    if (!arg.trim()) throw new PowerUsageError(`--meter ${kind}: needs a value after the colon (${METER_SPEC_HELP})`);
    return { kind, arg: kind === "cmd" ? arg : arg.trim() };
  }
  throw new PowerUsageError(`unknown --meter "${spec}": use ${METER_SPEC_HELP}`);
}

/** A candidate for one named (non-auto) meter; throws PowerError or the meter's own error. */
export async function candidateFor(ctx: MeterContext, parsed: ParsedSpec): Promise<MeterCandidate> {
  const local = async (spec: string) => {
    const found = (await detectCandidates(ctx)).find((c) => c.spec === spec);
    if (!found) throw new PowerError(`--meter ${spec}: no such meter on this machine (run \`edgebench meters\` to see what was found)`);
    return ctx.scope ? { ...found, scope: ctx.scope } : found;
  };
  switch (parsed.kind) {
    case "rapl":
    case "jetson":
    case "rpi5-pmic":
    case "nvml":
      return local(parsed.kind);
    case "battery": {
      const c = await batteryFromSpec(ctx, parsed.arg);
      if (!c)
        throw new PowerError(`--meter battery${parsed.arg ? `:${parsed.arg}` : ""}: no battery with power readings under /sys/class/power_supply`);
      return c;
    }
    case "hwmon":
      return hwmonFromSpec(ctx, parsed.arg);
    case "shelly":
      return shellyFromSpec(ctx, parsed.arg);
    case "tasmota":
      return tasmotaFromSpec(ctx, parsed.arg);
    case "cmd":
      return cmdFromSpec(ctx, parsed.arg);
    case "csv":
      return csvFromSpec(ctx, parsed.arg);
    default:
      if ((UM_MODELS as readonly string[]).includes(parsed.kind)) return umFromSpec(ctx, parsed.kind as UmModel, parsed.arg);
      throw new PowerError(`unknown --meter kind "${parsed.kind}"`);
  }
}
