/** The /api/v1 routes, composed; CORS is open for reads so browsers can call the API. */
import { Hono } from "hono";
import { cors } from "hono/cors";
import { dbMiddleware } from "../db.js";
import type { AppEnv } from "../env.js";
import { catalogueApi } from "./catalogue.js";
import { leaderboardApi } from "./leaderboard.js";
import { moderationApi } from "./moderation.js";
import { submissionsApi } from "./submissions.js";

export const api = new Hono<AppEnv>();

// Reads are public data: any origin may GET. Uploads come from the CLI, not browsers.
api.use("*", cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], exposeHeaders: ["X-Next-Cursor", "X-Total-Count"] }));
api.use("*", dbMiddleware);

api.get("/health", (c) => c.json({ ok: true }));
api.route("/submissions", submissionsApi);
api.route("/", moderationApi);
api.route("/leaderboard", leaderboardApi);
api.route("/", catalogueApi);
