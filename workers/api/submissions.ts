/**
 * POST /api/v1/submissions (workers/ingest/upload.ts decides what is stored,
 * and in which order the checks answer) and GET /api/v1/submissions/:id.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { aggregateConfigurations } from "../aggregate/configurations.js";
import { deferredMeter, meteredD1 } from "../d1-meter.js";
import { createDb } from "../db.js";
import type { AppEnv } from "../env.js";
import { ApiError } from "../errors.js";
import { ingestUpload } from "../ingest/upload.js";
import { getSubmission } from "../read/submissions.js";

/**
 * Largest accepted body. D1 stores at most 2,000,000 bytes per row and the
 * document is stored whole; canonical JSON is never longer than a compact body
 * by more than a few bytes, so this leaves room for the other columns.
 */
export const MAX_BODY_BYTES = 1_900_000;

const ID_PATTERN = /^[0-9a-f]{64}$/;

export const submissionsApi = new Hono<AppEnv>();

submissionsApi.post(
  "/",
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `the body is larger than ${MAX_BODY_BYTES} bytes`);
    },
  }),
  async (c) => {
    const db = c.var.db;
    const outcome = await ingestUpload(db, c.env, c.req.raw.headers, await c.req.text(), Date.now());
    const url = new URL(`/api/v1/submissions/${outcome.id}`, c.req.url).toString();
    if (outcome.duplicate) return c.json({ id: outcome.id, url, duplicate: true }, 200);
    if (outcome.flagged.length === 0 && outcome.configurations.length > 0) {
      // The leaderboard rows the upload changed, recomputed right after this answer; a failed pass leaves
      // them pending for the next one (workers/aggregate/configurations.ts), so nothing is lost.
      // A metered request (benchmarks) counts this deferred work apart: it runs after the response's header is sent.
      const passDb = c.var.meter ? createDb(meteredD1(c.env.DB, deferredMeter)) : db;
      const pass = aggregateConfigurations(passDb, outcome.configurations).catch((e) =>
        console.error("aggregation after upload failed; left pending", e),
      );
      try {
        c.executionCtx.waitUntil(pass);
      } catch {
        await pass; // no execution context (a direct app.fetch): finish before answering
      }
    }
    c.header("Location", url);
    if (outcome.flagged.length > 0) return c.json({ id: outcome.id, url, status: "flagged", reasons: outcome.flagged }, 201);
    return c.json({ id: outcome.id, url }, 201);
  },
);

submissionsApi.get("/:id", async (c) => {
  const id = c.req.param("id");
  if (!ID_PATTERN.test(id)) throw new ApiError(400, "bad_id", "a submission id is 64 lowercase hex digits");
  const found = await getSubmission(c.var.db, id);
  if (!found || found.status === "hidden") throw new ApiError(404, "not_found", `no submission ${id}`);
  return c.json(found);
});
