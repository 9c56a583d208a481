/**
 * GET /api/v1/export (NDJSON, one signed submission per line) and
 * GET /api/v1/export/runs.csv (one row per run, one column per metric of the
 * contract's list): the whole visible data set, paged by cursor
 * (workers/read/export.ts: keyset order, chunked reads), streamed.
 *
 * Paging: `limit` submissions per page (default 1000, at most 5000; on the
 * CSV too, so a page has every run of its submissions); the next page's
 * cursor is in the `X-Next-Cursor` header (and a `Link: rel="next"`), absent
 * on the last page. A page that fails mid-stream ends without its last line
 * (the connection breaks): fetch the same cursor again.
 *
 * The data is published under CC BY 4.0, said in every answer's Link header.
 */
import { METRIC_IDS } from "@edgebench/contract";
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import {
  decodeExportCursor,
  EXPORT_DEFAULT_LIMIT,
  EXPORT_MAX_LIMIT,
  type ExportSubmission,
  encodeExportCursor,
  exportChunks,
  nextPageStart,
} from "../read/export.js";
import { csvRecords } from "./csv.js";
import { apiApp, failures, fault, refuse } from "./openapi-app.js";

export const DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/";

export const exportApi = apiApp();

const BAD_LIMIT = fault(400, "bad_limit", `limit is a whole number from 1 to ${EXPORT_MAX_LIMIT}`);
const BAD_CURSOR = fault(400, "bad_cursor", "cursor is not one this API issued (take it from the X-Next-Cursor header)");

/** A page: `limit` submissions from the cursor's place (the first page without one). */
const PageQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,6}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(EXPORT_MAX_LIMIT))
    .optional()
    .openapi({ description: `submissions per page (default ${EXPORT_DEFAULT_LIMIT}, at most ${EXPORT_MAX_LIMIT}; the CSV has all their runs)` }),
  cursor: z
    .string()
    .transform((text, ctx) => {
      const from = decodeExportCursor(text);
      if (from) return from;
      ctx.addIssue({ code: "custom", message: BAD_CURSOR.message });
      return z.NEVER;
    })
    .optional()
    .openapi({ description: "the previous page's X-Next-Cursor" }),
});

/** The CSV's fixed columns per run; every metric id of the contract's list follows them, in its order. */
const RUN_FIELDS = [
  ["submission_id", (s) => s.id],
  ["received_at", (s) => s.receivedAt],
  ["run_index", (_, r) => r.index],
  ["run_status", (_, r) => r.status],
  ["configuration_id", (_, r) => r.configurationId],
  ["board_id", (s) => s.boardId],
  ["board", (s) => s.boardName],
  ["model_id", (_, r) => r.modelId],
  ["model", (_, r) => r.modelName],
  ["quantisation", (_, r) => r.quantisation],
  ["backend", (s) => s.backend],
  ["runtime", (s) => s.runtimeName],
  ["runtime_version", (s) => s.runtimeVersion],
  ["threads", (_, r) => r.threads],
  ["gpu_layers", (_, r) => r.gpuLayers],
  ["meter_scope", (s) => s.meterScope],
  ["retired_rule", (s) => s.retired?.ruleId ?? null],
] as const satisfies readonly (readonly [string, (s: ExportSubmission, r: ExportSubmission["runs"][number]) => string | number | null])[];

export function runsCsvHeader(): string[] {
  return [...RUN_FIELDS.map(([name]) => name), ...METRIC_IDS];
}

/** A chunk's runs as CSV rows; a metric not measured is an empty cell, never 0. */
function csvRows(chunk: readonly ExportSubmission[]): string {
  return csvRecords(
    chunk.flatMap((s) => s.runs.map((r) => [...RUN_FIELDS.map(([, get]) => get(s, r)), ...METRIC_IDS.map((id) => r.metrics[id]?.value)])),
  );
}

/**
 * A chunk as NDJSON lines. The document is the stored canonical JSON spliced in as it is: the very bytes the
 * signature covers (a reader re-canonicalising the parsed document gets them back).
 */
