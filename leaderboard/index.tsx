/**
 * The public site, served by the same Worker as the API (mounted at "/" in
 * workers/index.ts after the API routes). Pages are server-rendered hono/jsx
 * (which escapes every interpolated value) and read D1 only through
 * workers/queries. Assets are served here too: no CDN, nothing third-party.
 */
import { Hono, type Context } from "hono";
import { createDb, type Db } from "../workers/db.js";
import type { AppEnv } from "../workers/env.js";
import { getBoard, getConfigurations, getModel, getSubmission } from "../workers/queries/index.js";
import { registryVersion } from "../workers/cache/version.js";
import { ASSETS } from "./assets/index.js";
import { EmptyState } from "./components/empty.js";
import { Layout } from "./components/layout.js";
import { ApiPage } from "./pages/api-docs.js";
import { BoardPage } from "./pages/board.js";
import { COMPARE_MAX, ComparePage, parseCompareIds } from "./pages/compare.js";
import { ModelPage } from "./pages/model.js";
import { ResultPage } from "./pages/result.js";
import { LeaderboardPage } from "./pages/leaderboard.js";
import { rankView } from "./ranking.js";
import { parseState } from "./state.js";

const site = new Hono<AppEnv>();

/** The drizzle instance the API middleware set, or one of our own. */
function db(c: Context<AppEnv>): Db {
  return c.get("db") ?? createDb(c.env.DB);
}

for (const asset of ASSETS) {
  site.get(asset.path, (c) =>
    c.body(asset.body, 200, {
      "content-type": asset.type,
      // The path changes with the content, so it may be cached for good.
      "cache-control": "public, max-age=31536000, immutable",
    }),
  );
}

site.get("/", async (c) => {
  const state = parseState(new URL(c.req.url).searchParams);
  // The version the read cache holds (no extra query while it is fresh); null: work everything out.
  const version = await registryVersion(c.env.DB).catch(() => null);
  const ranked = await rankView(db(c), state, version);
  return c.html(<LeaderboardPage state={state} ranked={ranked} />);
});

site.get("/api", (c) => c.html(<ApiPage origin={new URL(c.req.url).origin} />));

site.get("/boards/:id", async (c) => {
  const id = c.req.param("id");
  const found = await getBoard(db(c), id);
  if (!found) return notFoundPage(c, "No such board", `No result has been submitted for a board with the id "${id}" yet.`);
  return c.html(<BoardPage detail={found} />);
});

site.get("/models/:id", async (c) => {
  const id = c.req.param("id");
  const found = await getModel(db(c), id);
  if (!found) return notFoundPage(c, "No such model", `No result has been submitted for a model with the id "${id}" yet.`);
  return c.html(<ModelPage detail={found} focus={found.slug === id ? null : id} />);
});

site.get("/results/:id", async (c) => {
  const id = c.req.param("id");
  const found = /^[0-9a-f]{64}$/.test(id) ? await getSubmission(db(c), id) : null;
  if (!found) return notFoundPage(c, "No such result", `There is no submission with the id "${id}".`);
  return c.html(<ResultPage data={found} origin={new URL(c.req.url).origin} />);
});

site.get("/compare", async (c) => {
  const ids = parseCompareIds(new URL(c.req.url).searchParams);
  const rows = await getConfigurations(db(c), ids.slice(0, COMPARE_MAX));
  return c.html(<ComparePage rows={rows} asked={ids.length} missing={Math.min(ids.length, COMPARE_MAX) - rows.length} />);
});

// Any other page path gets an HTML page that points somewhere useful; API paths
// keep the API's JSON error (the Worker's notFound handler).
site.get("*", async (c, next) => {
  if (c.req.path === "/api" || c.req.path.startsWith("/api/")) return next();
  return notFoundPage(c, "Page not found", `There is no page at ${c.req.path}.`);
});

function notFoundPage(c: Context<AppEnv>, title: string, text: string) {
  return c.html(
    <Layout title={title} section="other">
      <h1>{title}</h1>
      <EmptyState title="Nothing here yet">
        <p>{text}</p>
      </EmptyState>
    </Layout>,
    404,
  );
}

export default site;
