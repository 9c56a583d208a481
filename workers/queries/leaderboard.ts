/**
 * Ranking configurations: filters, sort by any metric, pagination by offset or
 * by cursor. Reads only the precomputed `configurations` table (never the
 * runs), through the per-metric indexes (configurations_rank_<metric>) or the
 * filter columns' indexes, whichever reads fewer rows (see queryLeaderboard),
 * so a page stays cheap at 100,000 configurations. bench/api-leaderboard.ts
 * measures it.
 */
import { and, asc, count, desc, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { decodeBase64Url, encodeBase64Url } from "@edgebench/contract";
import { METRIC_BY_ID, METRIC_IDS, type MetricId } from "@edgebench/contract";
import { BACKENDS, METER_SCOPES, type MeterScope } from "@edgebench/contract";
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
  /** Rows matching the filters that have the sort metric, counted up to TOTAL_CAP. */
  total: number;
  /** True when there are more than TOTAL_CAP matches (then `total` is TOTAL_CAP, a lower bound). */
  totalCapped: boolean;
  sort: MetricId;
  order: "asc" | "desc";
  /**
   * The meter scope the rows were restricted to. Sorting by an energy metric
   * always ranks within one scope: the requested one, else the first of
   * DEFAULT_ENERGY_SCOPES that has ranked results.
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

/**
 * Energy rankings without a requested scope use the first scope in this order
 * that has any ranked configuration: whole-system scopes first (MLPerf Power
 * measures at the wall), then narrower ones. Fixed, so a URL keeps its meaning.
 */
export const DEFAULT_ENERGY_SCOPES: readonly Exclude<MeterScope, "none">[] = [
  "wall",
  "board-input",
  "module-input",
  "soc-rails",
  "accelerator",
  "cpu-package",
];

/** Counting stops here: past it `total` is a lower bound (an exact count would read every match). */
export const TOTAL_CAP = 1000;

type Column = (typeof configurations)[keyof typeof configurations.$inferSelect];

/** A model filter is a variant id (sha256, or "name~quant") or else a family slug. */
function modelColumn(model: string) {
  return /^[0-9a-f]{64}$/.test(model) || model.includes("~") ? configurations.modelId : configurations.modelSlug;
}

/**
 * Equality filters. `indexable: false` writes `+col = value`, which keeps
 * SQLite from choosing that column's index, so it walks the sort metric's
 * index instead (see queryLeaderboard for when each is the better plan).
 */
function filterConditions(q: z.output<typeof LeaderboardQuery>, indexable: boolean, scopeIndexable: boolean): SQL[] {
  const c = configurations;
  const eqf = (col: Column, value: string, canIndex = indexable) => (canIndex ? eq(col, value) : sql`+${col} = ${value}`);
  const where: SQL[] = [];
  if (q.model) where.push(eqf(modelColumn(q.model), q.model));
  if (q.quantisation) where.push(eqf(c.quantisation, q.quantisation));
  if (q.board) where.push(eqf(c.boardId, q.board));
  if (q.accelerator) where.push(eqf(c.acceleratorKind, q.accelerator));
  if (q.backend) where.push(eqf(c.backend, q.backend));
  if (q.suite) where.push(eqf(c.suiteId, q.suite));
  if (q.scope) where.push(eqf(c.meterScope, q.scope, scopeIndexable));
  return where;
}

/** The first scope of DEFAULT_ENERGY_SCOPES with a ranked configuration: one query, index probes in order. */
async function defaultEnergyScope(db: Db, metric: MetricId): Promise<MeterScope | null> {
  const col = configurations[metric];
  // CASE stops at the first scope that exists (D1 also caps compound SELECTs, so no UNION).
  const probes = DEFAULT_ENERGY_SCOPES.map(
    (scope) =>
      sql`WHEN EXISTS (SELECT 1 FROM ${configurations} WHERE ${configurations.meterScope} = ${scope} AND ${col} IS NOT NULL) THEN ${scope}`,
  );
  const rows = await db.all<{ scope: MeterScope | null }>(sql`SELECT CASE ${sql.join(probes, sql` `)} END AS scope`);
  return rows[0]?.scope ?? null;
}

/**
 * One page of the leaderboard. Only configurations that have the sort metric
 * are ranked (a board without a meter is absent from an energy ranking, not
 * ranked as zero). Ties break on configuration id so pages never overlap.
 *
 * Plan (so a page stays cheap at 100,000 configurations): first count the
 * matches, stopping at TOTAL_CAP + 1. Few matches: let SQLite use the filter
 * columns' indexes and sort them. Many: walk the sort metric's index
 * (configurations_rank_<metric>) and test the filters row by row; with at
 * least TOTAL_CAP matches among N rows a page reads about limit * N / TOTAL_CAP
 * rows. Energy metrics' indexes lead with the meter scope, so the scope stays
 * an index constraint there.
 */
export async function queryLeaderboard(db: Db, params: LeaderboardParams = {}): Promise<LeaderboardPage> {
  const parsed = LeaderboardQuery.safeParse(params);
  if (!parsed.success) throw new LeaderboardQueryError("invalid leaderboard query", parsed.error.issues);
  const q = { ...parsed.data };
  const metric = METRIC_BY_ID[q.sort];
  const energy = metric.axis === "energy";
  const order = q.order ?? (metric.better === "higher" ? "desc" : "asc");
  const col = configurations[q.sort];
  const id = configurations.id;

  if (!q.scope && energy) q.scope = (await defaultEnergyScope(db, q.sort)) ?? undefined;
  const ranked = isNotNull(col);

  const [counted] = await db
    .select({ n: count() })
    .from(
      db
        .select({ one: sql`1` })
        .from(configurations)
        .where(and(...filterConditions(q, true, true), ranked))
        .limit(TOTAL_CAP + 1)
        .as("matches"),
    );
  const matches = counted?.n ?? 0;
  const many = matches > TOTAL_CAP;

  const where = [...filterConditions(q, !many, !many || energy), ranked];
  if (q.cursor) {
    const cur = decodeCursor(q.cursor);
    // Row values follow the index (metric, id) in either direction.
    where.push(order === "desc" ? sql`(${col}, ${id}) < (${cur.value}, ${cur.id})` : sql`(${col}, ${id}) > (${cur.value}, ${cur.id})`);
  }
  const offset = q.cursor ? 0 : q.offset;
  // With few matches, `+col` keeps SQLite from walking the metric index for the ORDER BY.
  const sortKey = many ? col : sql`+${col}`;
  const rows =
    matches === 0
      ? []
      : await db
          .select()
          .from(configurations)
          .where(and(...where))
          .orderBy(order === "desc" ? desc(sortKey) : asc(sortKey), order === "desc" ? desc(id) : asc(id))
          .limit(q.limit)
          .offset(offset);

  const last = rows.at(-1);
  const lastValue = last?.[q.sort];
  return {
    rows: rows.map(toLeaderboardRow),
    total: Math.min(matches, TOTAL_CAP),
    totalCapped: many,
    sort: q.sort,
    order,
    scope: q.scope ?? null,
    limit: q.limit,
    offset,
    nextCursor: rows.length === q.limit && last && lastValue != null ? encodeCursor(lastValue, last.id) : null,
  };
}
