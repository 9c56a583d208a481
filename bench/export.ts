/**
 * The bulk export's throughput and the Worker's memory while it streams:
 * BENCH_EXPORT_RESULTS signed results (default 2,000; 100,000 for the figure
 * docs/scale.md asks for, sharing bench/load.ts's seeded state) seeded by
 * bench/lib/seed.ts, then `wrangler dev` over that state and every page of
 *
 * - GET /api/v1/export at limit 1,000 (the default) and 5,000 (the maximum),
 * - GET /api/v1/export/runs.csv at limit 5,000,
 *
 * walked by X-Next-Cursor, one request at a time, the client counting lines
 * as they arrive (it keeps nothing). Printed per walk: lines, MB, seconds,
 * lines/s, and the resident memory (VmRSS) of the workerd processes this
 * registry started (the Worker's isolate and the local D1's SQLite together),
 * sampled every 50 ms: before the walk and its peak, anonymous (heaps) apart
 * from file-backed (the database file as SQLite maps and caches it). Streaming holds one chunk
 * of 100 results at a time, so the peak should not follow the page size.
 * Local workerd lets garbage pile up before collecting it (its RSS rises with
 * bytes served on any route), so the peak is an upper bound on what is held.
 * Every 100th line's signature is verified with the contract's rule.
 *
 *   npm run bench -- export              BENCH_EXPORT_RESULTS=100000 npm run bench -- export
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { verifySubmission } from "@edgebench/contract";
import { REPO_ROOT, startLocalRegistry } from "../scripts/lib/local-registry.mjs";
import { loadavg, seedRegistry } from "./lib/seed.js";

const RESULTS = Number(process.env.BENCH_EXPORT_RESULTS ?? 2000);
/** 100,000 shares bench/load.ts's and registry-rows' state, so it is seeded once for all three. */
const dir = path.join(REPO_ROOT, ".tmp", RESULTS === 100_000 ? "bench-load" : `bench-export-${RESULTS}`);

/** workerd processes in the process group wrangler leads (startLocalRegistry starts it as a group leader). */
function workerdIn(group: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      if (name === "workerd" && pgrp === group) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Resident memory in MB: anonymous (heaps: the isolate's, SQLite's cache) and file-backed (mapped files, the database among them). */
interface Rss {
  anon: number;
  file: number;
}

function rssMb(pids: number[]): Rss {
  const kb = { anon: 0, file: 0 };
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      kb.anon += Number(/RssAnon:\s+(\d+)/.exec(status)?.[1] ?? 0);
      kb.file += Number(/RssFile:\s+(\d+)/.exec(status)?.[1] ?? 0) + Number(/RssShmem:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return { anon: kb.anon / 1024, file: kb.file / 1024 };
}

const peak = (a: Rss, b: Rss): Rss => ({ anon: Math.max(a.anon, b.anon), file: Math.max(a.file, b.file) });
const mb = (r: Rss) => `${r.anon.toFixed(0)} + ${r.file.toFixed(0)}`;

interface Walk {
  label: string;
  pages: number;
  lines: number;
  bytes: number;
  seconds: number;
  rssBefore: Rss;
  rssPeak: Rss;
  verified: number;
}

async function walk(base: string, label: string, pathAndQuery: string, pids: number[], csv: boolean): Promise<Walk> {
  const rssBefore = rssMb(pids);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = peak(rssPeak, rssMb(pids));
  }, 50);
  const t0 = performance.now();
  let cursor: string | null = null;
  let pages = 0;
  let lines = 0;
  let bytes = 0;
  let verified = 0;
  try {
    do {
      const res: Response = await fetch(`${base}${pathAndQuery}${cursor ? `&cursor=${cursor}` : ""}`);
      if (!res.ok || !res.body) throw new Error(`${pathAndQuery}: ${res.status} ${await res.text()}`);
      cursor = res.headers.get("X-Next-Cursor");
      pages++;
      const decoder = new TextDecoder();
      let partial = "";
      for await (const chunk of res.body) {
        bytes += chunk.byteLength;
        const parts = (partial + decoder.decode(chunk, { stream: true })).split(csv ? "\r\n" : "\n");
        partial = parts.pop()!;
        for (const line of parts) {
          lines++;
          if (!csv && lines % 100 === 1) {
            const l = JSON.parse(line) as { document: unknown; signature: string; publicKey: string };
            if (!(await verifySubmission(l))) throw new Error(`line ${lines}: the signature does not verify`);
            verified++;
          }
        }
      }
      if (csv) lines--; // each page's header
    } while (cursor);
  } finally {
    clearInterval(sampler);
  }
  return { label, pages, lines, bytes, seconds: (performance.now() - t0) / 1000, rssBefore, rssPeak: peak(rssPeak, rssMb(pids)), verified };
}

async function main() {
  console.log(`load average at start: ${loadavg()}`);
  const seeded = await seedRegistry({ results: RESULTS, dir });
  const registry = await startLocalRegistry({ persistDir: path.join(dir, "state"), migrate: false });
  try {
    const pids = workerdIn(registry.pid);
    if (pids.length === 0) throw new Error("no workerd process found in the registry's process group");
    // Warm-up: compile the Worker, open the database.
    await (await fetch(`${registry.url}/api/v1/export?limit=10`)).arrayBuffer();
    const walks = [
      await walk(registry.url, "NDJSON, limit 1000", "/api/v1/export?limit=1000", pids, false),
      await walk(registry.url, "NDJSON, limit 5000", "/api/v1/export?limit=5000", pids, false),
      await walk(registry.url, "runs CSV, limit 5000", "/api/v1/export/runs.csv?limit=5000", pids, true),
    ];
    const visible = seeded.results - seeded.flagged;
    console.log(`\n${seeded.results.toLocaleString("en-US")} results seeded, ${visible.toLocaleString("en-US")} visible (the rest flagged)`);
    console.log("| walk | pages | lines | MB | s | lines/s | workerd RSS anonymous + file-backed, before -> peak (MB) |");
    console.log("|---|---|---|---|---|---|---|");
    for (const w of walks) {
      console.log(
        `| ${w.label} | ${w.pages} | ${w.lines} | ${(w.bytes / 1e6).toFixed(1)} | ${w.seconds.toFixed(1)} | ${Math.round(w.lines / w.seconds)} | ${mb(w.rssBefore)} -> ${mb(w.rssPeak)} |`,
      );
    }
    for (const w of walks.slice(0, 2)) {
      if (w.lines !== visible) throw new Error(`${w.label}: ${w.lines} lines, expected ${visible}`);
    }
    console.log(`signatures verified: ${walks[0]!.verified + walks[1]!.verified} sampled lines, all good`);
  } finally {
    await registry.stop();
  }
  console.log(`load average at end: ${loadavg()}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
