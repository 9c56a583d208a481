/**
 * The OpenAPI 3.1 description of /api/v1, generated from the routes' own definitions (./openapi-app.ts): the
 * same zod schemas that validate each request. Served at /api/v1/openapi.json and rendered by the /api page.
 */
import { FIGURES_VERSION, RESULT_SCHEMA_ID } from "@edgebench/contract";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env.js";
import { DATA_LICENCE_URL } from "./export.js";

export type OpenApiDocument = ReturnType<OpenAPIHono<AppEnv>["getOpenAPI31Document"]>;

/** The API's version: its major (the /v1 of every path) and the figures it computes (the contract's metric list and rules). */
export const API_VERSION = `1.0.0+figures.${FIGURES_VERSION}`;

const TAGS = [
  { name: "submissions", description: "Signed results: upload, read, withdraw your own." },
  { name: "rankings", description: "Configurations ranked by a metric (workers/ranking)." },
  { name: "catalogue", description: "What exists: boards, models, fleets, metrics, standard files, retired builds." },
  { name: "export", description: "The whole visible data set, paged, under CC BY 4.0." },
  { name: "moderation", description: "Admin actions (bearer token); every one is logged." },
  { name: "registry", description: "The registry itself: health, aggregation status, this document." },
];

const described = new WeakMap<OpenAPIHono<AppEnv>, OpenApiDocument>();

/** The document of `api`, generated once per isolate (the routes are fixed once the module has loaded). */
export function describeApi(api: OpenAPIHono<AppEnv>): OpenApiDocument {
  const known = described.get(api);
  if (known) return known;
  api.openAPIRegistry.registerComponent("securitySchemes", "adminToken", {
    type: "http",
    scheme: "bearer",
    description: "the registry's ADMIN_TOKEN secret; without one configured every admin call is 503 moderation_disabled",
  });
  const document = api.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "edgebench registry API",
      version: API_VERSION,
      description:
        `Every result is an ${RESULT_SCHEMA_ID} document signed with its contributor's Ed25519 key. ` +
        'Errors always have the shape {"error":{"code","message","details"?}}; each operation lists its codes. ' +
        `GET operations allow any origin. The data (documents, signatures and the figures computed from them) is published under CC BY 4.0 (${DATA_LICENCE_URL}).`,
    },
    // Relative: the document describes whichever registry serves it.
    servers: [{ url: "/api/v1", description: "this registry" }],
    tags: TAGS,
  });
  described.set(api, document);
  return document;
}
