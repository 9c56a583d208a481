/**
 * GET /api/v1/leaderboard with 100,000 configurations stored (target: p99 < 50 ms),
 * and POST /api/v1/submissions into that database.
 *
 * Real parts: `wrangler dev` on 127.0.0.1 with a local D1 at the current
 * migration. The leaderboard reads only the `configurations` table, so the
 * 100,000 rows are generated straight into it by one INSERT ... SELECT over a
 * recursive CTE (synthetic figures spread over 40 boards, 60 model variants,
 * 5 meter scopes; energy absent where the scope is "none"): seeding 100,000
 * signed uploads would take hours on two cores. The ingest figures then come
 * from real signed documents (test/fixtures/documents.ts) posted on top.
 *
 * Times are measured from the client over loopback (request sent to last byte
 * received), an upper bound on the Worker's own time.
 *
 *   npm run bench -- api-leaderboard          BENCH_CONFIGS=20000 for a smaller set
 */
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { applyLocalMigrations, REPO_ROOT, runWrangler, startLocalRegistry } from "../scripts/lib/local-registry.mjs";
import { syntheticConfigurationsSql } from "../test/fixtures/configurations.js";
import { buildDocument, fixtureKeyPair, signed } from "../test/fixtures/documents.js";

const CONFIGS = Number(process.env.BENCH_CONFIGS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 40);
const DIR = path.join(REPO_ROOT, ".tmp", "bench-api-leaderboard");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timeRequests(label: string, make: (i: number) => Promise<Response>, count: number) {
  const times: number[] = [];
  const dbTimes: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const res = await make(i);
    const body = await res.arrayBuffer();
    times.push(performance.now() - t0);
    const dbDur = /db;dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "")?.[1];
    if (dbDur) dbTimes.push(Number(dbDur));
    if (!res.ok && res.status !== 200 && res.status !== 201)
      throw new Error(`${label}: HTTP ${res.status} ${new TextDecoder().decode(body).slice(0, 300)}`);
    bytes += body.byteLength;
  }
  times.sort((a, b) => a - b);
  dbTimes.sort((a, b) => a - b);
  const fmt = (x: number | undefined) => (x === undefined ? "-" : x.toFixed(1)).padStart(7);
  const db = dbTimes.length ? [percentile(dbTimes, 50), percentile(dbTimes, 99)] : [undefined, undefined];
  console.log(
    `${label.padEnd(50)} ${fmt(percentile(times, 50))} ${fmt(percentile(times, 99))} ${fmt(times.at(-1))} ${fmt(db[0])} ${fmt(db[1])}  ${Math.round(bytes / count)} B`,
  );
  return { client: percentile(times, 99), db: db[1] ?? Number.NaN };
}

async function main() {
  await rm(DIR, { recursive: true, force: true });
  const t0 = performance.now();
  await applyLocalMigrations(DIR);
  const sqlFile = path.join(DIR, "seed.sql");
  await writeFile(sqlFile, syntheticConfigurationsSql(CONFIGS));
  await runWrangler(["d1", "execute", "DB", "--local", "--persist-to", DIR, "--file", sqlFile], { timeoutMs: 600_000 });
  console.log(`seeded ${CONFIGS} configurations in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const registry = await startLocalRegistry({ persistDir: DIR, migrate: false });
  try {
    const get = (q: string) => () => fetch(`${registry.url}/api/v1/leaderboard${q}`);
    // Warm-up: first requests compile the Worker and open the database.
    for (let i = 0; i < 10; i++) await (await get("")()).arrayBuffer();

    console.log(`\n${CONFIGS} configurations, ${REQUESTS} sequential requests each (ms, client-side over loopback)`);
    console.log(
      `load average before: ${(await import("node:os"))
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")} (2 shared cores)`,
    );
    console.log(`client = request to last byte over loopback; db = Server-Timing db;dur (time in D1, measured inside the Worker)`);
    console.log(
      `${"request".padEnd(50)} ${"p50".padStart(7)} ${"p99".padStart(7)} ${"max".padStart(7)} ${"db p50".padStart(7)} ${"db p99".padStart(7)}  body`,
    );
    const worst: { client: number; db: number }[] = [];
    const cases: [string, string][] = [
      ["default (tg_tps desc, 50 rows)", ""],
      ["sort=pp_tps", "?sort=pp_tps"],
      ["sort=ttft_ms (asc)", "?sort=ttft_ms"],
      ["sort=tokens_per_j (default scope)", "?sort=tokens_per_j"],
      ["sort=tokens_per_j&scope=wall", "?sort=tokens_per_j&scope=wall"],
      ["board=board-7", "?board=board-7"],
      ["model=model-3&quantisation=Q8_0", "?model=model-3&quantisation=Q8_0"],
      ["accelerator=npu&sort=tg_tps", "?accelerator=npu"],
      ["backend=cuda&scope=soc-rails&sort=j_per_token", "?backend=cuda&scope=soc-rails&sort=j_per_token"],
      ["offset=5000", "?offset=5000"],
      ["limit=500", "?limit=500"],
      ["format=csv (50 rows)", "?format=csv"],
    ];
    for (const [label, q] of cases) worst.push(await timeRequests(label, get(q), REQUESTS));

    // Keyset pagination: walk 200 pages by cursor.
    let cursor: string | null = null;
    worst.push(
      await timeRequests(
        "cursor pages (walks 200 x 50 rows)",
        async () => {
          const res = await fetch(`${registry.url}/api/v1/leaderboard?limit=50${cursor ? `&cursor=${cursor}` : ""}`);
          const copy = res.clone();
          cursor = ((await copy.json()) as { nextCursor: string | null }).nextCursor;
          return res;
        },
        REQUESTS,
      ),
    );

    // Ingest into the big database: signed documents, each a new submission.
    const keys = await fixtureKeyPair();
    const boards = ["rpi5", "orin-nano", "rock5b", "nuc"] as const;
    const bodies = await Promise.all(
      Array.from({ length: UPLOADS }, async (_, i) => {
        const doc = buildDocument({
          board: boards[i % boards.length],
          seed: i + 1,
          createdAt: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
        });
        return JSON.stringify((await signed(doc, keys)).body);
      }),
    );
    console.log("");
    await timeRequests(
      `POST /api/v1/submissions (${UPLOADS} new 1-run documents)`,
      (i) => fetch(`${registry.url}/api/v1/submissions`, { method: "POST", headers: { "content-type": "application/json" }, body: bodies[i] }),
      UPLOADS,
    );
    const worstClient = Math.max(...worst.map((w) => w.client));
    const worstDb = Math.max(...worst.filter((w) => !Number.isNaN(w.db)).map((w) => w.db));
    console.log(`\nworst leaderboard p99: ${worstClient.toFixed(1)} ms client-side, ${worstDb.toFixed(1)} ms in D1 (target < 50 ms)`);
  } finally {
    await registry.stop();
    await rm(DIR, { recursive: true, force: true });
  }
}

await main();
