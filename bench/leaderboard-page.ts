/**
 * The leaderboard page's budget with 10,000 results stored:
 *   - total transfer compressed (HTML + CSS + JS, gzip and brotli), target < 100 KB
 *   - time to render it (ms per request, p50/p99 over 200 requests), target < 50 ms
 *
 * Real parts only: `wrangler dev` on 127.0.0.1 with a local D1, filled through
 * POST /api/v1/submissions with signed documents from test/fixtures/documents.ts
 * (so every stored row is exactly what ingest writes). The seeded database is
 * kept in .tmp/bench-leaderboard/ and topped up on the next run, because
 * seeding 10,000 signed uploads takes minutes on two cores. Seeding stops at a
 * time bound and the figures then say how many results were actually stored.
 *
 * Render time is measured from the client over loopback (request sent to last
 * byte received), so it is an upper bound on the Worker's time: inside workerd
 * the clock only advances on I/O and cannot time rendering itself.
 *
 *   npm run bench -- leaderboard        BENCH_RESULTS=2000 to try a smaller set
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { REPO_ROOT, startLocalRegistry } from "../scripts/lib/local-registry.mjs";
import {
  buildDocument,
  type FixtureBoardId,
  type FixtureKeyPair,
  type FixtureModelId,
  type FixtureOptions,
  keyPairFromSeed,
  signed,
} from "../test/fixtures/documents.js";

const TARGET = Number(process.env.BENCH_RESULTS ?? 10_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
/** Seeding stops after this long whatever the count (bounded, stops by itself). */
const SEED_BUDGET_MS = Number(process.env.BENCH_SEED_BUDGET_MS ?? 15 * 60_000);
const CONCURRENCY = 4;
const KEYS = 60;
const PERSIST = process.env.BENCH_DIR ? path.resolve(process.env.BENCH_DIR) : path.join(REPO_ROOT, ".tmp", "bench-leaderboard");
/**
 * The registry's upload rate limits (wrangler.toml: per key and per address a
 * minute) would stretch seeding 10,000 results from one address over hours.
 * wrangler dev takes overrides from the environment when
 * CLOUDFLARE_INCLUDE_PROCESS_ENV is set; they apply to this local instance only.
 */
const SEED_LIMITS = { RATE_LIMIT_PER_KEY: "1000000", RATE_LIMIT_PER_ADDRESS: "1000000" };

const BOARDS: FixtureBoardId[] = ["rpi5", "rpi5-hailo", "orin-nano", "rock5b", "mac-mini-m4", "nuc", "custom"];
const MODELS: FixtureModelId[] = ["qwen2.5-0.5b-q4_k_m", "qwen2.5-0.5b-q8_0", "llama-3.2-1b-q4_k_m", "tiny-local-q8_0"];
const METERS = ["usual", "none", "wall"] as const;

/**
 * The i-th synthetic result: about 1,500 distinct configurations (board x model
 * x threads x meter, plus 40 self-declared boards), several submissions each,
 * from 60 contributors. Each document differs (seed, time) so each is a new id.
 */
function documentFor(i: number): FixtureOptions {
  const custom = i % 5 === 4;
  const board = custom ? "custom" : BOARDS[i % 6]!;
  const model = MODELS[Math.floor(i / 7) % MODELS.length]!;
  const threads = 1 + (Math.floor(i / 29) % 8);
  const meter = METERS[Math.floor(i / 233) % METERS.length]!;
  const options: FixtureOptions = {
    board,
    models: [model],
    threads,
    seed: i + 1,
    speed: 0.6 + ((i * 7919) % 800) / 1000,
    createdAt: new Date(Date.UTC(2026, 9, 1) + i * 60_000).toISOString(),
    quality: i % 3 === 0,
    reps: 3,
  };
  if (meter === "none") options.meter = null;
  if (meter === "wall") options.meter = "shelly";
  if (i % 4 === 0) options.envelope = { widthMm: 90 + (i % 40), depthMm: 60 + (i % 20), heightMm: 20 + (i % 30) };
  if (custom) {
    const n = Math.floor(i / 5) % 40;
    options.mutate = (d) => {
      d.system.board.name = `Acme EdgeBox ${n}`;
    };
  }
  if (i % 11 === 0) options.displayName = `lab-${i % 97}`;
  return options;
}

