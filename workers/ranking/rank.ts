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
 *
 * Grouped rankings (group=setup or board) need every match to find each
 * group's best, so they read every matching configuration once (window
 * functions over the matches, found as above), never the runs: one statement
 * gives the page, the group counts and sweeps, and the total.
 */
import { decodeBase64Url, encodeBase64Url, METRIC_BY_ID, type MeterScope, type MetricId } from "@edgebench/contract";
import { and, asc, count, desc, eq, type SQL, sql } from "drizzle-orm";
import { ANY_SCOPE, configurationMetrics, configurations, models } from "../../db/schema.js";
import type { Db } from "../db.js";
import { type RankFilters, type RankGroup, RankQueryError } from "./query.js";
import { type LeaderboardRow, ROW_COLUMNS, type RowColumns, rowsByIds, type SetupSetting, withFigures } from "./rows.js";
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
  /** How rows are grouped (query.ts GROUPS); default: every configuration its own row. */
  group?: RankGroup | undefined;
}

export interface RankedPage {
  rows: LeaderboardRow[];
  /** Configurations the ranking holds, counted up to TOTAL_CAP. */
  total: number;
  /** True when there are more than TOTAL_CAP (then `total` is TOTAL_CAP, a lower bound). */
  totalCapped: boolean;
  sort: MetricId;
  order: "asc" | "desc";
  group: RankGroup;
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

/** What every plan of a ranking shares: the direction, the scope and the matching configurations' conditions. */
interface Plan {
  order: "asc" | "desc";
  scope: MeterScope | null;
  /** Null: an energy ranking with no scope, where nothing in any scope has the figure. */
  ranked: SQL | null;
  configFilters(indexable: boolean): SQL[];
  viaConfigurations: boolean;
}

async function plan(db: Db, q: Pick<RankRequest, "filters" | "sort" | "order">): Promise<Plan> {
  const metric = METRIC_BY_ID[q.sort];
  const order = q.order ?? (metric.better === "higher" ? "desc" : "asc");
  const scope = await rankingScope(db, q.filters, q.sort);
  const m = configurationMetrics;
  const c = configurations;
  const ranked = metric.withinMeterScope && !scope ? null : and(eq(m.metric, q.sort), eq(m.rankScope, metric.withinMeterScope ? scope! : ANY_SCOPE))!;
  // For a metric ranked within a scope, rank_scope already is the scope; for any other, a scope asked for filters the configuration.
  const scopeFilter = (indexable: boolean): SQL[] =>
    !metric.withinMeterScope && scope ? [indexable ? eq(c.meterScope, scope) : sql`+${c.meterScope} = ${scope}`] : [];
  return {
    order,
    scope,
    ranked,
    configFilters: (indexable) => [...filterConditions(q.filters, indexable), ...scopeFilter(indexable)],
    viaConfigurations: hasIndexedFilter(q.filters, !metric.withinMeterScope && scope !== null),
  };
}

export async function rank(db: Db, q: RankRequest): Promise<RankedPage> {
  const group = q.group ?? "configuration";
  const { order, scope, ranked, configFilters, viaConfigurations } = await plan(db, q);
  const offset = q.cursor ? 0 : (q.offset ?? 0);
  const empty: RankedPage = { rows: [], total: 0, totalCapped: false, sort: q.sort, order, group, scope, limit: q.limit, offset, nextCursor: null };
  if (!ranked) return empty;
  if (group !== "configuration") return rankGroups(db, q, { order, scope, ranked, configFilters, viaConfigurations }, empty);

  const m = configurationMetrics;
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
    group,
    scope,
    limit: q.limit,
    offset,
    nextCursor: page.length === q.limit && last ? encodeCursor(last.value, last.id) : null,
  };
}

/** What makes two configurations one group: a setup is everything of the configuration's key but threads and GPU layers. */
function groupKey(group: RankGroup, perModel: boolean): SQL {
  const c = configurations;
  const cols = {
    setup: [c.suiteId, c.suiteVersion, c.modelId, c.boardId, c.acceleratorKind, c.acceleratorName, c.backend, c.runtimeName, c.meterScope, c.cooling],
    board: [...(perModel ? [c.modelId] : []), c.boardId],
    configuration: [c.id],
  }[group];
  return sql.join(cols, sql`, `);
}

/**
 * Each group's best configuration among the matches (ties: the lower id), with the group's size, its sweep
 * (setup) and the number of groups; perModel adds the model and its submissions, to rank within each model.
 */
