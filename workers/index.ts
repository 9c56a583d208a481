/**
 * The registry Worker: the JSON/CSV API under /api/v1 (workers/api) and the
 * leaderboard site under / (workers/site.tsx renders leaderboard/ pages).
 * Errors from every route leave through one place (workers/errors.ts). The
 * cron trigger (wrangler.toml) aggregates whatever configurations a failed
 * pass after an upload left pending.
 */
import { Hono } from "hono";
import { aggregatePending } from "./aggregate/configurations.js";
import { api } from "./api/index.js";
import { readCache } from "./cache/read-cache.js";
import { createDb, dbMiddleware } from "./db.js";
import type { AppEnv, Env } from "./env.js";
import { notFound, onError } from "./errors.js";
import { site } from "./site.js";

export type { Env } from "./env.js";

/** How long one cron invocation aggregates before leaving the rest to the next (Workers allow 30 s of wall time after a scheduled event). */
const CRON_BUDGET_MS = 20_000;

const app = new Hono<AppEnv>();
// Versioned read cache in front of every route (workers/cache): GET reads may be answered from it; writes refresh the version.
app.use("*", readCache);
app.use("*", dbMiddleware);
app.route("/api/v1", api);
app.route("/", site);
app.onError(onError);
app.notFound(notFound);

export default {
  fetch: app.fetch,
  async scheduled(_event: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    ctx.waitUntil(aggregatePending(createDb(env.DB), Date.now() + CRON_BUDGET_MS));
  },
} satisfies ExportedHandler<Env>;

export { app };
