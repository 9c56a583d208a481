/**
 * Where an upload's CPU goes (the ingest figure, explained), printed as
 * a table: POSTs fresh signed documents to `wrangler dev` on the state
 * bench/load.ts seeded (100,000 results; run that first, same BENCH_DIR), and
 * reads, before and after the timed phase, the CPU time of every process and
 * thread involved from /proc (Linux only) and each CPU's busy share from
 * /proc/stat, after waiting for the aggregation step the uploads left pending
 * (it runs after each answer, so it is part of an upload's cost). Most of
 * workerd's CPU is the thread that runs miniflare's local D1 (a Durable Object
 * around SQLite), which the table shows by thread.
 *
 * Knobs: BENCH_DIR (the seeded state), BENCH_POSTS (default 1,000),
 * BENCH_CONCURRENCY (default 8). Bounded: at most BENCH_POSTS requests or
 * 60 s, on 127.0.0.1 only.
 *
 *   npm run bench -- load-ingest-cpu
 */
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT, startLocalRegistry } from "../scripts/lib/local-registry.mjs";
import { runLoad } from "./lib/load-gen.js";
import { populationSubmission } from "./lib/population.js";
import { cpuTimes, pidsNamed, threads } from "./lib/proc-cpu.js";

const DIR = process.env.BENCH_DIR ? path.resolve(process.env.BENCH_DIR) : path.join(REPO_ROOT, ".tmp", "bench-load");
const STATE = path.join(DIR, "state");
const POSTS = Number(process.env.BENCH_POSTS ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
async function main() {
  if (process.platform !== "linux") {
    console.log("load-ingest-cpu reads /proc: Linux only; skipped");
    return;
  }
  if (!existsSync(STATE)) {
    console.log(`no seeded state in ${path.relative(REPO_ROOT, DIR)}: run \`npm run bench -- load\` first (same BENCH_DIR); skipped`);
    return;
  }
  const registry = await startLocalRegistry({
    persistDir: STATE,
    migrate: false,
    vars: { RATE_LIMIT_PER_KEY: "100000000", RATE_LIMIT_PER_ADDRESS: "100000000" },
  });
  try {
    const base = registry.url;
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    const WARM = 20;
    const bodies: string[] = [];
    // Seeds far from the seeded population's and from load.ts's, so every document is new.
    const offset = 50_000_000 + (Date.now() % 10_000_000);
    for (let j = 0; j < POSTS + WARM; j++) bodies.push(JSON.stringify((await populationSubmission(offset + j, createdAt)).body));
    const post = (body: string) => ({
      url: `${base}/api/v1/submissions`,
      init: { method: "POST", headers: { "content-type": "application/json" }, body },
    });
    // Warm-up (untimed): compile the Worker and the statements, open the database.
    await runLoad({ label: "warm-up", concurrency: 1, requests: WARM, maxSeconds: 30, ok: [201], make: (i) => post(bodies[i]!) });

    const workerd = pidsNamed("workerd");
    const before = { threads: threads(workerd), cpus: cpuTimes(), me: process.cpuUsage() };
    const r = await runLoad({
      label: "ingest",
      concurrency: CONCURRENCY,
      requests: POSTS,
      maxSeconds: 60,
      ok: [201],
      make: (i) => post(bodies[WARM + i]!),
    });
    // The aggregation step runs after each answer (ctx.waitUntil): an upload's cost includes it, so wait it out.
    for (;;) {
      const { pending } = (await (await fetch(`${base}/api/v1/status`)).json()) as { pending: number };
      if (pending === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const after = { threads: threads(workerd), cpus: cpuTimes(), me: process.cpuUsage(before.me) };

    const n = r.requests;
    console.log(
      `${n} fresh signed uploads, ${CONCURRENCY} connections: ${r.rps.toFixed(0)}/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, errors ${r.errors}`,
    );
    const prior = new Map(before.threads.map((t) => [t.tid, t.ms]));
    const used = after.threads
      .map((t) => ({ ...t, ms: t.ms - (prior.get(t.tid) ?? 0) }))
      .filter((t) => t.ms > 0)
      .sort((a, b) => b.ms - a.ms);
    const workerdMs = used.reduce((s, t) => s + t.ms, 0);
    const clientMs = (after.me.user + after.me.system) / 1000;
    console.log(`\n| where | CPU ms per upload | share of workerd |`);
    console.log(`|---|---|---|`);
    console.log(`| workerd, all threads | ${(workerdMs / n).toFixed(2)} | 100 % |`);
    for (const t of used.slice(0, 6))
      console.log(`| workerd thread ${t.tid} (${t.name}) | ${(t.ms / n).toFixed(2)} | ${((100 * t.ms) / workerdMs).toFixed(0)} % |`);
    console.log(`| this client (load generator) | ${(clientMs / n).toFixed(2)} | |`);
    const cpuLine = [...after.cpus].map(([cpu, a]) => {
      const b = before.cpus.get(cpu)!;
      return `${cpu} ${((100 * (a.busy - b.busy)) / Math.max(1, a.total - b.total)).toFixed(0)} %`;
    });
    console.log(`\nCPUs busy during the phase: ${cpuLine.join(", ")} (${os.cpus().length} cores)`);
    const perUpload = workerdMs / n + clientMs / n;
    console.log(`200 uploads/s at this cost needs ${((perUpload * 200) / 1000).toFixed(2)} cores of CPU (workerd + client), before any waiting`);
    console.log("(The busiest workerd thread under ingest is the local D1's: the simulator around SQLite, not the Worker.)");
  } finally {
    await registry.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
