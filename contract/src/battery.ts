/**
 * What a test cost the battery, from the battery series the uploader records
 * on battery-powered devices (phones, laptops, battery rigs). A fuel gauge is
 * coarse: capacity moves in whole percent, so the figures carry the
 * uncertainty one step of the gauge makes, never hidden (a 600 s phone run
 * drains 3-5 %: +-1 % is +-20-30 % of the figure).
 */
import type { TestResult } from "./schema.js";
import { mean } from "./stats.js";

export interface BatteryDrain {
  /** Capacity lost per 1,000 generated tokens, in percentage points. */
  pctPer1kTokens: number;
  /** One gauge step over the same tokens: the figure is only known to within this. */
  pctPer1kResolution: number;
  /** Capacity lost over the test, in percentage points (first reading minus last). */
  pctLost: number;
  /** Joules per generated token from the gauge's energy (or charge x voltage) counter, where it has one. */
  joulesPerToken?: number;
}

/** µWh to J. */
const J_PER_UWH = 3.6e-3;
/** µAh x µV to J (1e-12 Ah x V = 3.6e-9 J). */
const J_PER_UAH_UV = 3.6e-9;

/**
 * The battery's drain over a test that generated tokens, or null: no battery
 * series, not discharging (on a charger the gauge sees charge current), fewer
 * than two readings, or a gauge that did not fall (below one step the rate
 * is unknown, not zero).
 */
export function batteryDrain(test: TestResult): BatteryDrain | null {
  const b = test.thermal?.series?.battery;
  const tokens = test.nGen;
  if (!b || tokens <= 0 || (b.status !== undefined && b.status !== "Discharging")) return null;
  const cap = b.capacityPct ?? [];
  if (cap.length < 2) return null;
  const pctLost = cap[0]! - cap.at(-1)!;
  if (pctLost <= 0) return null;
  const step = b.capacityStepPct ?? 1;
  const out: BatteryDrain = { pctPer1kTokens: (pctLost * 1000) / tokens, pctPer1kResolution: (step * 1000) / tokens, pctLost };
  const e = b.energyUWh;
  const q = b.chargeUAh;
  const v = b.voltageUV;
  if (e && e.length >= 2 && e[0]! > e.at(-1)!) out.joulesPerToken = ((e[0]! - e.at(-1)!) * J_PER_UWH) / tokens;
  else if (q && v && q.length >= 2 && v.length === q.length && q[0]! > q.at(-1)!) {
    out.joulesPerToken = ((q[0]! - q.at(-1)!) * mean(v) * J_PER_UAH_UV) / tokens;
  }
  return out;
}
