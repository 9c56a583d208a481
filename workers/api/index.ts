/** The /api/v1 routes, composed; CORS is open for reads so browsers can call the API. */
import { Hono } from "hono";
import { cors } from "hono/cors";
import { pendingCount } from "../aggregate/configurations.js";
import { deferredMeter, isMetered } from "../d1-meter.js";
import type { AppEnv } from "../env.js";
import { catalogueApi } from "./catalogue.js";
import { exportApi } from "./export.js";
import { leaderboardApi } from "./leaderboard.js";
import { moderationApi } from "./moderation.js";
import { submissionsApi } from "./submissions.js";

export const api = new Hono<AppEnv>();

// Reads are public data: any origin may GET. Uploads come from the CLI, not browsers.
api.use("*", cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], exposeHeaders: ["X-Next-Cursor", "X-Total-Count", "Link"] }));

api.get("/health", (c) => c.json({ ok: true }));

/**
 * How far the rankings are behind the stored results: configurations whose
 * recomputation after an upload or a moderation action has not yet been
 * written (normally 0 within a second; the cron pass picks up what a failed
 * pass left). Tests and scripts wait on `pending: 0`.
 */
api.get("/status", async (c) => {
  const pending = await pendingCount(c.var.db);
  c.header("Cache-Control", "no-store");
  if (isMetered(c.env, c.req.raw.headers)) return c.json({ pending, deferredMeter });
  return c.json({ pending });
});

api.route("/submissions", submissionsApi);
api.route("/", moderationApi);
api.route("/leaderboard", leaderboardApi);
api.route("/export", exportApi);
api.route("/", catalogueApi);
