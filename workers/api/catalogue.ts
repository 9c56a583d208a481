/** What exists: boards, models, metric definitions, configurations by id. */
import { METRICS } from "@edgebench/contract";
import { Hono } from "hono";
import type { AppEnv } from "../env.js";
import { ApiError } from "../errors.js";
import { getBoard, listBoards } from "../read/boards.js";
import { getConfigurations, MAX_COMPARE } from "../read/configurations.js";
import { getFleet } from "../read/fleets.js";
import { getModel, listModels } from "../read/models.js";

export const catalogueApi = new Hono<AppEnv>();

catalogueApi.get("/boards", async (c) => c.json({ boards: await listBoards(c.var.db) }));

catalogueApi.get("/boards/:id", async (c) => {
  const found = await getBoard(c.var.db, c.req.param("id"));
  if (!found) throw new ApiError(404, "not_found", `no board ${c.req.param("id")}`);
  return c.json(found);
});

/** A fleet's nodes (newest result each), their totals per model, and its fleet-level results. */
catalogueApi.get("/fleets/:label", async (c) => {
  const found = await getFleet(c.var.db, c.req.param("label"));
  if (!found) throw new ApiError(404, "not_found", `no fleet ${c.req.param("label")}`);
  return c.json(found);
});

catalogueApi.get("/models", async (c) => c.json({ models: await listModels(c.var.db) }));

catalogueApi.get("/models/:id", async (c) => {
  const found = await getModel(c.var.db, c.req.param("id"));
  if (!found) throw new ApiError(404, "not_found", `no model ${c.req.param("id")}`);
  return c.json(found);
});

catalogueApi.get("/metrics", (c) =>
  c.json({
    metrics: METRICS.map(({ id, label, unit, better, axis, withinMeterScope, description }) => ({
      id,
      label,
      unit,
      better,
      axis,
      withinMeterScope,
      description,
    })),
  }),
);

/** ?ids=a,b,c: the rows for a compare view, in the order asked. */
catalogueApi.get("/configurations", async (c) => {
  const ids = (c.req.query("ids") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new ApiError(400, "invalid_query", "ids is a comma-separated list of configuration ids");
  if (ids.length > MAX_COMPARE) throw new ApiError(400, "invalid_query", `at most ${MAX_COMPARE} ids`);
  return c.json({ configurations: await getConfigurations(c.var.db, ids) });
});
