/**
 * The ranking, for the API (GET /api/v1/leaderboard, JSON and CSV) and the
 * site (/) alike: one rule for which configurations rank (those with the sort
 * metric measured, within the scope of ./scope.ts), one model filter
 * (./scope.ts filterConditions), one ordering (the metric's value in the
 * asked direction, default its better direction, ties by configuration id in
 * the same direction, so keyset pages never overlap).
 *
 * Reads only `configuration_metrics` (one index, configuration_metrics_rank
 * on (metric, rank_scope, value, configuration_id), ranks every metric) and
 * `configurations`, never the runs, so a page costs what the page holds:
 *   1. count the matches, stopping at TOTAL_CAP + 1;
 *   2. few matches: let SQLite find them through the filter columns' indexes
 *      and sort them; many: walk the rank index in order and test the filters
 *      row by row (with at least TOTAL_CAP matches among N configurations a
 *      page reads about limit * N / TOTAL_CAP entries);
 *   3. the page's figures by primary key.
 * bench/registry-rows.ts prints the rows each step reads at two scales.
 */
import { decodeBase64Url, encodeBase64Url, METRIC_BY_ID, type MeterScope, type MetricId } from "@edgebench/contract";
import { and, asc, count, desc, eq, type SQL, sql } from "drizzle-orm";
import { ANY_SCOPE, configurationMetrics, configurations } from "../../db/schema.js";
import type { Db } from "../db.js";
import { type RankFilters, RankQueryError } from "./query.js";
import { type LeaderboardRow, ROW_COLUMNS, type RowColumns, withFigures } from "./rows.js";
import { filterConditions, hasIndexedFilter, matching, rankingScope } from "./scope.js";

/** Counting stops here: past it `total` is a lower bound (an exact count would read every match). */
export const TOTAL_CAP = 1000;

export interface RankRequest {
  filters: RankFilters;
  sort: MetricId;
  /** Default: the metric's better direction (desc for higher-is-better). */
  order?: "asc" | "desc" | undefined;
  limit: number;
  offset?: number;
  /** A previous page's nextCursor (offset is then ignored). */
  cursor?: string | undefined;
}

export interface RankedPage {
  rows: LeaderboardRow[];
  /** Configurations the ranking holds, counted up to TOTAL_CAP. */
  total: number;
  /** True when there are more than TOTAL_CAP (then `total` is TOTAL_CAP, a lower bound). */
  totalCapped: boolean;
  sort: MetricId;
  order: "asc" | "desc";
  /** The meter scope the rows were restricted to (./scope.ts), or null. */
  scope: MeterScope | null;
  limit: number;
  offset: number;
  /** Pass as cursor for the next page; null on the last page. */
  nextCursor: string | null;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function encodeCursor(value: number, id: string): string {
  return encodeBase64Url(encoder.encode(JSON.stringify([value, id])));
}

function decodeCursor(cursor: string): { value: number; id: string } {
  try {
    const parsed: unknown = JSON.parse(decoder.decode(decodeBase64Url(cursor)));
    if (Array.isArray(parsed) && typeof parsed[0] === "number" && typeof parsed[1] === "string") return { value: parsed[0], id: parsed[1] };
  } catch {
    // not ours: the error below
  }
  throw new RankQueryError("cursor is not one this API issued");
}

export async function rank(db: Db, q: RankRequest): Promise<RankedPage> {
  const metric = METRIC_BY_ID[q.sort];
  const order = q.order ?? (metric.better === "higher" ? "desc" : "asc");
  const scope = await rankingScope(db, q.filters, q.sort);
  const offset = q.cursor ? 0 : (q.offset ?? 0);
  const empty: RankedPage = { rows: [], total: 0, totalCapped: false, sort: q.sort, order, scope, limit: q.limit, offset, nextCursor: null };
  // An energy ranking with no scope: nothing in any scope has the figure.
  if (metric.withinMeterScope && !scope) return empty;

  const m = configurationMetrics;
  const c = configurations;
  const ranked = and(eq(m.metric, q.sort), eq(m.rankScope, metric.withinMeterScope ? scope! : ANY_SCOPE))!;
  // For a metric ranked within a scope, rank_scope already is the scope; for any other, a scope asked for filters the configuration.
  const scopeFilter = (indexable: boolean): SQL[] =>
    !metric.withinMeterScope && scope ? [indexable ? eq(c.meterScope, scope) : sql`+${c.meterScope} = ${scope}`] : [];
  const configFilters = (indexable: boolean) => [...filterConditions(q.filters, indexable), ...scopeFilter(indexable)];

  const viaConfigurations = hasIndexedFilter(q.filters, !metric.withinMeterScope && scope !== null);
  const [counted] = await db.select({ n: count() }).from(
    matching(db, { one: sql`1` }, ranked, configFilters(true), viaConfigurations)
      .limit(TOTAL_CAP + 1)
      .as("matches"),
  );
  const n = counted?.n ?? 0;
  if (n === 0) return empty;
  const many = n > TOTAL_CAP;

  const extra: SQL[] = [];
  if (q.cursor) {
    const cur = decodeCursor(q.cursor);
    // Row values follow the rank index (value, configuration_id) in either direction.
    extra.push(
      order === "desc"
        ? sql`(${m.value}, ${m.configurationId}) < (${cur.value}, ${cur.id})`
        : sql`(${m.value}, ${m.configurationId}) > (${cur.value}, ${cur.id})`,
    );
  }
  // Many matches: walk the rank index in order, the filters tested row by row (`+col` keeps SQLite off their
  // indexes). Few: find them as the count did and sort them (`+value` keeps SQLite from walking the whole rank index).
  const sortKey = many ? m.value : sql`+${m.value}`;
  const dir = order === "desc" ? desc : asc;
  const page = (await matching(db, { ...ROW_COLUMNS, value: m.value }, and(ranked, ...extra)!, configFilters(!many), !many && viaConfigurations)
    .orderBy(dir(sortKey), dir(m.configurationId))
    .limit(q.limit)
    .offset(offset)) as unknown as (RowColumns & { value: number })[];

  const last = page.at(-1);
  return {
    rows: await withFigures(db, page),
    total: Math.min(n, TOTAL_CAP),
    totalCapped: many,
    sort: q.sort,
    order,
    scope,
    limit: q.limit,
    offset,
    nextCursor: page.length === q.limit && last ? encodeCursor(last.value, last.id) : null,
  };
}
