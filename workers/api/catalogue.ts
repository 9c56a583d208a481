/** What exists: boards, models, metric definitions, configurations by id. */
import { METRICS } from "@edgebench/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { RankFilters } from "../ranking/query.js";
import { getBoard, listBoards } from "../read/boards.js";
import { getConfigurations, MAX_COMPARE } from "../read/configurations.js";
import { getFleet } from "../read/fleets.js";
import { getModel, listModels } from "../read/models.js";
import { apiApp, failures, fault, jsonResponse, NOT_FOUND, raise, refuse } from "./openapi-app.js";

export const catalogueApi = apiApp();

/** The leaderboard's `test` parameter (ranking/query.ts): "1" includes test data. */
const TestQuery = z.object({ test: RankFilters.shape.test });
const BAD_TEST = fault(400, "invalid_query", 'test is "1" (include test data) or absent');
const testRefusal = refuse({ query: BAD_TEST });
const Rows = z.array(z.looseObject({ id: z.string() })).openapi({ description: "leaderboard rows, fastest generation first" });

catalogueApi.openapi(
  createRoute({
    method: "get",
    path: "/boards",
    operationId: "listBoards",
    tags: ["catalogue"],
    summary: "The board catalogue and every board with results, with counts",
    request: { query: TestQuery },
    responses: { 200: jsonResponse(z.object({ boards: z.array(z.looseObject({ id: z.string() })) }), "every board"), ...failures(BAD_TEST) },
  }),
  async (c) => c.json({ boards: await listBoards(c.var.db, { test: c.req.valid("query").test === "1" }) }, 200),
  testRefusal,
);

catalogueApi.openapi(
  createRoute({
    method: "get",
    path: "/boards/{id}",
    operationId: "getBoard",
    tags: ["catalogue"],
    summary: "One board: its catalogue figures, each with its public sources, and every configuration measured on it",
    request: { params: z.object({ id: z.string().openapi({ description: "the board id (GET /boards)" }) }), query: TestQuery },
    responses: {
      200: jsonResponse(z.looseObject({ board: z.looseObject({ id: z.string() }), testData: z.boolean(), rows: Rows }), "the board"),
      ...failures(BAD_TEST, NOT_FOUND),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const found = await getBoard(c.var.db, id, { test: c.req.valid("query").test === "1" });
    if (!found) throw raise(NOT_FOUND, `no board ${id}`);
    return c.json(found, 200);
  },
  testRefusal,
);

catalogueApi.openapi(
  createRoute({
    method: "get",
    path: "/fleets/{label}",
    operationId: "getFleet",
    tags: ["catalogue"],
    summary: "A fleet's nodes (newest result each), their totals per model, and its fleet-level results",
    request: { params: z.object({ label: z.string().openapi({ description: "the fleet label its nodes were run with" }) }) },
    responses: {
      200: jsonResponse(
        z.looseObject({ label: z.string(), nodes: z.array(z.unknown()), fleetLevel: z.array(z.unknown()), models: z.array(z.unknown()) }),
        "the fleet",
      ),
      ...failures(NOT_FOUND),
    },
  }),
  async (c) => {
    const { label } = c.req.valid("param");
    const found = await getFleet(c.var.db, label);
    if (!found) throw raise(NOT_FOUND, `no fleet ${label}`);
    return c.json(found, 200);
  },
);

catalogueApi.openapi(
  createRoute({
    method: "get",
    path: "/models",
    operationId: "listModels",
    tags: ["catalogue"],
    summary: "Model families and their variants (quantisations), with counts",
    request: { query: TestQuery },
    responses: {
      200: jsonResponse(
        z.object({ models: z.array(z.looseObject({ slug: z.string(), name: z.string(), variants: z.array(z.unknown()) })) }),
        "every model family",
      ),
      ...failures(BAD_TEST),
    },
  }),
  async (c) => c.json({ models: await listModels(c.var.db, { test: c.req.valid("query").test === "1" }) }, 200),
  testRefusal,
);

catalogueApi.openapi(
  createRoute({
    method: "get",
    path: "/models/{id}",
    operationId: "getModel",
    tags: ["catalogue"],
    summary: "One model family (or variant id): every configuration of its variants",
    request: {
      params: z.object({ id: z.string().openapi({ description: "a model family slug, or a variant id (a GGUF's SHA-256, or name~quantisation)" }) }),
      query: TestQuery,
    },
    responses: {
      200: jsonResponse(z.looseObject({ slug: z.string(), name: z.string(), testData: z.boolean(), rows: Rows }), "the model family"),
      ...failures(BAD_TEST, NOT_FOUND),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const found = await getModel(c.var.db, id, { test: c.req.valid("query").test === "1" });
    if (!found) throw raise(NOT_FOUND, `no model ${id}`);
    return c.json(found, 200);
  },
  testRefusal,
);

catalogueApi.openapi(
  createRoute({
    method: "get",
    path: "/metrics",
    operationId: "listMetrics",
    tags: ["catalogue"],
    summary: "The metric definitions: id, label, unit, which direction is better, whether it ranks within one meter scope",
    responses: { 200: jsonResponse(z.object({ metrics: z.array(z.looseObject({ id: z.string() })) }), "the contract's metric list") },
  }),
  (c) =>
    c.json(
      {
        metrics: METRICS.map(({ id, label, unit, better, axis, withinMeterScope, description }) => ({
          id,
          label,
          unit,
          better,
          axis,
          withinMeterScope,
          description,
        })),
      },
      200,
    ),
);

const BAD_IDS = fault(400, "invalid_query", `ids is a comma-separated list of 1-${MAX_COMPARE} configuration ids`);
const IdsQuery = z.object({
  ids: z
    .string()
    .transform((text) =>
      text
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string()).min(1).max(MAX_COMPARE))
    .openapi({ description: `configuration ids, comma-separated (1-${MAX_COMPARE}), answered in this order` }),
});

catalogueApi.openapi(
  createRoute({
    method: "get",
    path: "/configurations",
    operationId: "getConfigurations",
    tags: ["catalogue"],
    summary: "Configurations by id (what the compare page shows)",
    request: { query: IdsQuery },
    responses: { 200: jsonResponse(z.object({ configurations: Rows }), "the rows found, in the order asked"), ...failures(BAD_IDS) },
  }),
  async (c) => c.json({ configurations: await getConfigurations(c.var.db, c.req.valid("query").ids) }, 200),
  refuse({ query: BAD_IDS }),
);
