/**
 * The bulk export's reads: every visible signed submission (status "visible";
 * flagged and hidden ones, withdrawn included, are left out) in keyset order
 * (received_at, id), a page at a time, read in chunks of EXPORT_CHUNK so a
 * page is never held whole in memory. Each chunk is one D1 batch (one
 * transaction): the chunk's submissions and, through the same keyset bounds,
 * their runs by the runs' primary key.
 *
 * A page is the half-open key range [cursor, next): `next` is the first key
 * of the following page, found before the page is streamed (the index
 * `submissions_export` alone, `limit` entries walked), so the response's
 * header can carry it and the page stays the same range even if results are
 * hidden or added while it streams. A cursor is that key, base64url JSON.
 */
import { decodeBase64Url, encodeBase64Url, type MetricId } from "@edgebench/contract";
import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { retiredBuilds, runs, type SubmissionRow, submissions } from "../../db/schema.js";
import type { Db } from "../db.js";
import { storedFigures } from "./submissions.js";

export const EXPORT_DEFAULT_LIMIT = 1000;
export const EXPORT_MAX_LIMIT = 5000;
/** Submissions per D1 batch while streaming: a chunk's documents (~4 KB each, up to 1.9 MB) are all the Worker holds. */
export const EXPORT_CHUNK = 100;

/** A position in the export's order. */
export interface ExportKey {
  receivedAt: string;
  id: string;
}

const ID = /^[0-9a-f]{64}$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeExportCursor(k: ExportKey): string {
  return encodeBase64Url(encoder.encode(JSON.stringify([k.receivedAt, k.id])));
}

/** The key a cursor names, or null when it is not one this API issued. */
export function decodeExportCursor(cursor: string): ExportKey | null {
  try {
    const parsed: unknown = JSON.parse(decoder.decode(decodeBase64Url(cursor)));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === "string" && typeof parsed[1] === "string" && ID.test(parsed[1])) {
      return { receivedAt: parsed[0], id: parsed[1] };
    }
  } catch {
    // not ours: null below
  }
  return null;
}

/** One page: keys from `from` (inclusive; null = the start) up to `to` (exclusive; null = the end). */
export interface ExportRange {
  from: ExportKey | null;
  to: ExportKey | null;
}

const s = submissions;
const key = sql`(${s.receivedAt}, ${s.id})`;

/** Visible submissions after `after` (exclusive) or from `from` (inclusive), before `to`: SQLite walks submissions_export for the row values. */
function inRange(from: ExportKey | null, inclusive: boolean, to: ExportKey | null): SQL {
  return and(
    eq(s.status, "visible"),
    from ? (inclusive ? sql`${key} >= (${from.receivedAt}, ${from.id})` : sql`${key} > (${from.receivedAt}, ${from.id})`) : undefined,
    to ? sql`${key} < (${to.receivedAt}, ${to.id})` : undefined,
  )!;
}

/** The first key of the page after the one starting at `from`, or null when this page reaches the end. */
export async function nextPageStart(db: Db, from: ExportKey | null, limit: number): Promise<ExportKey | null> {
  const row = await db
    .select({ receivedAt: s.receivedAt, id: s.id })
    .from(s)
    .where(inRange(from, true, null))
    .orderBy(asc(s.receivedAt), asc(s.id))
    .limit(1)
    .offset(limit)
    .get();
  return row ?? null;
}

export interface ExportRun {
  index: number;
  status: "ok" | "failed";
  configurationId: string | null;
  modelId: string;
  modelName: string;
  quantisation: string;
  threads: number;
  gpuLayers: number;
  /** The server's figures (absent = not measured). */
  metrics: Partial<Record<MetricId, { value: number; stddev?: number }>>;
}

export interface ExportSubmission {
  id: string;
  /** The stored canonical JSON (the signed bytes); "" when the chunk was read without documents. */
  document: string;
  signature: string;
  publicKey: string;
  receivedAt: string;
  status: SubmissionRow["status"];
  retired: { ruleId: string; reason: string } | null;
  boardId: string;
  boardName: string;
  backend: SubmissionRow["backend"];
  runtimeName: string;
  runtimeVersion: string;
  meterScope: SubmissionRow["meterScope"];
  runs: ExportRun[];
}

/** One chunk: up to EXPORT_CHUNK submissions after `after` within the page, with their runs, in one batch. */
async function readChunk(db: Db, range: ExportRange, after: ExportKey | null, withDocument: boolean): Promise<ExportSubmission[]> {
  const where = after ? inRange(after, false, range.to) : inRange(range.from, true, range.to);
  const chunkIds = db.select({ id: s.id }).from(s).where(where).orderBy(asc(s.receivedAt), asc(s.id)).limit(EXPORT_CHUNK);
  const [subs, runRows] = await db.batch([
    db
      .select({
        id: s.id,
        // Without documents (the CSV) the row's overflow pages are still walked for the later columns, but not copied out.
        document: withDocument ? s.document : sql<string>`''`,
        signature: s.signature,
        publicKey: s.publicKey,
        receivedAt: s.receivedAt,
        status: s.status,
        retiredRule: s.retiredRule,
        retiredReason: retiredBuilds.reason,
        boardId: s.boardId,
        boardName: s.boardName,
        backend: s.backend,
        runtimeName: s.runtimeName,
        runtimeVersion: s.runtimeVersion,
        meterScope: s.meterScope,
      })
      .from(s)
      .leftJoin(retiredBuilds, eq(retiredBuilds.id, s.retiredRule))
      .where(where)
      .orderBy(asc(s.receivedAt), asc(s.id))
      .limit(EXPORT_CHUNK),
    db
      .select({
        submissionId: runs.submissionId,
        index: runs.runIndex,
        status: runs.status,
        configurationId: runs.configurationId,
        modelId: runs.modelId,
        modelName: runs.modelName,
        quantisation: runs.quantisation,
        threads: runs.threads,
        gpuLayers: runs.gpuLayers,
        figures: runs.figures,
      })
      .from(runs)
      .where(inArray(runs.submissionId, chunkIds))
      .orderBy(asc(runs.submissionId), asc(runs.runIndex)),
  ]);
  const runsOf = new Map<string, ExportRun[]>();
  for (const r of runRows) {
    const list = runsOf.get(r.submissionId) ?? [];
    runsOf.set(r.submissionId, list);
    const { submissionId: _, figures, ...run } = r;
    list.push({ ...run, metrics: storedFigures(figures) });
  }
  return subs.map(({ retiredRule, retiredReason, ...sub }) => ({
    ...sub,
    retired: retiredRule ? { ruleId: retiredRule, reason: retiredReason ?? "" } : null,
    runs: runsOf.get(sub.id) ?? [],
  }));
}

/** The page's submissions, a chunk at a time, in key order; pulled by the response stream, so only a chunk is in memory. */
export async function* exportChunks(db: Db, range: ExportRange, withDocument: boolean): AsyncGenerator<ExportSubmission[]> {
  let after: ExportKey | null = null;
  for (;;) {
    const chunk = await readChunk(db, range, after, withDocument);
    if (chunk.length === 0) return;
    yield chunk;
    if (chunk.length < EXPORT_CHUNK) return;
    const last = chunk[chunk.length - 1]!;
    after = { receivedAt: last.receivedAt, id: last.id };
  }
}
