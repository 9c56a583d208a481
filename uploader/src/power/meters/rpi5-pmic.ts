/**
 * Raspberry Pi 5 PMIC rails through `vcgencmd pmic_read_adc` (power-meters.md
 * section 3). One line per channel (`VDD_CORE_A current(7)=0.81262990A`,
 * `VDD_CORE_V volt(15)=0.86065850V`); total = sum over rails with both a
 * current and a voltage of V * I. EXT5V_V and BATT_V have no current and add
 * nothing. Scope soc-rails: PMIC losses and USB loads are not seen. Each call
 * costs about 23 ms of firmware time, so 10 Hz is the practical ceiling.
 */
import { resolveTool, runTool } from "../tools.js";
import type { MeterCandidate, MeterContext, PolledSource } from "../types.js";

const LINE = /^\s*(\S+?)_([AV])\s+(?:current|volt)\(\d+\)=([\d.]+)[AV]/;

export interface PmicReading {
  watts: number;
  rails: string[];
}

export function parsePmic(text: string): PmicReading {
  const amps = new Map<string, number>();
  const volts = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = LINE.exec(line);
    if (!m) continue;
    (m[2] === "A" ? amps : volts).set(m[1]!, Number(m[3]));
  }
  const rails = [...amps.keys()].filter((r) => volts.has(r));
  if (!rails.length)
    throw new Error(`vcgencmd pmic_read_adc: no rail with both current and voltage in its output: ${JSON.stringify(text.slice(0, 120))}`);
  return { watts: rails.reduce((s, r) => s + amps.get(r)! * volts.get(r)!, 0), rails };
}

export async function detectRpi5Pmic(ctx: MeterContext): Promise<MeterCandidate[]> {
  const tool = resolveTool(ctx.config, "vcgencmd");
  let first: PmicReading;
  try {
    first = parsePmic((await runTool(tool, ["pmic_read_adc"], ctx.timeoutMs)).stdout);
  } catch (err) {
    // Only a refused firmware connection means "a Pi 5 we may not read"; no vcgencmd, or a
    // firmware without the PMIC ADC (Pi 4 and older: "Command not registered"), is another board.
    if (!/VCHI|vcio|ermission|not permitted/i.test(String(err))) return [];
    const reason = `vcgencmd pmic_read_adc failed: ${(err as Error).message} (is the user in the video group? /dev/vcio is root:video 0660)`;
    return [
      {
        spec: "rpi5-pmic",
        kind: "rpi5-pmic",
        scope: "soc-rails",
        method: "sampled",
        available: false,
        reason,
        open: () => Promise.reject(new Error(reason)),
      },
    ];
  }
  const info = {
    spec: "rpi5-pmic",
    kind: "rpi5-pmic",
    scope: ctx.scope ?? ("soc-rails" as const),
    method: "sampled" as const,
    label: "vcgencmd pmic_read_adc: sum of V*I over PMIC rails",
    rails: first.rails,
  };
  const source: PolledSource = {
    ...info,
    mode: "poll",
    read: async () => parsePmic((await runTool(tool, ["pmic_read_adc"], ctx.timeoutMs)).stdout).watts,
  };
  return [{ ...info, available: true, open: async () => source }];
}
