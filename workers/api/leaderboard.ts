/** GET /api/v1/leaderboard: the ranking (workers/ranking) as JSON, or CSV with ?format=csv or Accept: text/csv. */
import { Hono } from "hono";
import type { AppEnv } from "../env.js";
import { ApiError } from "../errors.js";
import { parseLeaderboardQuery, RankQueryError } from "../ranking/query.js";
import { type RankedPage, rank } from "../ranking/rank.js";
import { acceptsCsv, leaderboardCsv } from "./csv.js";

export const leaderboardApi = new Hono<AppEnv>();

function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format) {
    if (format !== "csv" && format !== "json") throw new ApiError(400, "bad_format", "format is json or csv");
    return format === "csv";
  }
  return acceptsCsv(accept);
}

leaderboardApi.get("/", async (c) => {
  const csv = wantsCsv(c.req.query("format"), c.req.header("Accept"));
  let page: RankedPage;
  // Inside workerd the clock only moves across I/O, so this is the time spent in D1.
  const started = performance.now();
  try {
    const { limit, offset, cursor, sort, order, ...filters } = parseLeaderboardQuery(new URL(c.req.url).searchParams);
    page = await rank(c.var.db, { filters, sort, order, limit, offset, cursor });
  } catch (e) {
    if (e instanceof RankQueryError) throw new ApiError(400, "invalid_query", e.message, e.issues);
    throw e;
  }
  c.header("Server-Timing", `db;dur=${(performance.now() - started).toFixed(1)}`);
  if (csv) {
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", 'inline; filename="edgebench-leaderboard.csv"');
    if (page.nextCursor) c.header("X-Next-Cursor", page.nextCursor);
    c.header("X-Total-Count", String(page.total));
    return c.body(leaderboardCsv(page.rows));
  }
  return c.json(page);
});
