/**
 * The registry Worker: the JSON/CSV API under /api/v1 (workers/api) and the
 * leaderboard site under / (workers/site.tsx renders leaderboard/ pages).
 * Errors from every route leave through one place (workers/errors.ts). The
 * cron trigger (wrangler.toml) recomputes the figures of results stored
 * under an older metric list (workers/aggregate/refigure.ts), then aggregates
 * whatever configurations are pending (after those, or left by a failed pass).
 */
import { Hono } from "hono";
import { aggregatePending } from "./aggregate/configurations.js";
import { refigurePending } from "./aggregate/refigure.js";
import { api } from "./api/index.js";
import { readCache } from "./cache/read-cache.js";
import { createDb, dbMiddleware } from "./db.js";
import type { AppEnv, Env } from "./env.js";
import { notFound, onError } from "./errors.js";
import { site } from "./site.js";

export type { Env } from "./env.js";

/** How long one cron invocation aggregates before leaving the rest to the next minute's (a cron handler has 30 s of CPU on Workers Paid). */
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
  async scheduled(_event: ScheduledController, env: Env): Promise<void> {
    const db = createDb(env.DB);
    const deadline = Date.now() + CRON_BUDGET_MS;
    await refigurePending(db, deadline);
    await aggregatePending(db, deadline);
  },
} satisfies ExportedHandler<Env>;

export { app };
