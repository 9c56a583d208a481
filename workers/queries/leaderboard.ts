/**
 * Ranking configurations: filters, sort by any metric, pagination by offset or
 * by cursor. Reads only the precomputed `configurations` table, walking the
 * per-metric index (configurations_rank_<metric>), so a page costs the same
 * with 100 or 100,000 results.
 */
import { and, asc, count, desc, eq, gt, isNotNull, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { decodeBase64Url, encodeBase64Url } from "../../uploader/src/contract/base64url.js";
import { METRIC_BY_ID, METRIC_IDS, type MetricId } from "../../uploader/src/contract/metrics.js";
import { BACKENDS, METER_SCOPES, type MeterScope } from "../../uploader/src/contract/schema.js";
import { CONFIG_ACCELERATOR_KINDS, configurations } from "../../db/schema.js";
import type { Db } from "../db.js";
import { toLeaderboardRow, type LeaderboardRow } from "./rows.js";

export const DEFAULT_SORT: MetricId = "tg_tps";
export const MAX_PAGE = 500;

const optionalText = z.string().trim().min(1).max(200).optional();

/**
 * The leaderboard's parameters, as URL query parameters parse into them. The
 * API validates a request with this schema; the site can parse its own URL
 * with it too.
 */
export const LeaderboardQuery = z.strictObject({
  /** Model family slug or model variant id. */
  model: optionalText,
  quantisation: optionalText,
  /** Board id (see listBoards). */
  board: optionalText,
  accelerator: z.enum(CONFIG_ACCELERATOR_KINDS).optional(),
  backend: z.enum(BACKENDS).optional(),
  /** Primary meter scope; "none" selects results without a meter. */
  scope: z.enum(METER_SCOPES).optional(),
  suite: optionalText,
  sort: z.enum(METRIC_IDS).default(DEFAULT_SORT),
  /** Default: the metric's better direction (desc for higher-is-better). */
  order: z.enum(["asc", "desc"]).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  /** Opaque keyset cursor from a previous page's nextCursor (offset is then ignored). */
  cursor: z.string().max(512).optional(),
});
export type LeaderboardParams = z.input<typeof LeaderboardQuery>;

export interface LeaderboardPage {
  rows: LeaderboardRow[];
  /** Rows matching the filters that have the sort metric. */
  total: number;
  sort: MetricId;
  order: "asc" | "desc";
  /**
   * The meter scope the rows were restricted to. Sorting by an energy metric
   * always ranks within one scope: the requested one, else the scope with the
   * most ranked configurations.
   */
  scope: MeterScope | null;
  limit: number;
  offset: number;
  /** Pass as cursor for the next page; null on the last page. */
  nextCursor: string | null;
}

export class LeaderboardQueryError extends Error {
  constructor(
    message: string,
    readonly issues?: unknown,
  ) {
    super(message);
    this.name = "LeaderboardQueryError";
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function encodeCursor(value: number, id: string): string {
  return encodeBase64Url(encoder.encode(JSON.stringify([value, id])));
}

function decodeCursor(cursor: string): { value: number; id: string } {
  try {
    const parsed: unknown = JSON.parse(decoder.decode(decodeBase64Url(cursor)));
    if (Array.isArray(parsed) && typeof parsed[0] === "number" && typeof parsed[1] === "string") {
      return { value: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new LeaderboardQueryError("cursor is not one this API issued");
}

/** Parses URL query parameters (repeated keys: the last wins). Throws LeaderboardQueryError. */
export function parseLeaderboardQuery(search: URLSearchParams | Record<string, string>): z.output<typeof LeaderboardQuery> {
  const raw = search instanceof URLSearchParams ? Object.fromEntries(search) : search;
  // format is the API's concern (CSV or JSON), not the query's.
  const { format: _format, ...rest } = raw;
  const parsed = LeaderboardQuery.safeParse(rest);
  if (!parsed.success) throw new LeaderboardQueryError("invalid leaderboard query", parsed.error.issues);
  return parsed.data;
}

function filterConditions(q: z.output<typeof LeaderboardQuery>): SQL[] {
  const c = configurations;
  const where: SQL[] = [];
  if (q.model) where.push(or(eq(c.modelSlug, q.model), eq(c.modelId, q.model))!);
  if (q.quantisation) where.push(eq(c.quantisation, q.quantisation));
  if (q.board) where.push(eq(c.boardId, q.board));
  if (q.accelerator) where.push(eq(c.acceleratorKind, q.accelerator));
  if (q.backend) where.push(eq(c.backend, q.backend));
  if (q.suite) where.push(eq(c.suiteId, q.suite));
  where.push(gt(c.submissionCount, 0));
  return where;
}

/** The scope with the most configurations having this (energy) metric under the filters. */
async function busiestScope(db: Db, metric: MetricId, where: SQL[]): Promise<MeterScope | null> {
  const col = configurations[metric];
  const [top] = await db
    .select({ scope: configurations.meterScope, n: count() })
    .from(configurations)
    .where(and(...where, isNotNull(col)))
    .groupBy(configurations.meterScope)
    .orderBy(desc(count()), asc(configurations.meterScope))
    .limit(1);
  return top?.scope ?? null;
}

/**
 * One page of the leaderboard. Only configurations that have the sort metric
 * are ranked (a board without a meter is absent from an energy ranking, not
 * ranked as zero). Ties break on configuration id so pages never overlap.
 */
export async function queryLeaderboard(db: Db, params: LeaderboardParams = {}): Promise<LeaderboardPage> {
  const parsed = LeaderboardQuery.safeParse(params);
  if (!parsed.success) throw new LeaderboardQueryError("invalid leaderboard query", parsed.error.issues);
  const q = parsed.data;
  const metric = METRIC_BY_ID[q.sort];
  const order = q.order ?? (metric.better === "higher" ? "desc" : "asc");
  const col = configurations[q.sort];

  const where = filterConditions(q);
  let scope: MeterScope | null = q.scope ?? null;
  if (!scope && metric.axis === "energy") scope = await busiestScope(db, q.sort, where);
  if (scope) where.push(eq(configurations.meterScope, scope));
  where.push(isNotNull(col));

  const pageWhere = [...where];
  if (q.cursor) {
    const cur = decodeCursor(q.cursor);
    const beyond = order === "desc" ? lt(col, cur.value) : gt(col, cur.value);
    pageWhere.push(or(beyond, and(eq(col, cur.value), gt(configurations.id, cur.id)))!);
  }
  const offset = q.cursor ? 0 : q.offset;

  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(configurations)
      .where(and(...pageWhere))
      .orderBy(order === "desc" ? desc(col) : asc(col), asc(configurations.id))
      .limit(q.limit)
      .offset(offset),
    db.select({ n: count() }).from(configurations).where(and(...where)),
  ]);

  const last = rows.at(-1);
  const lastValue = last?.[q.sort];
  return {
    rows: rows.map(toLeaderboardRow),
    total: totals[0]?.n ?? 0,
    sort: q.sort,
    order,
    scope,
    limit: q.limit,
    offset,
    nextCursor: rows.length === q.limit && last && lastValue != null ? encodeCursor(lastValue, last.id) : null,
  };
}
