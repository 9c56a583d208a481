/**
 * What a request costs the registry in D1's own currency, at several sizes:
 * meta.rows_read and meta.rows_written summed over every statement (what
 * Cloudflare bills; unlike times they do not drift with the machine), and
 * workerd's CPU per request from /proc. For each scale in BENCH_SCALES
 * (default 10,000 and 100,000 results; bench/lib/seed.ts seeds them through
 * the upload route's own steps and the Worker's aggregation step):
 *
 * - every leaderboard API variant and every / view, read once with the read
 *   cache skipped (a hit reads one row: the registry version) and D1 metered
 *   (workers/d1-meter.ts: the D1_METER_TOKEN var and header of this instance);
 * - BENCH_ROW_UPLOADS fresh signed uploads, each one's batch metered in its
 *   answer and the aggregation step it leaves behind (it runs after the
 *   answer, one pass per upload here: nothing shared with other uploads)
 *   summed from GET /api/v1/status once nothing is pending;
 * - workerd CPU ms per request: BENCH_CPU_REQUESTS sequential requests of
 *   each kind (reads uncached), uploads including their aggregation (and
 *   the few status reads that wait for it), the
 *   health endpoint as the floor.
 *
 * Bounded: a fixed number of requests, on 127.0.0.1 only.
 *
 *   npm run bench -- registry-rows        BENCH_SCALES=10000 npm run bench -- registry-rows
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { REPO_ROOT, startLocalRegistry } from "../scripts/lib/local-registry.mjs";
import { BYPASS_HEADER } from "../workers/cache/read-cache.js";
import { METER_REQUEST_HEADER, meterHeader } from "../workers/d1-meter.js";
import { populationSubmission } from "./lib/population.js";
import { cpuSince, pidsNamed, threads } from "./lib/proc-cpu.js";
import { loadavg, seedRegistry } from "./lib/seed.js";

const SCALES = (process.env.BENCH_SCALES ?? "10000,100000").split(",").map(Number);
const UPLOADS = Number(process.env.BENCH_ROW_UPLOADS ?? 40);
const CPU_REQUESTS = Number(process.env.BENCH_CPU_REQUESTS ?? 100);

/** The state of one scale: 100,000 shares bench/load.ts's. */
const dirFor = (results: number) => path.join(REPO_ROOT, ".tmp", results === 100_000 ? "bench-load" : `bench-rows-${results}`);

const READS: [string, string][] = [
  ["API leaderboard default (tg_tps)", "/api/v1/leaderboard"],
  ["API sort=tokens_per_j (scope rule)", "/api/v1/leaderboard?sort=tokens_per_j"],
  ["API board=raspberry-pi-5 sort=pp_tps", "/api/v1/leaderboard?board=raspberry-pi-5&sort=pp_tps"],
  ["API model+backend sort=ttft_ms", "/api/v1/leaderboard?model=qwen2-5-0-5b-instruct&backend=cpu&sort=ttft_ms"],
  ["API accelerator=gpu scope=wall tokens_per_j", "/api/v1/leaderboard?accelerator=gpu&scope=wall&sort=tokens_per_j"],
  ["API limit=100 offset=50 tps_per_cm2", "/api/v1/leaderboard?limit=100&offset=50&sort=tps_per_cm2"],
  ["API format=csv", "/api/v1/leaderboard?format=csv"],
  ["API group=configuration (tg_tps)", "/api/v1/leaderboard?group=configuration"],
  ["API group=board model (tg_tps)", "/api/v1/leaderboard?group=board&model=qwen2-5-0-5b-instruct"],
  ["API model max_w=10 min_tps=5 (constraints)", "/api/v1/leaderboard?model=qwen2-5-0-5b-instruct&max_w=10&min_tps=5"],
  ["API test=1 (test data included)", "/api/v1/leaderboard?test=1"],
  ["page / (throughput)", "/"],
  ["page /?view=energy", "/?view=energy"],
  ["page /?view=pareto", "/?view=pareto"],
  ["page /?view=size&board=raspberry-pi-5", "/?view=size&board=raspberry-pi-5"],
  ["page /?model=all (top 5 per model)", "/?model=all"],
  ["page /?view=pareto model max_w=10", "/?view=pareto&model=qwen2-5-0-5b-instruct&max_w=10"],
];

interface Rows {
  read: number;
  written: number;
  queries: number;
}

function parseRows(header: string | null): Rows {
  const get = (k: string) => Number(new RegExp(`${k}=(\\d+)`).exec(header ?? "")?.[1] ?? Number.NaN);
  return { read: get("rows_read"), written: get("rows_written"), queries: get("queries") };
}

interface ScaleFigures {
  results: number;
  configurations: number;
  reads: Map<string, Rows>;
  uploadBatch: Rows;
  uploadAggregation: Rows;
  cpu: Map<string, number>;
}

