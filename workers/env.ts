/** The Worker's bindings and the Hono environment every route shares. */
import type { D1Meter } from "./d1-meter.js";
import type { Db } from "./db.js";

export interface Env {
  DB: D1Database;
  /** wrangler.toml [assets]: the site's CSS and script, served before the Worker runs (the Worker itself never fetches them). */
  ASSETS?: Fetcher;
  /** Submissions per key per window (wrangler var; default in workers/ingest/rate-limit.ts). */
  RATE_LIMIT_PER_KEY?: string;
  /** Submissions per client address per window (wrangler var). */
  RATE_LIMIT_PER_ADDRESS?: string;
  /** Window length in seconds (wrangler var). */
  RATE_LIMIT_WINDOW_SECONDS?: string;
  /** Moderation bearer token: a Worker secret (`wrangler secret put ADMIN_TOKEN`, `.dev.vars` locally). */
  ADMIN_TOKEN?: string;
  /**
   * Benchmarks only (bench/load.ts passes it with --var): a request carrying this value in
   * x-edgebench-cache-bypass skips the read cache, so misses can be measured. Unset in production.
   */
  CACHE_BYPASS_TOKEN?: string;
  /** How long the aggregation pass after an upload waits for more uploads to take in (ms; workers/api/submissions.ts). */
  AGGREGATE_DELAY_MS?: string;
  /** Benchmarks only: a request carrying this value in x-edgebench-d1-meter gets D1's row counts back (workers/d1-meter.ts). */
  D1_METER_TOKEN?: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: { db: Db; meter?: D1Meter };
}
