/**
 * The registry Worker: the JSON/CSV API under /api/v1 (workers/api) and the
 * leaderboard site under / (leaderboard/). Errors from every route leave
 * through one place (workers/errors.ts).
 */
import { Hono } from "hono";
import site from "../leaderboard/index.js";
import { api } from "./api/index.js";
import { readCache } from "./cache/read-cache.js";
import type { AppEnv } from "./env.js";
import { notFound, onError } from "./errors.js";

export type { Env } from "./env.js";

const app = new Hono<AppEnv>();
// Versioned read cache in front of every route (workers/cache): GET reads may be answered from it; writes refresh the version.
app.use("*", readCache);
app.route("/api/v1", api);
app.route("/", site);
app.onError(onError);
app.notFound(notFound);

export default app;