function ndjsonLines(chunk: readonly ExportSubmission[]): string {
  let out = "";
  for (const s of chunk) {
    const rest = JSON.stringify({
      signature: s.signature,
      publicKey: s.publicKey,
      receivedAt: s.receivedAt,
      status: s.status,
      retired: s.retired,
      runs: s.runs.map((r) => ({ index: r.index, status: r.status, configurationId: r.configurationId, metrics: r.metrics })),
    });
    out += `{"id":${JSON.stringify(s.id)},"document":${s.document},${rest.slice(1)}\n`;
  }
  return out;
}

/** Pulls one chunk per read: the stream's queue holds at most one chunk ahead of the client. */
function streamOf(
  chunks: AsyncGenerator<ExportSubmission[]>,
  format: (chunk: readonly ExportSubmission[]) => string,
  head = "",
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let first = head;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) {
        if (first) controller.enqueue(encoder.encode(first));
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(first + format(next.value)));
      first = "";
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

async function page(c: Context<AppEnv>, query: z.output<typeof PageQuery>, csv: boolean): Promise<Response> {
  const from = query.cursor ?? null;
  const limit = query.limit ?? EXPORT_DEFAULT_LIMIT;
  const db = c.var.db;
  const next = await nextPageStart(db, from, limit);
  const links = [`<${DATA_LICENCE_URL}>; rel="license"`];
  if (next) {
    const cursor = encodeExportCursor(next);
    c.header("X-Next-Cursor", cursor);
    const url = new URL(c.req.url);
    url.searchParams.set("cursor", cursor);
    links.push(`<${url.toString()}>; rel="next"`);
  }
  c.header("Link", links.join(", "));
  const chunks = exportChunks(db, { from, to: next }, !csv);
  if (csv) {
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", 'inline; filename="edgebench-runs.csv"');
    return c.body(streamOf(chunks, csvRows, csvRecords([runsCsvHeader()])));
  }
  c.header("Content-Type", "application/x-ndjson; charset=utf-8");
  return c.body(streamOf(chunks, ndjsonLines));
}

/** The headers of an export page, for the document. */
const PAGE_HEADERS = {
  "X-Next-Cursor": { description: "the next page's cursor; absent on the last page", schema: { type: "string" as const } },
  Link: { description: 'rel="license" (CC BY 4.0) and, while more remain, rel="next"', schema: { type: "string" as const } },
};
const LICENCE = { name: "CC BY 4.0", url: DATA_LICENCE_URL };

const exportRoute = (path: string, operationId: string, summary: string, mediaType: string, description: string) =>
  createRoute({
    method: "get",
    path,
    operationId,
    tags: ["export"],
    summary,
    description: `${description} Hidden, withdrawn and flagged results are not exported; a result of a retired build is, with \`retired\`. Published under CC BY 4.0.`,
    request: { query: PageQuery },
    responses: {
      200: { description: "one page, streamed", headers: PAGE_HEADERS, content: { [mediaType]: { schema: z.string() } } },
      ...failures(BAD_LIMIT, BAD_CURSOR),
    },
    "x-data-licence": LICENCE,
  });

const refusals = refuse({ query: { limit: BAD_LIMIT, cursor: BAD_CURSOR } });

exportApi.openapi(
  exportRoute(
    "/",
    "exportSubmissions",
    "Every visible signed submission as NDJSON",
    "application/x-ndjson",
    "One submission per line, oldest upload first: { id, document, signature, publicKey, receivedAt, status, retired, runs: [{ index, status, configurationId, metrics }] }; each line verifies offline.",
  ),
  (c) => page(c, c.req.valid("query"), false),
  refusals,
);
exportApi.openapi(
  exportRoute(
    "/runs.csv",
    "exportRuns",
    "Every run of those submissions as CSV",
    "text/csv",
    "One row per run: submission, configuration and settings columns, then one column per metric id (empty where not measured).",
  ),
  (c) => page(c, c.req.valid("query"), true),
  refusals,
);
