/**
 * POST /api/v1/submissions (workers/ingest/upload.ts decides what is stored,
 * and in which order the checks answer) and GET /api/v1/submissions/:id.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { aggregateAfterUpload } from "../aggregate/after-upload.js";
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

/**
 * How long the aggregation pass after an upload waits for more uploads to take in with it (the AGGREGATE_DELAY_MS
 * var overrides it; tests set 0). An upload is in the rankings within this plus one pass: under a second or two.
 */
export const DEFAULT_AGGREGATE_DELAY_MS = 1000;

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
    if (outcome.flagged.length === 0 && !outcome.retired && outcome.configurations.length > 0) {
      // The leaderboard rows the upload changed are recomputed after this answer, by the isolate's next aggregation
      // pass (workers/aggregate/after-upload.ts); a failed pass leaves them pending for the next one or the cron.
      // A metered request (benchmarks) counts this deferred work apart: it runs after the response's header is sent.
      const passDb = c.var.meter ? createDb(meteredD1(c.env.DB, deferredMeter)) : db;
      const delayMs = Number(c.env.AGGREGATE_DELAY_MS ?? DEFAULT_AGGREGATE_DELAY_MS);
      const pass = aggregateAfterUpload(passDb, Number.isFinite(delayMs) && delayMs >= 0 ? delayMs : DEFAULT_AGGREGATE_DELAY_MS).catch((e: unknown) =>
        console.error("aggregation after upload failed; left pending", e),
      );
      try {
        c.executionCtx.waitUntil(pass);
      } catch {
        await pass; // no execution context (a direct app.fetch): finish before answering
      }
    }
    c.header("Location", url);
    // A retired build's result is stored and readable but ranks nowhere: the answer says so and why.
    const retired = outcome.retired
      ? {
          ranked: false,
          retired: {
            ...outcome.retired,
            message: `stored, but results of this runtime build are retired from the rankings: ${outcome.retired.reason}`,
          },
        }
      : {};
    if (outcome.flagged.length > 0) return c.json({ id: outcome.id, url, status: "flagged", reasons: outcome.flagged, ...retired }, 201);
    return c.json({ id: outcome.id, url, ...retired }, 201);
  },
);

submissionsApi.get("/:id", async (c) => {
  const id = c.req.param("id");
  if (!ID_PATTERN.test(id)) throw new ApiError(400, "bad_id", "a submission id is 64 lowercase hex digits");
  const found = await getSubmission(c.var.db, id);
  if (!found || found.status === "hidden") throw new ApiError(404, "not_found", `no submission ${id}`);
  return c.json(found);
});
