/**
 * The site's leaderboard read, in one D1 batch (one round trip) whose cost
 * does not grow with the number of results: the table page, counts, the Pareto
 * front, the chart's points and the filter lists are all worked out in SQL
 * over the precomputed `configurations` table (the same table, columns and
 * row mapping as the API's queryLeaderboard), and only what the page shows
 * leaves the database.
 *
 * Semantics the site and the API share:
 * - only configurations with at least one visible submission are listed;
 * - a view ranks only configurations that have its figure (never a zero);
 * - energy is compared within one meter scope: the one asked for, else the
 *   scope with the most configurations that have tokens per joule under the
 *   same filters (ties: by name), as queryLeaderboard picks it;
 * - "better" for every metric comes from METRICS.
 */
import { and, asc, desc, eq, gt, inArray, isNotNull, or, sql, type SQL } from "drizzle-orm";
import { alias, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import { METRIC_BY_ID, type MetricId } from "@edgebench/contract";
import type { MeterScope } from "@edgebench/contract";
import { configurations } from "../../db/schema.js";
import { VersionMemo } from "../cache/memo.js";
import type { Db } from "../db.js";
import { toLeaderboardRow, type LeaderboardRow } from "./rows.js";

/** The configurations table or an alias of it (self-joins for the Pareto test and the scope pick). */
type Cfg = Record<keyof typeof configurations._.columns, SQLiteColumn>;

export interface SiteFilters {
  /** Model family slug or variant id. */
  model: string | null;
  quantisation: string | null;
  board: string | null;
  accelerator: string | null;
  backend: string | null;
}

export type SiteSortKey = MetricId | "board" | "model" | "submissions" | "contributors";

export interface SiteRankingQuery {
  filters: SiteFilters;
  /** The meter scope asked for; null: the busiest (see above). */
  scope: MeterScope | null;
  /** Restrict the table to `scope` even when the view is not an energy view. */
  restrictToScope: boolean;
  /** Only Pareto members are listed (the Pareto view). */
  paretoOnly: boolean;
  /** The figure the view ranks by: rows without it are left out. */
  primary: MetricId;
  sort: SiteSortKey;
  dir: "asc" | "desc";
  limit: number;
  offset: number;
  /** The three axes of the front, e.g. throughput, energy, size. */
  paretoAxes: readonly MetricId[];
  /** The chart's axes: rows need both to be plotted. */
  chartAxes: readonly [MetricId, MetricId];
  chartLimit: number;
}

/** What a chart point needs: the configuration's name and the axes' figures, nothing more. */
export type SiteChartRow = Pick<
  LeaderboardRow,
  "id" | "boardId" | "boardName" | "modelName" | "quantisation" | "acceleratorKind" | "acceleratorName" | "backend" | "runtime" | "threads" | "gpuLayers" | "latestSubmissionId"
> & { metrics: Partial<Record<MetricId, number>> };

export interface SiteFilterOptions {
  models: { id: string; label: string }[];
  quantisations: string[];
  boards: { id: string; label: string }[];
  backends: string[];
  accelerators: string[];
  /** Scopes with a measured tokens per joule, most configurations first. */
  scopes: { scope: MeterScope; count: number }[];
}

export interface SiteRanking {
  /** True when no configuration has a visible submission yet. */
  empty: boolean;
  options: SiteFilterOptions;
  /** The scope energy is compared within; null when nothing has energy. */
  energyScope: MeterScope | null;
  rows: LeaderboardRow[];
  /** Rows the view ranks (all pages). */
  total: number;
  /** Rows the view leaves out because its figure was not measured. */
  unranked: number;
  /** Ids on the Pareto front of energyScope under the filters. */
  pareto: Set<string>;
  /** Configurations of energyScope with all Pareto axes measured. */
  paretoCandidates: number;
  /** The chart's points: front members first, then the best on the chart's y axis. */
  chart: SiteChartRow[];
  /** Configurations that could be plotted (the chart shows at most chartLimit). */
  chartCandidates: number;
}

/** The filter conditions on one (possibly aliased) configurations table. */
function filterWhere(t: Cfg, f: SiteFilters): SQL[] {
  const where: SQL[] = [gt(t.submissionCount, 0)];
  if (f.model) where.push(or(eq(t.modelSlug, f.model), eq(t.modelId, f.model))!);
  if (f.quantisation) where.push(eq(t.quantisation, f.quantisation));
  if (f.board) where.push(eq(t.boardId, f.board));
  if (f.accelerator) where.push(sql`${t.acceleratorKind} = ${f.accelerator}`);
  if (f.backend) where.push(sql`${t.backend} = ${f.backend}`);
  return where;
}

/** The scope in force, as SQL: the one asked for, else the busiest with tokens per joule under the filters. */
function scopeExpr(q: SiteRankingQuery): SQL {
  if (q.scope) return sql`${q.scope}`;
  const s = alias(configurations, "s");
  return sql`(SELECT ${s.meterScope} FROM ${configurations} AS "s" WHERE ${and(...filterWhere(s, q.filters), isNotNull(s.tokens_per_j), sql`${s.meterScope} <> 'none'`)}
    GROUP BY ${s.meterScope} ORDER BY COUNT(*) DESC, ${s.meterScope} ASC LIMIT 1)`;
}

/**
 * Pareto members among the in-scope rows: no other in-scope row at least as
 * good on every axis and strictly better on one (directions from METRICS).
 */
function paretoWhere(t: Cfg, q: SiteRankingQuery, scope: SQL): SQL {
  const b = alias(configurations, "b");
  const atLeast: SQL[] = [];
  const better: SQL[] = [];
  for (const id of q.paretoAxes) {
    const [ge, gtOp] = METRIC_BY_ID[id].better === "higher" ? [">=", ">"] : ["<=", "<"];
    atLeast.push(sql`${b[id]} ${sql.raw(ge)} ${t[id]}`);
    better.push(sql`${b[id]} ${sql.raw(gtOp)} ${t[id]}`);
  }
  return and(
    ...filterWhere(t, q.filters),
    sql`${t.meterScope} = ${scope}`,
    ...q.paretoAxes.map((id) => isNotNull(t[id])),
    sql`NOT EXISTS (SELECT 1 FROM ${configurations} AS "b" WHERE ${and(...filterWhere(b, q.filters), sql`${b.meterScope} = ${t.meterScope}`, ...atLeast, or(...better))})`,
  )!;
}

function sortColumn(t: Cfg, key: SiteSortKey): SQL {
  switch (key) {
    case "board":
      return sql`lower(${t.boardName})`;
    case "model":
      return sql`lower(${t.modelName} || ' ' || ${t.quantisation})`;
    case "submissions":
      return sql`${t.submissionCount}`;
    case "contributors":
      return sql`${t.keyCount}`;
    default:
      return sql`${t[key]}`;
  }
}

/**
 * The filter lists depend only on the registry's data, not on the view: they
 * are worked out once per registry version in an isolate (the GROUP BY below
 * reads every configuration: ~11 ms of the / page's SQL at 3,700
 * configurations) and reused by every page rendered at that version.
 */
const optionsMemo = new VersionMemo<{ options: SiteFilterOptions; empty: boolean }>();

/** `version`: the registry version the page is rendered at (workers/cache), or null to work everything out. */
export async function siteRanking(db: Db, q: SiteRankingQuery, version: string | null = null): Promise<SiteRanking> {
  const c = configurations;
  const scope = scopeExpr(q);
  const filters = filterWhere(c, q.filters);

  // Which rows the view covers, before the "has its figure" rule.
  const viewExtra: SQL[] = [];
  if (q.paretoOnly) viewExtra.push(inArray(c.id, db.select({ id: c.id }).from(c).where(paretoWhere(c, q, scope))));
  else if (q.restrictToScope) viewExtra.push(sql`${c.meterScope} = ${scope}`);
  const view = [...filters, ...viewExtra];

  const col = sortColumn(c, q.sort);
  // Unmeasured last in either direction; ties: faster generation, then id (stable pages).
  // Sorting by the view's own figure, every listed row has it: without the
  // (constant) IS NULL term SQLite walks configurations_rank_<metric> and stops
  // after the page instead of sorting every row (2.5 -> 0.4 ms at 3,700).
  const nullsLast = q.sort === q.primary ? [] : [sql`(${col}) IS NULL`];
  const order = [...nullsLast, q.dir === "asc" ? asc(col) : desc(col), desc(c.tg_tps), asc(c.id)];
  const [chartX, chartY] = q.chartAxes;
  // Narrow rows for the front and the chart: only what a point shows.
  const axes = [...new Set([...q.paretoAxes, ...q.chartAxes])];
  const pointColumns = {
    id: c.id,
    boardId: c.boardId,
    boardName: c.boardName,
    modelName: c.modelName,
    quantisation: c.quantisation,
    acceleratorKind: c.acceleratorKind,
    acceleratorName: c.acceleratorName,
    backend: c.backend,
    runtime: c.runtimeName,
    threads: c.threads,
    gpuLayers: c.gpuLayers,
    latestSubmissionId: c.latestSubmissionId,
    ...Object.fromEntries(axes.map((id) => [`m_${id}`, c[id]])),
  };
  const inScope = sql`${c.meterScope} = ${scope}`;
  const plottable = and(...filters, inScope, isNotNull(c[chartX]), isNotNull(c[chartY]));
  /** Counts in one pass over the filtered rows: SUM of a condition. */
  const countIf = (cond: SQL | undefined) => sql<number>`COALESCE(SUM(CASE WHEN ${cond ?? sql`1`} THEN 1 ELSE 0 END), 0)`;

  const known = optionsMemo.get(version);
  // The filter lists' GROUP BY, unless this version's are known (then a one-row placeholder keeps the batch's shape).
  const optionsQuery = known
    ? db.select({ known: sql<number>`1` }).from(sql`(SELECT 1)`)
    : db
        .select({
          modelSlug: c.modelSlug,
          modelName: sql<string>`MIN(${c.modelName})`,
          quantisation: c.quantisation,
          boardId: c.boardId,
          boardName: sql<string>`MIN(${c.boardName})`,
          backend: c.backend,
          accelerator: c.acceleratorKind,
          scope: c.meterScope,
          withEnergy: sql<number>`SUM(${c.tokens_per_j} IS NOT NULL)`,
        })
        .from(c)
        .where(gt(c.submissionCount, 0))
        .groupBy(c.modelSlug, c.quantisation, c.boardId, c.backend, c.acceleratorKind, c.meterScope);

  const [stats, combos, page, front, chart] = await db.batch([
    db
      .select({
        viewed: countIf(viewExtra.length ? and(...viewExtra) : undefined),
        unranked: countIf(and(...(viewExtra.length ? viewExtra : [sql`1`]), sql`${c[q.primary]} IS NULL`)),
        plottable: countIf(and(inScope, isNotNull(c[chartX]), isNotNull(c[chartY]))),
        candidates: countIf(and(inScope, ...q.paretoAxes.map((id) => isNotNull(c[id])))),
        scope: sql<MeterScope | null>`${scope}`,
      })
      .from(c)
      .where(and(...filters)),
    // Filter lists: distinct combinations, folded in JS (small: boards x models x backends).
    optionsQuery,
    db
      .select()
      .from(c)
      .where(and(...view, isNotNull(c[q.primary])))
      .orderBy(...order)
      .limit(q.limit)
      .offset(q.offset),
    db.select(pointColumns).from(c).where(paretoWhere(c, q, scope)).orderBy(desc(c[chartY]), asc(c.id)),
    db.select(pointColumns).from(c).where(plottable).orderBy(desc(c[chartY]), asc(c.id)).limit(q.chartLimit),
  ]);

  const lists = known ?? { options: foldOptions(combos as Combo[]), empty: combos.length === 0 };
  if (!known) optionsMemo.set(version, lists);
  const options = lists.options;
  const st = stats[0];
  const toPoint = (r: Record<string, unknown>): SiteChartRow => {
    const metrics: Partial<Record<MetricId, number>> = {};
    for (const id of axes) {
      const v = r[`m_${id}`];
      if (typeof v === "number") metrics[id] = v;
    }
    return { ...(r as Omit<SiteChartRow, "metrics">), metrics };
  };
  const frontRows = front.map(toPoint);
  const chartRows = new Map(frontRows.map((r) => [r.id, r]));
  for (const r of chart) if (chartRows.size < q.chartLimit && !chartRows.has(r.id)) chartRows.set(r.id, toPoint(r));
  return {
    empty: lists.empty,
    options,
    energyScope: st?.scope ?? null,
    rows: page.map(toLeaderboardRow),
    total: (st?.viewed ?? 0) - (st?.unranked ?? 0),
    unranked: st?.unranked ?? 0,
    pareto: new Set(frontRows.map((r) => r.id)),
    paretoCandidates: st?.candidates ?? 0,
    chart: [...chartRows.values()],
    chartCandidates: st?.plottable ?? 0,
  };
}

interface Combo {
  modelSlug: string;
  modelName: string;
  quantisation: string;
  boardId: string;
  boardName: string;
  backend: string;
  accelerator: string;
  scope: MeterScope;
  withEnergy: number;
}

function foldOptions(combos: Combo[]): SiteFilterOptions {
  const models = new Map<string, string>();
  const boards = new Map<string, string>();
  const scopes = new Map<MeterScope, number>();
  const quantisations = new Set<string>();
  const backends = new Set<string>();
  const accelerators = new Set<string>();
  for (const x of combos) {
    models.set(x.modelSlug, x.modelName);
    boards.set(x.boardId, x.boardName);
    quantisations.add(x.quantisation);
    backends.add(x.backend);
    accelerators.add(x.accelerator);
    if (x.scope !== "none" && x.withEnergy > 0) scopes.set(x.scope, (scopes.get(x.scope) ?? 0) + x.withEnergy);
  }
  const byLabel = (a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label);
  return {
    models: [...models].map(([id, label]) => ({ id, label })).sort(byLabel),
    boards: [...boards].map(([id, label]) => ({ id, label })).sort(byLabel),
    quantisations: [...quantisations].sort(),
    backends: [...backends].sort(),
    accelerators: [...accelerators].sort(),
    scopes: [...scopes].map(([scope, n]) => ({ scope, count: n })).sort((a, b) => b.count - a.count || a.scope.localeCompare(b.scope)),
  };
}
