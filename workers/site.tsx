/**
 * The site's routes (mounted at "/" in workers/index.ts after the API): each
 * reads through the ranking module (workers/ranking) or the read functions
 * (workers/read), the same ones the API answers with, and renders a page of
 * leaderboard/ (server-rendered hono/jsx, which escapes every interpolated
 * value). Assets are served here too: no CDN, nothing third-party.
 */
import { type Context, Hono } from "hono";
import { CHART_SIZE } from "../leaderboard/components/chart.js";
import { pageOf } from "../leaderboard/components/pager.js";
import { ApiPage } from "../leaderboard/pages/api-docs.js";
import { BoardPage } from "../leaderboard/pages/board.js";
import { BoardsPage, ModelsPage } from "../leaderboard/pages/catalogue.js";
import { COMPARE_MAX, ComparePage, parseCompareIds } from "../leaderboard/pages/compare.js";
import { FleetPage } from "../leaderboard/pages/fleet.js";
import { LeaderboardPage } from "../leaderboard/pages/leaderboard.js";
import { ModelPage } from "../leaderboard/pages/model.js";
import { NotFoundPage } from "../leaderboard/pages/not-found.js";
import { ResultPage } from "../leaderboard/pages/result.js";
import { effectiveSort, PAGE_SIZE, parseState } from "../leaderboard/state.js";
import type { AppEnv } from "./env.js";
import { unknownId } from "./ranking/known.js";
import { ALL_MODELS, siteView } from "./ranking/site-view.js";
import { getBoard, listBoards } from "./read/boards.js";
import { getConfigurations } from "./read/configurations.js";
import { getFleet } from "./read/fleets.js";
import { getModel, listModels } from "./read/models.js";
import { byName as byNameOrder } from "./read/order.js";
import { getSubmission } from "./read/submissions.js";
import { sustainedCurves } from "./read/sustained-curves.js";

/** Most points the chart draws; the rest stay in the table (keeps the page small and quick). */
export const CHART_MAX_POINTS = 200;

export const site = new Hono<AppEnv>();

site.get("/", async (c) => {
  const state = parseState(new URL(c.req.url).searchParams);
  // The API's vocabulary, the API's answer: a board or model id no one knows is a 404, not an empty table.
  const unknown = await unknownId(c.var.db, {
    board: state.filters.board,
    model: state.filters.model === ALL_MODELS ? undefined : state.filters.model,
  });
  if (unknown) return notFoundPage(c, `${unknown.param}=${unknown.id}`, `No ${unknown.param} has the id "${unknown.id}".`);
  const sort = effectiveSort(state);
  const view = await siteView(c.var.db, {
    filters: state.filters,
    group: state.group,
    sort: sort.key,
    order: state.order,
    paretoOnly: state.view === "pareto",
    limit: PAGE_SIZE,
    offset: (state.page - 1) * PAGE_SIZE,
    paretoAxes: state.pareto.axes,
    chart: { x: state.pareto.x, y: state.pareto.y, size: CHART_SIZE, limit: CHART_MAX_POINTS },
  });
  return c.html(<LeaderboardPage state={state} view={view} sort={sort} />);
});

site.get("/api", (c) => c.html(<ApiPage origin={new URL(c.req.url).origin} />));

/** The site's `test` (lenient, as every site parameter: anything but "1" leaves test data out). */
const testWanted = (c: Context<AppEnv>) => c.req.query("test") === "1";

site.get("/boards", async (c) => {
  const test = testWanted(c);
  const byName = c.req.query("order") === "name";
  const boards = await listBoards(c.var.db, { test });
  return c.html(<BoardsPage boards={byName ? boards.sort(byNameOrder) : boards} test={test} byName={byName} />);
});

site.get("/models", async (c) => {
  const test = testWanted(c);
  return c.html(<ModelsPage models={await listModels(c.var.db, { test })} test={test} />);
});

site.get("/boards/:id", async (c) => {
  const id = c.req.param("id");
  const test = testWanted(c);
  const found = await getBoard(c.var.db, id, { test });
  if (!found) return notFoundPage(c, c.req.path, `No result has been submitted for a board with the id "${id}" yet.`);
  return c.html(<BoardPage detail={found} page={pageOf(c.req.query("page"), found.rows.length)} test={test} />);
});

site.get("/fleets/:label", async (c) => {
  const label = c.req.param("label");
  const found = await getFleet(c.var.db, label);
  if (!found) return notFoundPage(c, c.req.path, `No visible result names the fleet "${label}" yet.`);
  return c.html(<FleetPage fleet={found} />);
});

site.get("/models/:id", async (c) => {
  const id = c.req.param("id");
  const test = testWanted(c);
  const found = await getModel(c.var.db, id, { test });
  if (!found) return notFoundPage(c, c.req.path, `No result has been submitted for a model with the id "${id}" yet.`);
  return c.html(<ModelPage detail={found} focus={found.slug === id ? null : id} page={pageOf(c.req.query("page"), found.rows.length)} test={test} />);
});

site.get("/results/:id", async (c) => {
  const id = c.req.param("id");
  const found = /^[0-9a-f]{64}$/.test(id) ? await getSubmission(c.var.db, id) : null;
  if (!found) return notFoundPage(c, c.req.path, `There is no submission with the id "${id}".`);
  return c.html(<ResultPage data={found} origin={new URL(c.req.url).origin} />);
});

site.get("/compare", async (c) => {
  const ids = parseCompareIds(new URL(c.req.url).searchParams);
  const rows = await getConfigurations(c.var.db, ids.slice(0, COMPARE_MAX));
  const curves = rows.length > 1 ? await sustainedCurves(c.var.db, rows) : new Map();
  return c.html(<ComparePage rows={rows} asked={ids.length} missing={Math.min(ids.length, COMPARE_MAX) - rows.length} curves={curves} />);
});

// Any other page path gets an HTML page that points somewhere useful; API paths
// keep the API's JSON error (the Worker's notFound handler).
site.get("*", async (c, next) => {
  if (c.req.path === "/api" || c.req.path.startsWith("/api/")) return next();
  return notFoundPage(c, c.req.path, "There is no page at this address.");
});

/** The one 404 page (API paths keep the API's JSON error). */
function notFoundPage(c: Context<AppEnv>, asked: string, why: string) {
  return c.html(<NotFoundPage asked={asked} why={why} />, 404);
}
