/**
 * Where an upload's CPU goes (issue 8's ingest figure, explained), printed as
 * a table: POSTs fresh signed documents to `wrangler dev` on the state
 * bench/load.ts seeded (100,000 results; run that first, same BENCH_DIR), and
 * reads, before and after the timed phase, the CPU time of every process and
 * thread involved from /proc (Linux only) and each CPU's busy share from
 * /proc/stat. The answer this gives on the 2-core development machine: workerd
 * spends about 10 ms of CPU per upload, two-thirds of it on the thread that
 * runs miniflare's local D1 (a Durable Object around SQLite), so 200
 * uploads/s needs more than the machine's two cores (docs/scale.md).
 *
 * Knobs: BENCH_DIR (the seeded state), BENCH_POSTS (default 1,000),
 * BENCH_CONCURRENCY (default 8). Bounded: at most BENCH_POSTS requests or
 * 60 s, on 127.0.0.1 only.
 *
 *   npm run bench -- load-ingest-cpu
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT, startLocalRegistry } from "../scripts/lib/local-registry.mjs";
import { runLoad } from "./lib/load-gen.js";
import { populationSubmission } from "./lib/population.js";

const DIR = process.env.BENCH_DIR ? path.resolve(process.env.BENCH_DIR) : path.join(REPO_ROOT, ".tmp", "bench-load");
const STATE = path.join(DIR, "state");
const POSTS = Number(process.env.BENCH_POSTS ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** Linux reports process and thread CPU in clock ticks of 10 ms (USER_HZ 100). */
const MS_PER_TICK = 10;

interface ThreadCpu {
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
function pidsNamed(comm: string): number[] {
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

function threads(pids: number[]): ThreadCpu[] {
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
function cpuTimes(): Map<string, { busy: number; total: number }> {
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

async function main() {
  if (process.platform !== "linux") {
    console.log("load-ingest-cpu reads /proc: Linux only; skipped");
    return;
  }
  if (!existsSync(STATE)) {
    console.log(`no seeded state in ${path.relative(REPO_ROOT, DIR)}: run \`npm run bench -- load\` first (same BENCH_DIR); skipped`);
    return;
  }
  const registry = await startLocalRegistry({ persistDir: STATE, migrate: false, vars: { RATE_LIMIT_PER_KEY: "100000000", RATE_LIMIT_PER_ADDRESS: "100000000" } });
  try {
    const base = registry.url;
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    const WARM = 20;
    const bodies: string[] = [];
    // Seeds far from the seeded population's and from load.ts's, so every document is new.
    const offset = 50_000_000 + (Date.now() % 10_000_000);
    for (let j = 0; j < POSTS + WARM; j++) bodies.push(JSON.stringify((await populationSubmission(offset + j, createdAt)).body));
    const post = (body: string) => ({ url: `${base}/api/v1/submissions`, init: { method: "POST", headers: { "content-type": "application/json" }, body } });
    // Warm-up (untimed): compile the Worker and the statements, open the database.
    await runLoad({ label: "warm-up", concurrency: 1, requests: WARM, maxSeconds: 30, ok: [201], make: (i) => post(bodies[i]!) });

    const workerd = pidsNamed("workerd");
    const before = { threads: threads(workerd), cpus: cpuTimes(), me: process.cpuUsage() };
    const r = await runLoad({ label: "ingest", concurrency: CONCURRENCY, requests: POSTS, maxSeconds: 60, ok: [201], make: (i) => post(bodies[WARM + i]!) });
    const after = { threads: threads(workerd), cpus: cpuTimes(), me: process.cpuUsage(before.me) };

    const n = r.requests;
    console.log(`${n} fresh signed uploads, ${CONCURRENCY} connections: ${r.rps.toFixed(0)}/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, errors ${r.errors}`);
    const prior = new Map(before.threads.map((t) => [t.tid, t.ms]));
    const used = after.threads.map((t) => ({ ...t, ms: t.ms - (prior.get(t.tid) ?? 0) })).filter((t) => t.ms > 0).sort((a, b) => b.ms - a.ms);
    const workerdMs = used.reduce((s, t) => s + t.ms, 0);
    const clientMs = (after.me.user + after.me.system) / 1000;
    console.log(`\n| where | CPU ms per upload | share of workerd |`);
    console.log(`|---|---|---|`);
    console.log(`| workerd, all threads | ${(workerdMs / n).toFixed(2)} | 100 % |`);
    for (const t of used.slice(0, 6)) console.log(`| workerd thread ${t.tid} (${t.name}) | ${(t.ms / n).toFixed(2)} | ${((100 * t.ms) / workerdMs).toFixed(0)} % |`);
    console.log(`| this client (load generator) | ${(clientMs / n).toFixed(2)} | |`);
    const cpuLine = [...after.cpus].map(([cpu, a]) => {
      const b = before.cpus.get(cpu)!;
      return `${cpu} ${((100 * (a.busy - b.busy)) / Math.max(1, a.total - b.total)).toFixed(0)} %`;
    });
    console.log(`\nCPUs busy during the phase: ${cpuLine.join(", ")} (${os.cpus().length} cores)`);
    const perUpload = workerdMs / n + clientMs / n;
    console.log(`200 uploads/s at this cost needs ${((perUpload * 200) / 1000).toFixed(2)} cores of CPU (workerd + client), before any waiting`);
    console.log("(The busiest workerd thread under ingest is the local D1's: see docs/scale.md for the profile.)");
  } finally {
    await registry.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