function groupWinners(db: Db, q: Pick<RankRequest, "sort">, p: Plan, group: RankGroup, perModel: boolean) {
  const m = configurationMetrics;
  const c = configurations;
  const best = METRIC_BY_ID[q.sort].better === "higher" ? sql`DESC` : sql`ASC`;
  const key = groupKey(group, perModel);
  const within = sql`PARTITION BY ${key} ORDER BY ${m.value} ${best}, ${c.id}`;
  const inner = matching(
    db,
    {
      id: c.id,
      value: m.value,
      modelId: c.modelId,
      // A model's submissions orders the per-model tables (primary-key read, only when asked).
      subs: (perModel ? sql<number>`(SELECT ${models.submissionCount} FROM ${models} WHERE ${models.id} = ${c.modelId})` : sql<number>`0`).as("subs"),
      rn: sql<number>`row_number() OVER (${within})`.as("rn"),
      n: sql<number>`count(*) OVER (PARTITION BY ${key})`.as("n"),
      settings: (group === "setup"
        ? sql<string>`json_group_array(json_array(${c.threads}, ${c.gpuLayers}, ${c.id}, ${m.value})) OVER (${within} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`
        : sql<string | null>`NULL`
      ).as("settings"),
    },
    p.ranked!,
    p.configFilters(true),
    p.viaConfigurations,
  ).as("g");
  return db
    .select({
      id: inner.id,
      value: inner.value,
      modelId: inner.modelId,
      subs: inner.subs,
      n: inner.n,
      settings: inner.settings,
      total: sql<number>`count(*) OVER ()`.as("total"),
    })
    .from(inner)
    .where(eq(inner.rn, 1))
    .as("w");
}

type Winner = { id: string; value: number; n: number; settings: string | null };

/** The winners' rows, in their order, each with what its group holds (nothing for group=configuration). */
async function winnerRows(db: Db, winners: readonly Winner[], group: RankGroup): Promise<LeaderboardRow[]> {
  const rows = await rowsByIds(
    db,
    winners.map((w) => w.id),
  );
  if (group === "configuration") return rows;
  const byId = new Map(winners.map((w) => [w.id, w]));
  return rows.map((r) => {
    const w = byId.get(r.id)!;
    const settings = w.settings
      ? (JSON.parse(w.settings) as [number, number, string, number][]).map(
          ([threads, gpuLayers, configurationId, value]): SetupSetting => ({ threads, gpuLayers, configurationId, value }),
        )
      : undefined;
    return { ...r, group: { configurations: w.n, ...(settings ? { settings } : {}) } };
  });
}

async function rankGroups(db: Db, q: RankRequest, p: Plan, empty: RankedPage): Promise<RankedPage> {
  const w = groupWinners(db, q, p, empty.group, false);
  const dir = p.order === "desc" ? desc : asc;
  const cur = q.cursor ? decodeCursor(q.cursor) : null;
  // The cursor applies after the groups are counted, so every page reports the same total.
  const after = cur
    ? p.order === "desc"
      ? sql`(${w.value}, ${w.id}) < (${cur.value}, ${cur.id})`
      : sql`(${w.value}, ${w.id}) > (${cur.value}, ${cur.id})`
    : undefined;
  const page = await db.select().from(w).where(after).orderBy(dir(w.value), dir(w.id)).limit(q.limit).offset(empty.offset);
  // A page past the end has no row to carry the total: count the groups apart.
  const n = page[0]?.total ?? (empty.offset > 0 || cur ? ((await db.select({ n: count() }).from(w))[0]?.n ?? 0) : 0);
  const last = page.at(-1);
  return {
    ...empty,
    rows: await winnerRows(db, page, empty.group),
    total: Math.min(n, TOTAL_CAP),
    totalCapped: n > TOTAL_CAP,
    nextCursor: page.length === q.limit && last ? encodeCursor(last.value, last.id) : null,
  };
}

/** One model's top rows in a cross-model view. */
export interface ModelRanking {
  modelId: string;
  rows: LeaderboardRow[];
}

/**
 * The cross-model view: instead of one ranking across models (where the
 * smallest model wins everything), the top `perModel` rows of each of the
 * `models` most-submitted models, each ranked as rank() ranks within one
 * model, in one statement.
 */
export async function rankPerModel(
  db: Db,
  q: Pick<RankRequest, "filters" | "sort" | "order"> & { group: RankGroup; perModel: number; models: number },
): Promise<{ models: ModelRanking[]; scope: MeterScope | null; order: "asc" | "desc" }> {
  const p = await plan(db, q);
  if (!p.ranked) return { models: [], scope: p.scope, order: p.order };
  // group=configuration: each configuration is its own group (keyed by id), so the same statement serves.
  const w = groupWinners(db, q, p, q.group, true);
  const dir = p.order === "desc" ? sql`DESC` : sql`ASC`;
  const ranked = db
    .select({
      id: w.id,
      value: w.value,
      modelId: w.modelId,
      n: w.n,
      settings: w.settings,
      k: sql<number>`row_number() OVER (PARTITION BY ${w.modelId} ORDER BY ${w.value} ${dir}, ${w.id} ${dir})`.as("k"),
      mr: sql<number>`dense_rank() OVER (ORDER BY ${w.subs} DESC, ${w.modelId})`.as("mr"),
    })
    .from(w)
    .as("r");
  const top = await db
    .select()
    .from(ranked)
    .where(and(sql`${ranked.k} <= ${q.perModel}`, sql`${ranked.mr} <= ${q.models}`))
    .orderBy(asc(ranked.mr), asc(ranked.k));
  const rows = await winnerRows(db, top, q.group);
  const out: ModelRanking[] = [];
  for (const r of rows) {
    const last = out.at(-1);
    if (last?.modelId === r.modelId) last.rows.push(r);
    else out.push({ modelId: r.modelId, rows: [r] });
  }
  return { models: out, scope: p.scope, order: p.order };
}
