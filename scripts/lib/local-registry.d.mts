/** Types for local-registry.mjs (plain ESM so `npm start` runs without a build). */

export declare const REPO_ROOT: string;

export interface LocalRegistryOptions {
  /** Exact port; when omitted a free one is picked (preferredPort first when free). */
  port?: number;
  /** Used when free, else any free port. */
  preferredPort?: number;
  /** Local state (D1 SQLite). Default: a fresh temp directory that stop() removes. */
  persistDir?: string;
  /** Receives wrangler's output as it arrives. */
  log?: (chunk: string) => void;
  /** Apply db/migrations first (default true). */
  migrate?: boolean;
  /** How long to wait for GET /api/v1/health (default 90 000 ms). */
  readyTimeoutMs?: number;
  /** SIGKILL the process group when SIGINT has not ended it in this long (default 10 000 ms). */
  stopTimeoutMs?: number;
  /** Wrangler vars for this instance only (`--var K:V`), e.g. raised rate limits for a benchmark. */
  vars?: Record<string, string>;
  /** Serve /__scheduled, which runs the Worker's cron handler (the aggregation backstop): benchmarks use it. */
  testScheduled?: boolean;
}

export interface LocalRegistry {
  /** e.g. "http://127.0.0.1:8787" (no trailing slash). */
  url: string;
  port: number;
  persistDir: string;
  pid: number;
  /** SIGINT, wait, SIGKILL after the bound; idempotent. */
  stop(): Promise<void>;
  /** The tail of wrangler's output so far (for error messages). */
  output(): string;
}

export declare function startLocalRegistry(options?: LocalRegistryOptions): Promise<LocalRegistry>;
export declare function applyLocalMigrations(persistDir: string, options?: { timeoutMs?: number; log?: (chunk: string) => void }): Promise<string>;
export declare function runWrangler(args: string[], options?: { timeoutMs?: number; log?: (chunk: string) => void }): Promise<string>;
export declare function freePort(preferred?: number): Promise<number>;
