/**
 * Any other meter: --meter cmd:"COMMAND" runs COMMAND with /bin/sh at every
 * sample; it prints the present power in watts on stdout (the first number
 * wins, so "4.2", "4.2 W" and "power=4.2" all work). The scope cannot be
 * guessed, so --scope is required. One run in flight at a time; a slow
 * command lowers the achieved rate instead of piling up processes.
 */
import { PowerUsageError } from "../errors.js";
import { runTool } from "../tools.js";
import type { MeterCandidate, MeterContext, PolledSource } from "../types.js";

export function parseWatts(stdout: string, command: string): number {
  const m = /[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(stdout);
  const w = m ? Number(m[0]) : NaN;
  if (!Number.isFinite(w) || w < 0)
    throw new Error(`cmd meter: "${command}" printed ${JSON.stringify(stdout.trim().slice(0, 60))}, not a power in watts`);
  return w;
}

export async function cmdFromSpec(ctx: MeterContext, command: string): Promise<MeterCandidate> {
  if (!command.trim()) throw new PowerUsageError(`--meter cmd: needs a command, e.g. --meter 'cmd:cat /tmp/watts' --scope board-input`);
  if (!ctx.scope)
    throw new PowerUsageError(
      `--meter cmd:${command} needs --scope (what the command measures: wall, board-input, module-input, soc-rails, accelerator or cpu-package)`,
    );
  const read = async () => parseWatts((await runTool("/bin/sh", ["-c", command], ctx.timeoutMs)).stdout, command);
  await read();
  const info = {
    spec: `cmd:${command}`,
    kind: "cmd",
    scope: ctx.scope,
    method: "sampled" as const,
    label: command.slice(0, 1000),
  };
  const source: PolledSource = { ...info, mode: "poll", read };
  return { ...info, available: true, open: async () => source };
}
