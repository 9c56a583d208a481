/** GET /api/v1/leaderboard: the ranking (workers/ranking) as JSON, or CSV with ?format=csv or Accept: text/csv. */
import { createRoute, z } from "@hono/zod-openapi";
import { assertKnownIds } from "../ranking/known.js";
import { LeaderboardQuery, RankQueryError } from "../ranking/query.js";
import { type RankedPage, rank } from "../ranking/rank.js";
import { ORDER_RULE, SCOPE_RULE } from "../ranking/scope.js";
import { acceptsCsv, leaderboardCsv } from "./csv.js";
import { apiApp, failures, fault, raise, refuse } from "./openapi-app.js";

export const leaderboardApi = apiApp();

const BAD_FORMAT = fault(400, "bad_format", "format is json or csv");
const INVALID_QUERY = fault(400, "invalid_query", "invalid leaderboard query");

/** The ranking module's query (every filter, the order and the page) and the API's own choice of format. */
const Query = LeaderboardQuery.extend({
  format: z.enum(["json", "csv"]).optional().openapi({ description: "csv for CSV (so does Accept: text/csv); default json" }),
});

const Page = z.looseObject({
  rows: z.array(z.looseObject({ id: z.string() })),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
  nextCursor: z.string().nullable().openapi({ description: "pass as cursor for the next page; null on the last" }),
});

const route = createRoute({
  method: "get",
  path: "/",
  operationId: "leaderboard",
  tags: ["rankings"],
  summary: "Configurations ranked: filters, sort, pagination; JSON or CSV",
  description: `Configurations aggregated over their submissions (the median per metric). The site's / takes the same parameters and ranks the same rows; an empty parameter counts as absent. ${ORDER_RULE} ${SCOPE_RULE}`,
  request: { query: Query },
  responses: {
    200: {
      description:
        "a page of rows; as CSV one row per configuration (configuration fields, then each metric's median and stddev by metric id), with the page in headers",
      headers: {
        "X-Next-Cursor": { description: "CSV: the next page's cursor (absent on the last page)", schema: { type: "string" } },
        "X-Total-Count": { description: "CSV: configurations in the ranking", schema: { type: "string" } },
      },
      content: { "application/json": { schema: Page }, "text/csv": { schema: z.string() } },
    },
    ...failures(
      BAD_FORMAT,
      INVALID_QUERY,
      fault(404, "unknown_board", "the board filter names no board the registry knows"),
      fault(404, "unknown_model", "the model filter names no model the registry knows"),
    ),
  },
});

/**
 * An empty parameter is an absent one, as on the site: its filter form sends every field, so `max_w=` from an
 * untouched box must not be a 400 when a site query string is pasted into the API.
 */
leaderboardApi.use("/", async (c, next) => {
  const url = new URL(c.req.url);
  const kept = [...url.searchParams].filter(([, v]) => v !== "");
  if (kept.length < [...url.searchParams].length) {
    url.search = new URLSearchParams(kept).toString();
    c.req.raw = new Request(url, c.req.raw);
  }
  await next();
});

leaderboardApi.openapi(
  route,
  async (c) => {
    const { format, limit, offset, cursor, sort, order, group, ...filters } = c.req.valid("query");
    const csv = format ? format === "csv" : acceptsCsv(c.req.header("Accept"));
    let page: RankedPage;
    // Inside workerd the clock only moves across I/O, so this is the time spent in D1.
    const started = performance.now();
    try {
      await assertKnownIds(c.var.db, filters);
      page = await rank(c.var.db, { filters, sort, order, group, limit, offset, cursor });
    } catch (e) {
      if (e instanceof RankQueryError) throw raise(INVALID_QUERY, e.message, e.issues);
      throw e;
    }
    c.header("Server-Timing", `db;dur=${(performance.now() - started).toFixed(1)}`);
    if (csv) {
      c.header("Content-Disposition", 'inline; filename="edgebench-leaderboard.csv"');
      if (page.nextCursor) c.header("X-Next-Cursor", page.nextCursor);
      c.header("X-Total-Count", String(page.total));
      return c.text(leaderboardCsv(page.rows), 200, { "Content-Type": "text/csv; charset=utf-8" });
    }
    return c.json(page, 200);
  },
  refuse({ query: { format: BAD_FORMAT, "*": INVALID_QUERY } }),
);
