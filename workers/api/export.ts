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
import { type Context, Hono } from "hono";
import type { AppEnv } from "../env.js";
import { ApiError } from "../errors.js";
import {
  decodeExportCursor,
  EXPORT_DEFAULT_LIMIT,
  EXPORT_MAX_LIMIT,
  type ExportKey,
  type ExportSubmission,
  encodeExportCursor,
  exportChunks,
  nextPageStart,
} from "../read/export.js";
import { csvRecords } from "./csv.js";

export const DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/";

export const exportApi = new Hono<AppEnv>();

interface PageQuery {
  from: ExportKey | null;
  limit: number;
}

function pageQuery(params: URLSearchParams): PageQuery {
  const limitText = params.get("limit");
  let limit = EXPORT_DEFAULT_LIMIT;
  if (limitText !== null) {
    limit = /^\d{1,6}$/.test(limitText) ? Number(limitText) : 0;
    if (limit < 1 || limit > EXPORT_MAX_LIMIT) throw new ApiError(400, "bad_limit", `limit is a whole number from 1 to ${EXPORT_MAX_LIMIT}`);
  }
  const cursor = params.get("cursor");
  if (cursor === null) return { from: null, limit };
  const from = decodeExportCursor(cursor);
  if (!from) throw new ApiError(400, "bad_cursor", "cursor is not one this API issued (take it from the X-Next-Cursor header)");
  return { from, limit };
}

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

async function page(c: Context<AppEnv>, csv: boolean): Promise<Response> {
  const { from, limit } = pageQuery(new URL(c.req.url).searchParams);
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

exportApi.get("/", (c) => page(c, false));
exportApi.get("/runs.csv", (c) => page(c, true));
