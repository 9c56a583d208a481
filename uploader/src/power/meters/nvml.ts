/**
 * NVIDIA GPUs through nvidia-smi (power-meters.md section 6). Preferred: the
 * total energy counter (mJ since driver load, Volta and newer); otherwise
 * power.draw (W; a 1 s average on Ampere and newer) integrated as samples.
 * Several GPUs are summed into one accelerator meter.
 *
 * One long-lived `nvidia-smi --query-gpu=... -lms PERIOD` process rather than a
 * call per sample: starting nvidia-smi costs tens of ms of CPU (driver init),
 * which at 10 Hz would itself cost a good part of a core and disturb the run.
 * Fields may read "[N/A]" or "[Not Supported]" (older GPUs, some drivers):
 * such a GPU falls back to power.draw, or is reported unavailable.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { Unwrapper } from "../counter.js";
import { resolveTool, runTool } from "../tools.js";
import type { MeterCandidate, MeterContext, ReadingSink, StreamSource } from "../types.js";

const QUERY = "timestamp,index,total_energy_consumption,power.draw";

/** A numeric nvidia-smi field, or null for [N/A], [Not Supported], [Unknown Error], empty. */
export function smiNumber(field: string | undefined): number | null {
  if (field === undefined) return null;
  const s = field.trim().replace(/\s*(mJ|W|J)$/i, "");
  if (!s || s.startsWith("[") || /^n\/?a$/i.test(s)) return null;
  const x = Number(s);
  return Number.isFinite(x) ? x : null;
}

export interface SmiGpu {
  index: number;
  name: string;
  energyMj: number | null;
  powerW: number | null;
}

/** `nvidia-smi --query-gpu=index,total_energy_consumption,power.draw,name --format=csv,noheader,nounits` */
export function parseSmiList(text: string): SmiGpu[] {
  const gpus: SmiGpu[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const [index, energy, power, ...name] = line.split(",");
    const i = Number(index?.trim());
    if (!Number.isInteger(i)) continue;
    gpus.push({ index: i, name: name.join(",").trim() || `GPU ${i}`, energyMj: smiNumber(energy), powerW: smiNumber(power) });
  }
  return gpus;
}

/** "2026/11/21 05:41:47.123" (nvidia-smi local time) -> epoch ms. */
export function parseSmiTimestamp(s: string): number | null {
  const m = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,3}))?$/.exec(s.trim());
  if (!m) return null;
  const ms = m[7] ? Number(m[7].padEnd(3, "0")) : 0;
  return new Date(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, ms).getTime();
}

/**
 * Dates nvidia-smi ticks on the monotonic clock. The arrival time of a line
 * carries the delay of the pipe and of this event loop, which on a loaded
 * machine is tens of ms and varies; the line's own timestamp (wall clock, ms)
 * says when the query ran. As NTP does, the offset between the two is taken
 * as the smallest (arrival - timestamp) seen over recent ticks: the tick with
 * the least delay. A wall-clock step only moves that minimum once the window
 * has passed over it. Ticks without a timestamp are dated on arrival.
 */
export class TickClock {
  private readonly baseHr = process.hrtime.bigint();
  private readonly baseWall = Date.now();
  private readonly offsets: number[] = [];

  constructor(private readonly window = 50) {}

  place(wallMs: number | null, arrival: bigint): bigint {
    if (wallMs === null) return arrival;
    const rel = wallMs - this.baseWall;
    const arrivalRel = Number(arrival - this.baseHr) / 1e6;
    this.offsets.push(arrivalRel - rel);
    if (this.offsets.length > this.window) this.offsets.shift();
    const t = rel + Math.min(...this.offsets);
    return this.baseHr + BigInt(Math.round(Math.min(t, arrivalRel) * 1e6));
  }
}