async function storedResults(url: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/boards`);
  const body = (await res.json()) as { boards: { submissions: number }[] };
  return body.boards.reduce((a, b) => a + b.submissions, 0);
}

async function seed(url: string, have: number): Promise<number> {
  const keys: FixtureKeyPair[] = [];
  for (let k = 0; k < KEYS; k++) keys.push(await keyPairFromSeed(100 + k));
  const deadline = Date.now() + SEED_BUDGET_MS;
  let next = have;
  let done = have;
  let failed = 0;
  const started = Date.now();
  async function worker(): Promise<void> {
    // Count only new results (201): a 200 is a document stored by an earlier, interrupted run.
    while (done < TARGET && Date.now() < deadline) {
      const i = next++;
      const { body } = await signed(buildDocument(documentFor(i)), keys[i % KEYS]!);
      const res = await fetch(`${url}/api/v1/submissions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      await res.arrayBuffer();
      if (res.status === 201) done++;
      else if (res.status !== 200 && ++failed > 20) throw new Error(`seeding: too many failures (last status ${res.status})`);
      if (res.status === 201 && done % 1000 === 0) console.error(`  seeded ${done} results (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return done;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timed(url: string): Promise<{ ms: number; bytes: Uint8Array; status: number }> {
  const t0 = performance.now();
  const res = await fetch(url);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { ms: performance.now() - t0, bytes, status: res.status };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  await mkdir(PERSIST, { recursive: true });
  Object.assign(process.env, SEED_LIMITS, { CLOUDFLARE_INCLUDE_PROCESS_ENV: "true" });
  const registry = await startLocalRegistry({ persistDir: PERSIST });
  try {
    let have = await storedResults(registry.url);
    if (have < TARGET) {
      console.error(`seeding ${TARGET - have} signed results through POST /api/v1/submissions (have ${have})`);
      const t0 = Date.now();
      await seed(registry.url, have);
      have = await storedResults(registry.url);
      console.error(`  ${have} stored after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    // /api is a static page from the same Worker (no D1): the floor HTTP and wrangler dev add.
    const pages = ["/", "/?view=energy", "/?view=pareto", "/api"];
    console.log(`results stored: ${have.toLocaleString("en-US")} (target ${TARGET.toLocaleString("en-US")})`);
    console.log("");
    console.log("page              | configs | HTML raw | HTML gzip | HTML br | +CSS+JS gzip | +CSS+JS br | p50 ms | p99 ms | mean ms");
    for (const p of pages) {
      const first = await timed(registry.url + p);
      if (first.status !== 200) throw new Error(`GET ${p}: ${first.status}`);
      const html = new TextDecoder().decode(first.bytes);
      const assets = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
      let assetGz = 0;
      let assetBr = 0;
      for (const a of assets) {
        const { bytes } = await timed(registry.url + a);
        assetGz += gzipSync(bytes, { level: 6 }).length;
        assetBr += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
      }
      const gz = gzipSync(first.bytes, { level: 6 }).length;
      const br = brotliCompressSync(first.bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
      const configs = /\(([\d,]+) configurations?\)<\/span>/.exec(html)?.[1] ?? "?";
      for (let w = 0; w < 10; w++) await timed(registry.url + p);
      const times: number[] = [];
      for (let r = 0; r < REQUESTS; r++) times.push((await timed(registry.url + p)).ms);
      times.sort((a, b) => a - b);
      const mean = times.reduce((a, b) => a + b, 0) / times.length;
      console.log(
        [
          p.padEnd(17),
          configs.padStart(7),
          kb(first.bytes.length).padStart(8),
          kb(gz).padStart(9),
          kb(br).padStart(7),
          kb(gz + assetGz).padStart(12),
          kb(br + assetBr).padStart(10),
          pct(times, 50).toFixed(1).padStart(6),
          pct(times, 99).toFixed(1).padStart(6),
          mean.toFixed(1).padStart(7),
        ].join(" | "),
      );
    }
    console.log("");
    console.log(
      `targets: total transfer < 100 KB compressed; render < 50 ms. Times: ${REQUESTS} sequential GETs from Node over 127.0.0.1 to wrangler dev (client-side, includes HTTP).`,
    );
  } finally {
    await registry.stop();
  }
}

await main();
