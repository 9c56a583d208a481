/**
 * CPU time of processes and threads from /proc (Linux), for the registry
 * benchmarks: what workerd (the Worker's isolate and the local D1 simulator
 * it hosts) spent over a phase, per request.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Linux reports process and thread CPU in clock ticks of 10 ms (USER_HZ 100). */
const MS_PER_TICK = 10;

export interface ThreadCpu {
  pid: number;
  tid: number;
  name: string;
  ms: number;
}

/** utime + stime of one /proc stat line, in ms; undefined once the task is gone. */
function statMs(file: string): { name: string; ms: number } | undefined {
  let line: string;
  try {
    line = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  // The name is in parentheses and may itself contain spaces or parentheses.
  const name = line.slice(line.indexOf("(") + 1, line.lastIndexOf(")"));
  const fields = line.slice(line.lastIndexOf(")") + 2).split(" ");
  return { name, ms: (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK };
}

/** Processes whose command name is `comm` (e.g. workerd), by scanning /proc. */
export function pidsNamed(comm: string): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === comm;
      } catch {
        return false;
      }
    });
}

export function threads(pids: number[]): ThreadCpu[] {
  const out: ThreadCpu[] = [];
  for (const pid of pids) {
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const t of tids) {
      const s = statMs(`/proc/${pid}/task/${t}/stat`);
      if (s) out.push({ pid, tid: Number(t), name: s.name, ms: s.ms });
    }
  }
  return out;
}

/** Busy and total jiffies per CPU (idle and iowait count as not busy). */
export function cpuTimes(): Map<string, { busy: number; total: number }> {
  const m = new Map<string, { busy: number; total: number }>();
  for (const line of readFileSync("/proc/stat", "utf8").split("\n")) {
    const f = line.split(/\s+/);
    if (!/^cpu\d+$/.test(f[0] ?? "")) continue;
    const v = f.slice(1, 9).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    m.set(f[0]!, { busy: total - v[3]! - v[4]!, total });
  }
  return m;
}

/** CPU ms the threads of `pids` used between two readings of threads(). */
export function cpuSince(before: ThreadCpu[], pids: number[]): { total: number; byThread: ThreadCpu[] } {
  const prior = new Map(before.map((t) => [t.tid, t.ms]));
  const byThread = threads(pids)
    .map((t) => ({ ...t, ms: t.ms - (prior.get(t.tid) ?? 0) }))
    .filter((t) => t.ms > 0)
    .sort((a, b) => b.ms - a.ms);
  return { total: byThread.reduce((sum, t) => sum + t.ms, 0), byThread };
}
