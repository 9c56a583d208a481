/**
 * Load figures for the registry at scale, printed as a table.
 *
 * 1. Seeds a local D1 with BENCH_RESULTS (default 100,000) signed results
 *    (bench/lib/seed.ts: the population of bench/lib/population.ts, fixture
 *    boards plus a long tail of community boards, 4 models, varied
 *    threads/offload, 256 contributor keys, through the upload route's own
 *    steps, then the Worker's own aggregation step). The seeded state is
 *    reused by the next run when the count and the migrations are unchanged
 *    (BENCH_RESEED=1 forces a fresh one).
 * 2. Starts `wrangler dev` on 127.0.0.1 on that state (rate limits raised for
 *    this instance with --var) and drives it with a bounded load generator
 *    (bench/lib/load-gen.ts; BENCH_CONCURRENCY connections, at most
 *    BENCH_REQUESTS requests or BENCH_SECONDS seconds per phase): GET
 *    /api/v1/health as the baseline, GET /api/v1/leaderboard with several
 *    filter/sort combinations, the / page, a result page (all read-cache
 *    hits after the warm-up: workers/cache), the default leaderboard and /
 *    again with the read cache bypassed (misses: "uncached" phases), and POST
 *    /api/v1/submissions with fresh signed documents generated before the
 *    timed phase. Those phases are closed loop (saturation: throughput, and
 *    latency that is mostly queueing). Then each leaderboard read once more
 *    open loop at a steady half of the baseline's rate (BENCH_STEADY_SECONDS,
 *    default 5 s each): the latency a client sees at that load.
 *
 * Targets: leaderboard >= 0.5 x baseline req/s with p99 < 50 ms (checked at
 * that steady half-baseline load, and shown at saturation too); ingest >= 200/s.
 * The POST phase also waits, after its last answer, until the aggregation
 * step has folded every upload into the rankings (GET /api/v1/status), and
 * prints how long that took: the "in the rankings within 10 s" figure.
 * The load generator shares the machine's cores with wrangler/workerd; the
 * load average is printed next to the figures.
 *
 * BENCH_AGGREGATE_DELAY_MS sets the Worker's AGGREGATE_DELAY_MS var for this
 * instance (how long the aggregation pass after an upload waits to take in
 * more uploads; default the Worker's own), to see what the aggregation step
 * costs the ingest phase.
 *
 * BENCH_PHASES (comma-separated, case-insensitive) runs only the phases whose
 * label contains one of the words ("ingest" names the POST phase), e.g.
 * BENCH_PHASES=ingest or BENCH_PHASES=leaderboard,page; the baseline always runs.
 *
 *   npm run bench -- load        BENCH_RESULTS=10000 npm run bench -- load        BENCH_PHASES=ingest npm run bench -- load
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { verifySubmission } from "@edgebench/contract";
import { REPO_ROOT, startLocalRegistry } from "../scripts/lib/local-registry.mjs";
import { BYPASS_HEADER } from "../workers/cache/read-cache.js";
import { type LoadResult, runLoad } from "./lib/load-gen.js";
import { populationSubmission } from "./lib/population.js";
import { loadavg, seedRegistry } from "./lib/seed.js";

const RESULTS = Number(process.env.BENCH_RESULTS ?? 100_000);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const POSTS = Number(process.env.BENCH_POSTS ?? 1_000);
/** Length of each steady-load (open-loop) phase. */
const STEADY_SECONDS = Number(process.env.BENCH_STEADY_SECONDS ?? 5);
/** Seeded state; BENCH_DIR puts it elsewhere (e.g. a copy to try a change on without touching the shared one). */
const DIR = process.env.BENCH_DIR ? path.resolve(process.env.BENCH_DIR) : path.join(REPO_ROOT, ".tmp", "bench-load");
const STATE = path.join(DIR, "state");
/** This wrangler instance's read-cache bypass (workers/cache): the "uncached" phases send it, so misses are measured too. */
const BYPASS_TOKEN = randomUUID();
const PHASES = (process.env.BENCH_PHASES ?? "")
  .split(",")
  .map((w) => w.trim().toLowerCase())
  .filter(Boolean);
const INGEST_LABEL = "POST /api/v1/submissions (fresh signed)";
/** Whether a phase runs under BENCH_PHASES (all of them when it is unset). */
const wanted = (label: string) =>
  PHASES.length === 0 || PHASES.some((w) => label.toLowerCase().includes(w) || (w === "ingest" && label === INGEST_LABEL));