export async function detectNvml(ctx: MeterContext): Promise<MeterCandidate[]> {
  const tool = resolveTool(ctx.config, "nvidia-smi");
  let gpus: SmiGpu[];
  try {
    const r = await runTool(
      tool,
      ["--query-gpu=index,total_energy_consumption,power.draw,name", "--format=csv,noheader,nounits"],
      Math.max(ctx.timeoutMs, 5000),
    );
    gpus = parseSmiList(r.stdout);
  } catch (err) {
    if ((err as { code?: unknown }).code === "ENOENT") return [];
    const reason = `nvidia-smi failed: ${(err as Error).message}`;
    return [
      {
        spec: "nvml",
        kind: "nvml",
        scope: "accelerator",
        method: "sampled",
        available: false,
        reason,
        open: () => Promise.reject(new Error(reason)),
      },
    ];
  }
  if (!gpus.length) return [];
  const method = gpus.every((g) => g.energyMj !== null) ? ("counter" as const) : ("sampled" as const);
  const info = {
    spec: "nvml",
    kind: "nvml",
    scope: ctx.scope ?? ("accelerator" as const),
    method,
    label: `nvidia-smi ${method === "counter" ? "total_energy_consumption" : "power.draw"} (${gpus.length} GPU${gpus.length > 1 ? "s" : ""})`,
    rails: gpus.map((g) => `${g.index}: ${g.name}`),
  };
  if (method === "sampled" && gpus.some((g) => g.powerW === null)) {
    const reason = `nvidia-smi reports neither total_energy_consumption nor power.draw for ${gpus
      .filter((g) => g.powerW === null)
      .map((g) => g.name)
      .join(", ")} ([N/A] / [Not Supported])`;
    return [{ ...info, available: false, reason, open: () => Promise.reject(new Error(reason)) }];
  }
  return [
    {
      ...info,
      available: true,
      open: async () =>
        openNvml(
          ctx,
          tool,
          gpus.map((g) => g.index),
          info,
        ),
    },
  ];
}

function openNvml(ctx: MeterContext, tool: string, indices: number[], info: Omit<StreamSource, "mode" | "start" | "close">): StreamSource {
  const periodMs = Math.max(Math.round(1000 / ctx.rateHz), 20);
  let child: ChildProcess | undefined;
  let closed = false;
  return {
    ...info,
    mode: "stream",
    start(sink: ReadingSink) {
      const proc = spawn(tool, [`--query-gpu=${QUERY}`, "--format=csv,noheader,nounits", `-lms`, String(periodMs)], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = proc;
      const clock = new TickClock();
      const unwrap = indices.map((i) => new Unwrapper(undefined, `GPU ${i} total_energy_consumption`));
      const latest = new Map<number, { wallMs: number | null; value: number }>();
      let partial = "";
      let stderr = "";
      proc.stdout!.setEncoding("utf8");
      proc.stderr!.setEncoding("utf8");
      proc.stderr!.on("data", (d: string) => (stderr = (stderr + d).slice(-400)));
      proc.stdout!.on("data", (chunk: string) => {
        const arrival = process.hrtime.bigint();
        const lines = (partial + chunk).split("\n");
        partial = lines.pop() ?? "";
        // Complete ticks (one line per GPU) in this chunk, dated by TickClock.
        const ticks: Array<{ wallMs: number | null; value: number }> = [];
        for (const line of lines) {
          const [ts, idx, energy, power] = line.split(",");
          const i = Number(idx?.trim());
          const k = indices.indexOf(i);
          if (k < 0) continue;
          const raw = info.method === "counter" ? smiNumber(energy) : smiNumber(power);
          if (raw === null) {
            sink.error(
              new Error(
                `nvidia-smi: GPU ${i} ${info.method === "counter" ? "total_energy_consumption" : "power.draw"} read ${JSON.stringify((info.method === "counter" ? energy : power)?.trim())}`,
              ),
              arrival,
            );
            continue;
          }
          let value: number;
          try {
            value = info.method === "counter" ? unwrap[k]!.next(raw) / 1000 : raw;
          } catch (err) {
            sink.error(err, arrival);
            continue;
          }
          latest.set(i, { wallMs: parseSmiTimestamp(ts ?? ""), value });
          if (latest.size === indices.length && k === indices.length - 1) {
            let sum = 0;
            let wall: number | null = null;
            for (const v of latest.values()) {
              sum += v.value;
              wall = v.wallMs ?? wall;
            }
            ticks.push({ wallMs: wall, value: sum });
          }
        }
        for (const tick of ticks) sink.reading(clock.place(tick.wallMs, arrival), tick.value);
      });
      proc.on("error", (err) => sink.error(err, process.hrtime.bigint(), true));
      proc.on("exit", (code, signal) => {
        if (!closed)
          sink.error(
            new Error(`nvidia-smi stopped (${signal ?? `exit ${code}`})${stderr.trim() ? `: ${stderr.trim()}` : ""}`),
            process.hrtime.bigint(),
            true,
          );
      });
    },
    async close() {
      closed = true;
      if (child && child.exitCode === null && child.signalCode === null) {
        const done = new Promise((r) => child!.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([done, new Promise((r) => setTimeout(r, 1000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
    },
  };
}
