/**
 * The /api/v1 routes, composed, and their OpenAPI description at /api/v1/openapi.json (./openapi-document.ts);
 * CORS is open for reads so browsers can call the API.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { pendingCount } from "../aggregate/configurations.js";
import { deferredMeter, isMetered } from "../d1-meter.js";
import { catalogueApi } from "./catalogue.js";
import { exportApi } from "./export.js";
import { leaderboardApi } from "./leaderboard.js";
import { moderationApi } from "./moderation.js";
import { apiApp, jsonResponse } from "./openapi-app.js";
import { describeApi } from "./openapi-document.js";
import { submissionsApi } from "./submissions.js";

export const api = apiApp();

// Reads are public data: any origin may GET. Uploads come from the CLI, not browsers.
api.use("*", cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], exposeHeaders: ["X-Next-Cursor", "X-Total-Count", "Link"] }));

api.openapi(
  createRoute({
    method: "get",
    path: "/health",
    operationId: "health",
    tags: ["registry"],
    summary: "Whether the Worker answers",
    responses: { 200: jsonResponse(z.object({ ok: z.literal(true) }), "it does") },
  }),
  (c) => c.json({ ok: true as const }, 200),
);

/**
 * How far the rankings are behind the stored results: configurations whose
 * recomputation after an upload or a moderation action has not yet been
 * written (normally 0 within a second; the cron pass picks up what a failed
 * pass left). Tests and scripts wait on `pending: 0`.
 */
api.openapi(
  createRoute({
    method: "get",
    path: "/status",
    operationId: "status",
    tags: ["registry"],
    summary: "Configurations waiting for the aggregation step after an upload or a moderation action",
    description: "0 when the rankings include every stored result (normally within a second of a write). Never cached.",
    responses: { 200: jsonResponse(z.looseObject({ pending: z.number().int() }), "the count") },
  }),
  async (c) => {
    const pending = await pendingCount(c.var.db);
    c.header("Cache-Control", "no-store");
    if (isMetered(c.env, c.req.raw.headers)) return c.json({ pending, deferredMeter }, 200);
    return c.json({ pending }, 200);
  },
);

api.route("/submissions", submissionsApi);
api.route("/", moderationApi);
api.route("/leaderboard", leaderboardApi);
api.route("/export", exportApi);
api.route("/", catalogueApi);

/** The description changes only with a deploy: an hour in any cache, then revalidated. */
const DOCUMENT_CACHE_CONTROL = "public, max-age=3600";

/** This API's OpenAPI 3.1 document (not itself an operation in it). */
export const apiDocument = () => describeApi(api);

api.get("/openapi.json", (c) => {
  c.header("Cache-Control", DOCUMENT_CACHE_CONTROL);
  return c.json(apiDocument());
});
