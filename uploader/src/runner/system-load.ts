/**
 * The whole system's share of CPU and memory during a test, beside the
 * benchmark process's own figures: a board that is busy with something else,
 * or short of memory, shows it here.
 *  - CPU: /proc/stat's aggregate "cpu" line at the test's start and end;
 *    busy = total - idle - iowait over total, as % of all cores. Total is
 *    user..steal (guest time is already inside user and nice), so a virtual
 *    machine's stolen time counts as busy: the cores were not free for it.
 *  - Memory: (MemTotal - MemAvailable) / MemTotal from /proc/meminfo, at the
 *    start, every `periodMs` and at the end; the test's peak.
 * Read through sysPath (a fixture tree in tests). A file that is missing or
 * unreadable leaves its figure absent (not measured), never zero.
 */
import type { Resources } from "@edgebench/contract";
import { parseColonLines, readText, type SysConfig } from "../detect/read.js";

export type SystemShare = Pick<Resources, "systemCpuPct" | "memUsedPct">;

interface CpuTimes {
  busy: number;
  total: number;
}

/** The aggregate "cpu" line of /proc/stat, in clock ticks. */
export function readCpuTimes(config: SysConfig): CpuTimes | undefined {
  const line = readText(config, "/proc/stat")
    ?.split("\n")
    .find((l) => /^cpu\s/.test(l));
  if (!line) return undefined;
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  // user nice system idle iowait (the rest, irq softirq steal, are missing on very old kernels).
  if (f.length < 5 || f.some((x) => !Number.isFinite(x) || x < 0)) return undefined;
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - f[4]!, total };
}

/** Memory in use, % of MemTotal, from /proc/meminfo. */
export function readMemUsedPct(config: SysConfig): number | undefined {
  const text = readText(config, "/proc/meminfo");
  if (!text) return undefined;
  const kb = new Map(parseColonLines(text).map(([k, v]) => [k, Number.parseInt(v, 10)]));
  const total = kb.get("MemTotal");
  const available = kb.get("MemAvailable");
  if (!total || total <= 0 || available === undefined || !Number.isFinite(available)) return undefined;
  return Math.min(100, Math.max(0, (100 * (total - available)) / total));
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export class SystemLoad {
  private cpu0: CpuTimes | undefined;
  private peakMem: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly config: SysConfig,
    private readonly periodMs = 250,
  ) {}

  private sampleMem(): void {
    const m = readMemUsedPct(this.config);
    if (m !== undefined) this.peakMem = Math.max(this.peakMem ?? 0, m);
  }

  start(): void {
    this.stop();
    this.running = true;
    this.cpu0 = readCpuTimes(this.config);
    this.peakMem = undefined;
    this.sampleMem();
    this.timer = setInterval(() => this.sampleMem(), this.periodMs);
    // A sampler must never be what keeps the process alive.
    this.timer.unref();
  }

  /** The shares since start(); undefined when not started or nothing could be read. */
  stop(): SystemShare | undefined {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.running) return undefined;
    this.running = false;
    this.sampleMem();
    const cpu1 = readCpuTimes(this.config);
    const out: SystemShare = {};
    if (this.cpu0 && cpu1 && cpu1.total > this.cpu0.total) {
      const pct = (100 * (cpu1.busy - this.cpu0.busy)) / (cpu1.total - this.cpu0.total);
      out.systemCpuPct = round1(Math.min(100, Math.max(0, pct)));
    }
    if (this.peakMem !== undefined) out.memUsedPct = round1(this.peakMem);
    return out.systemCpuPct === undefined && out.memUsedPct === undefined ? undefined : out;
  }
}