async function settle(base: string, headers: Record<string, string>): Promise<Rows> {
  for (;;) {
    const s = (await (await fetch(`${base}/api/v1/status`, { headers })).json()) as {
      pending: number;
      deferredMeter: { rowsRead: number; rowsWritten: number; queries: number };
    };
    if (s.pending === 0) return { read: s.deferredMeter.rowsRead, written: s.deferredMeter.rowsWritten, queries: s.deferredMeter.queries };
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function measure(results: number): Promise<ScaleFigures> {
  const seeded = await seedRegistry({ results, dir: dirFor(results) });
  const meterToken = randomUUID();
  const bypassToken = randomUUID();
  const registry = await startLocalRegistry({
    persistDir: path.join(dirFor(results), "state"),
    migrate: false,
    // AGGREGATE_DELAY_MS 0: each sequential upload gets a pass of its own (the worst case, nothing shared),
    // and the CPU phase waits for it without idling a second per upload.
    vars: {
      RATE_LIMIT_PER_KEY: "100000000",
      RATE_LIMIT_PER_ADDRESS: "100000000",
      CACHE_BYPASS_TOKEN: bypassToken,
      D1_METER_TOKEN: meterToken,
      AGGREGATE_DELAY_MS: "0",
    },
  });
  const base = registry.url;
  const metered = { [METER_REQUEST_HEADER]: meterToken, [BYPASS_HEADER]: bypassToken };
  try {
    // Warm-up: compile the Worker, open the database.
    for (const [, p] of READS) await (await fetch(base + p, { headers: { [BYPASS_HEADER]: bypassToken } })).arrayBuffer();

    const reads = new Map<string, Rows>();
    for (const [label, p] of READS) {
      const res = await fetch(base + p, { headers: metered });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${p}: ${res.status}`);
      reads.set(label, parseRows(res.headers.get(meterHeader)));
    }

    const createdAt = new Date(Date.now() - 60_000).toISOString();
    const offset = 70_000_000 + (Date.now() % 10_000_000);
    const bodies: string[] = [];
    for (let j = 0; j < UPLOADS + CPU_REQUESTS; j++) bodies.push(JSON.stringify((await populationSubmission(offset + j, createdAt)).body));
    const before = await settle(base, metered);
    const batch: Rows = { read: 0, written: 0, queries: 0 };
    for (const body of bodies.slice(0, UPLOADS)) {
      const res = await fetch(`${base}/api/v1/submissions`, { method: "POST", headers: { "content-type": "application/json", ...metered }, body });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`upload: ${res.status}`);
      const r = parseRows(res.headers.get(meterHeader));
      batch.read += r.read;
      batch.written += r.written;
      batch.queries += r.queries;
    }
    const after = await settle(base, metered);
    const per = (x: number) => x / UPLOADS;
    const uploadBatch = { read: per(batch.read), written: per(batch.written), queries: per(batch.queries) };
    const uploadAggregation = {
      read: per(after.read - before.read),
      written: per(after.written - before.written),
      queries: per(after.queries - before.queries),
    };

    // CPU: sequential requests, so nothing else runs in workerd meanwhile.
    const cpu = new Map<string, number>();
    const workerd = pidsNamed("workerd");
    const phase = async (label: string, run: (i: number) => Promise<void>) => {
      const t = threads(workerd);
      for (let i = 0; i < CPU_REQUESTS; i++) await run(i);
      cpu.set(label, cpuSince(t, workerd).total / CPU_REQUESTS);
    };
    const get = (p: string) => async () => void (await (await fetch(base + p, { headers: { [BYPASS_HEADER]: bypassToken } })).arrayBuffer());
    await phase("GET /api/v1/health (floor)", get("/api/v1/health"));
    await phase("API leaderboard default, uncached", get("/api/v1/leaderboard"));
    await phase("API board=raspberry-pi-5 sort=pp_tps, uncached", get("/api/v1/leaderboard?board=raspberry-pi-5&sort=pp_tps"));
    await phase("page /, uncached", get("/"));
    await phase("upload, with its aggregation step", async (i) => {
      const res = await fetch(`${base}/api/v1/submissions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: bodies[UPLOADS + i]!,
      });
      await res.arrayBuffer();
      await settle(base, metered);
    });
    return { results, configurations: seeded.configurations, reads, uploadBatch, uploadAggregation, cpu };
  } finally {
    await registry.stop();
  }
}

async function main() {
  console.log(`load average at start: ${loadavg()}`);
  const all: ScaleFigures[] = [];
  for (const scale of SCALES) all.push(await measure(scale));
  const cols = all.map((f) => `${f.results.toLocaleString("en-US")} results (${f.configurations.toLocaleString("en-US")} configurations)`);
  const fmt = (r: Rows) => `${Math.round(r.read)} / ${Math.round(r.written)} / ${Math.round(r.queries)}`;
  console.log(`\nD1 rows per request: rows_read / rows_written / statements (read cache skipped)`);
  console.log(`| request | ${cols.join(" | ")} |`);
  console.log(`|---|${cols.map(() => "---").join("|")}|`);
  for (const [label] of READS) console.log(`| ${label} | ${all.map((f) => fmt(f.reads.get(label)!)).join(" | ")} |`);
  console.log(`| upload: its batch (one run) | ${all.map((f) => fmt(f.uploadBatch)).join(" | ")} |`);
  console.log(`| upload: its aggregation step | ${all.map((f) => fmt(f.uploadAggregation)).join(" | ")} |`);
  console.log(`\nworkerd CPU ms per request (all threads: the Worker and the local D1), ${CPU_REQUESTS} sequential requests each`);
  console.log(`| request | ${cols.join(" | ")} |`);
  console.log(`|---|${cols.map(() => "---").join("|")}|`);
  for (const label of all[0]!.cpu.keys()) console.log(`| ${label} | ${all.map((f) => f.cpu.get(label)!.toFixed(2)).join(" | ")} |`);
  console.log(`\nload average at end: ${loadavg()}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