async function main() {
  console.log(`load average at start: ${loadavg()} (${os.cpus().length} cores, shared)`);
  const marker = await seedRegistry({ results: RESULTS, dir: DIR, chunk: CHUNK });
  const registry = await startLocalRegistry({
    persistDir: STATE,
    migrate: false,
    vars: {
      RATE_LIMIT_PER_KEY: "100000000",
      RATE_LIMIT_PER_ADDRESS: "100000000",
      CACHE_BYPASS_TOKEN: BYPASS_TOKEN,
      ...(process.env.BENCH_AGGREGATE_DELAY_MS ? { AGGREGATE_DELAY_MS: process.env.BENCH_AGGREGATE_DELAY_MS } : {}),
    },
  });
  try {
    const base = registry.url;
    // Stored documents verify against their stored keys (the seeding wrote what ingest writes).
    let verified = 0;
    for (const id of marker.sampleIds) {
      const s = (await (await fetch(`${base}/api/v1/submissions/${id}`)).json()) as { document: unknown; signature: string; publicKey: string };
      if (await verifySubmission({ document: s.document, signature: s.signature, publicKey: s.publicKey })) verified++;
    }
    const counts = (await (await fetch(`${base}/api/v1/leaderboard?limit=1`)).json()) as { total: number; totalCapped: boolean };
    console.log(
      `${verified}/${marker.sampleIds.length} sampled stored signatures verify; leaderboard total ${counts.total}${counts.totalCapped ? "+" : ""} configurations`,
    );

    const leaderboard: [string, string][] = [
      ["leaderboard default (tg_tps desc)", ""],
      ["leaderboard sort=tokens_per_j", "?sort=tokens_per_j"],
      ["leaderboard board=raspberry-pi-5 sort=pp_tps", "?board=raspberry-pi-5&sort=pp_tps"],
      ["leaderboard model+backend=cpu sort=ttft_ms", "?model=qwen2-5-0-5b-instruct&backend=cpu&sort=ttft_ms"],
      ["leaderboard accelerator=gpu scope=wall tokens_per_j", "?accelerator=gpu&scope=wall&sort=tokens_per_j"],
      ["leaderboard limit=100 offset=50 sort=tps_per_cm2", "?limit=100&offset=50&sort=tps_per_cm2"],
      ["leaderboard format=csv", "?format=csv"],
    ];
    const gets: [string, string][] = [
      ["baseline GET /api/v1/health", "/api/v1/health"],
      ...(
        [
          ...leaderboard.map(([l, q]): [string, string] => [l, `/api/v1/leaderboard${q}`]),
          ["page /", "/"],
          ["page /results/:id", `/results/${marker.sampleIds[3]}`],
        ] as [string, string][]
      ).filter(([l]) => wanted(l)),
    ];
    // Warm-up: compile the Worker, open the database, fill SQLite's page cache.
    for (const [, p] of gets) for (let i = 0; i < 5; i++) await (await fetch(base + p)).arrayBuffer();

    // Fresh signed documents for the ingest phase, generated before it is timed.
    const g0 = performance.now();
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    const bodies: string[] = [];
    for (let j = 0; j < (wanted(INGEST_LABEL) ? POSTS : 0); j++)
      bodies.push(JSON.stringify((await populationSubmission(RESULTS + 1_000_000 + j + (Date.now() % 1_000_000), createdAt)).body));
    console.log(`generated ${POSTS} fresh signed documents in ${((performance.now() - g0) / 1000).toFixed(1)} s (not timed)`);

    const results: (LoadResult & { load: string })[] = [];
    for (const [label, p] of gets) {
      const r = await runLoad({ label, concurrency: CONCURRENCY, requests: REQUESTS, maxSeconds: SECONDS, make: () => ({ url: base + p }) });
      results.push({ ...r, load: loadavg() });
    }
    // The generator asks for gzip, as browsers and API clients do; a client that does not
    // (curl without --compressed) gets the cached body decompressed on every hit.
    const plainLabel = "leaderboard default, client without gzip";
    if (wanted(plainLabel)) {
      const init = { headers: { "accept-encoding": "identity" } };
      const r = await runLoad({
        label: plainLabel,
        concurrency: CONCURRENCY,
        requests: REQUESTS,
        maxSeconds: SECONDS,
        make: () => ({ url: `${base}/api/v1/leaderboard`, init }),
      });
      results.push({ ...r, load: loadavg() });
    }
    // Latency at a steady load rather than at saturation: the leaderboard reads again, open
    // loop at half the baseline's saturation rate (the level the throughput target names),
    // latency counted from when each request was due (bench/lib/load-gen.ts).
    const steadyRate = Math.max(1, Math.round(results[0]!.rps / 2));
    const steady: (LoadResult & { load: string })[] = [];
    for (const [label, p] of gets.filter(([l]) => l.startsWith("leaderboard"))) {
      const r = await runLoad({
        label: `steady ${steadyRate}/s: ${label}`,
        concurrency: CONCURRENCY,
        requests: steadyRate * STEADY_SECONDS,
        maxSeconds: STEADY_SECONDS * 2,
        rate: steadyRate,
        make: () => ({ url: base + p }),
      });
      steady.push({ ...r, load: loadavg() });
    }
    // The phases above repeat one URL, so after the warm-up they are read-cache hits. These
    // are the same reads with the cache skipped (x-edgebench-cache-bypass with this
    // instance's token): what a miss costs, i.e. the first read after each write.
    const uncached = (
      [
        ["uncached: leaderboard default (cache bypassed)", "/api/v1/leaderboard"],
        ["uncached: page / (cache bypassed)", "/"],
      ] as [string, string][]
    ).filter(([l]) => wanted(l));
    for (const [label, p] of uncached) {
      const init = { headers: { [BYPASS_HEADER]: BYPASS_TOKEN } };
      const r = await runLoad({ label, concurrency: CONCURRENCY, requests: REQUESTS, maxSeconds: SECONDS, make: () => ({ url: base + p, init }) });
      results.push({ ...r, load: loadavg() });
    }
    const post = !wanted(INGEST_LABEL)
      ? null
      : await runLoad({
          label: INGEST_LABEL,
          concurrency: CONCURRENCY,
          requests: POSTS,
          maxSeconds: SECONDS * 3,
          ok: [201],
          make: (i) => ({
            url: `${base}/api/v1/submissions`,
            init: { method: "POST", headers: { "content-type": "application/json" }, body: bodies[i % bodies.length] },
          }),
        });
    if (post) results.push({ ...post, load: loadavg() });
    results.push(...steady);
    let settledMs: number | null = null;
    if (post) {
      const s0 = performance.now();
      for (;;) {
        const { pending } = (await (await fetch(`${base}/api/v1/status`)).json()) as { pending: number };
        if (pending === 0) break;
        if (performance.now() - s0 > 60_000) throw new Error(`${pending} configurations still pending 60 s after the last upload`);
        await new Promise((r) => setTimeout(r, 20));
      }
      settledMs = performance.now() - s0;
    }

    const baseline = results[0]!;
    console.log(
      `\n${RESULTS} seeded results; ${CONCURRENCY} concurrent keep-alive connections; each phase at most ${REQUESTS} requests or ${SECONDS} s (POST: ${POSTS} or ${SECONDS * 3} s)`,
    );
    console.log("latency = client-side, request start to last byte over loopback (ms)");
    const head = `${"phase".padEnd(52)} ${"req/s".padStart(8)} ${"x base".padStart(7)} ${"p50".padStart(7)} ${"p99".padStart(7)} ${"max".padStart(7)} ${"n".padStart(6)} ${"errors".padStart(6)}  load avg (1/5/15 min)`;
    console.log(head);
    for (const r of results) {
      const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "-").padStart(7);
      console.log(
        `${r.label.padEnd(52)} ${r.rps.toFixed(0).padStart(8)} ${(r.rps / baseline.rps).toFixed(2).padStart(7)} ${f(r.p50)} ${f(r.p99)} ${f(r.max)} ${String(r.requests).padStart(6)} ${String(r.errors).padStart(6)}  ${r.load}`,
      );
      if (r.errors) console.log(`   statuses: ${JSON.stringify(r.statuses)}`);
    }
    const lb = results.filter((r) => r.label.startsWith("leaderboard"));
    const worstRatio = Math.min(...lb.map((r) => r.rps / baseline.rps));
    const worstP99 = Math.max(...lb.map((r) => r.p99));
    const worstSteadyP99 = Math.max(...steady.map((r) => r.p99));
    const targets = [
      ...(lb.length
        ? [
            `leaderboard >= 0.5 x baseline req/s: worst ${worstRatio.toFixed(2)} ${worstRatio >= 0.5 ? "met" : "MISSED"}`,
            `leaderboard p99 < 50 ms at ${steadyRate} req/s (0.5 x baseline, open loop): worst ${worstSteadyP99.toFixed(1)} ms ${worstSteadyP99 < 50 ? "met" : "MISSED"}`,
            `leaderboard p99 < 50 ms at saturation (${CONCURRENCY} connections, closed loop): worst ${worstP99.toFixed(1)} ms ${worstP99 < 50 ? "met" : "MISSED"}`,
          ]
        : []),
      ...(post ? [`ingest >= 200/s: ${post.rps.toFixed(0)}/s ${post.rps >= 200 ? "met" : "MISSED"}`] : []),
      ...(settledMs !== null
        ? [
            `every upload in the rankings within 10 s: ${(settledMs / 1000).toFixed(2)} s after the last answer ${settledMs <= 10_000 ? "met" : "MISSED"}`,
          ]
        : []),
    ];
    console.log(`\ntargets: ${targets.join("; ")}`);
  } finally {
    await registry.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
