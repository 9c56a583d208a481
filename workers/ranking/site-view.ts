/**
 * What the site's leaderboard (/) shows, worked out with the same rank() the
 * API answers with: the table is rank() of the URL's filters and sort; the
 * Pareto view lists the front instead; the chart plots the configurations
 * with both its axes measured. The front and the chart stay within the
 * energy scope (the scope rule's, ./scope.ts, for tokens per joule) when one
 * of their metrics is compared within one meter scope; otherwise they span
 * every scope, or the one the filters ask for.
 *
 * Every ranking, chart and front is within one model: a URL without `model`
 * ranks the default model (the most-submitted pinned standard file, else the
 * most-submitted model variant), written into the view's filters so every
 * link of the page names it; `model=all` (the site's own value) shows one
 * small ranking per model instead of one across models.
 */
import { METRIC_BY_ID, type MeterScope, type MetricId } from "@edgebench/contract";
import { and, asc, desc, eq, gt, type SQL, sql } from "drizzle-orm";
import { models, standardFiles } from "../../db/schema.js";
import type { Db } from "../db.js";
import { type FilterOptions, filterOptions } from "./options.js";
import { type PointRow, paretoFront, pointsWith } from "./pareto.js";
import { DEFAULT_GROUP, type RankFilters, type RankGroup } from "./query.js";
import { type ModelRanking, rank, rankPerModel, TOTAL_CAP } from "./rank.js";
import { type LeaderboardRow, rowsByIds } from "./rows.js";
import { rankingScope } from "./scope.js";
import { syntheticModelSql } from "./test-data.js";

/** The site's `model` value for the cross-model view. */
export const ALL_MODELS = "all";
/** The cross-model view: this many models (most-submitted first), this many rows each. */
export const PER_MODEL = { models: 10, rows: 5 } as const;

export interface SiteViewRequest {
  filters: RankFilters;
  /** Default: DEFAULT_GROUP, as the API's. */
  group?: RankGroup;
  sort: MetricId;
  order: "asc" | "desc" | null;
  /** List only the Pareto front (the Pareto view). */
  paretoOnly: boolean;
  limit: number;
  offset: number;
  /** The front's axes and the chart's (x, y: two of the front's) and marker size. */
  paretoAxes: readonly MetricId[];
  chart: { x: MetricId; y: MetricId; size: MetricId; limit: number };
}

/** The model a URL without `model` ranks. */
export interface DefaultModel {
  name: string;
  quantisation: string;
  /** A pinned standard file (GET /api/v1/standard-files); else the most-submitted variant of any file. */
  standard: boolean;
}

export interface SiteView {
  /** No configuration has a visible result yet. */
  empty: boolean;
  /** The filters ranked: the URL's, with the default model filled in when it named none. */
  filters: RankFilters;
  /** Set when the URL named no model and the default was ranked. */
  defaultModel: DefaultModel | null;
  /** `model=all`: the top rows of each model instead of the table, chart and front (then empty). */
  perModel: ModelRanking[] | null;
  options: FilterOptions;
  /** The scope energy is compared within (the scope rule for tokens per joule), null when nothing has energy. */
  energyScope: MeterScope | null;
  /** The scope the table is restricted to (the URL's, else the rule's for an energy sort), or null. */
  scope: MeterScope | null;
  order: "asc" | "desc";
  rows: LeaderboardRow[];
  /** Rows the view ranks, counted up to TOTAL_CAP. */
  total: number;
  totalCapped: boolean;
  /** The scope the front and the chart are read within: energyScope when one of their metrics is compared within a scope, else the filters' scope or null (every scope). */
  frontScope: MeterScope | null;
  /** Ids of the Pareto front of frontScope under the filters. */
  pareto: Set<string>;
  /** Configurations of frontScope with every Pareto axis measured. */
  paretoCandidates: number;
  /** The chart's points: front members first, then the best on the y axis. */
  chart: PointRow[];
  /** Configurations that could be plotted (the chart shows at most chart.limit). */
  chartCandidates: number;
}

const ENERGY: MetricId = "tokens_per_j";
const WATTS: MetricId = "avg_w";

/** Orders front members like rank() orders a page: the sort metric in the asked direction, ties by id in the same direction. */
function byMetric(sort: MetricId, order: "asc" | "desc") {
  const sign = order === "asc" ? 1 : -1;
  return (a: LeaderboardRow, b: LeaderboardRow) =>
    sign * ((a.metrics[sort] ?? 0) - (b.metrics[sort] ?? 0)) || sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The most-submitted pinned standard model variant, else the most-submitted one (of the quantisation asked, if any). */
async function defaultModel(db: Db, quantisation: string | undefined, test: boolean): Promise<(DefaultModel & { slug: string }) | null> {
  const pinned = sql<number>`${models.id} IN (SELECT ${standardFiles.sha256} FROM ${standardFiles})`;
  const where: SQL[] = [gt(models.submissionCount, 0)];
  if (quantisation) where.push(eq(models.quantisation, quantisation));
  // A generated model is test data: never the one the front page ranks unless test data is asked for.
  if (!test) where.push(sql`NOT ${syntheticModelSql(models.name)}`);
  const [row] = await db
    .select({ slug: models.slug, name: models.name, quantisation: models.quantisation, standard: pinned })
    .from(models)
    .where(and(...where))
    .orderBy(desc(pinned), desc(models.submissionCount), asc(models.id))
    .limit(1);
  return row ? { ...row, standard: Boolean(row.standard) } : null;
}

export async function siteView(db: Db, request: SiteViewRequest): Promise<SiteView> {
  const group = request.group ?? DEFAULT_GROUP;
  const all = request.filters.model === ALL_MODELS;
  const fallback = request.filters.model ? null : await defaultModel(db, request.filters.quantisation, Boolean(request.filters.test));
  const q: SiteViewRequest = {
    ...request,
    filters: fallback
      ? { ...request.filters, model: fallback.slug, quantisation: fallback.quantisation }
      : all
        ? { ...request.filters, model: undefined }
        : request.filters,
  };
  const [options, energyScope] = await Promise.all([filterOptions(db, q.filters), rankingScope(db, q.filters, ENERGY)]);
  const empty = !options.any;
  const defaultOrder = METRIC_BY_ID[q.sort].better === "higher" ? "desc" : "asc";
  const shown = {
    filters: fallback ? q.filters : request.filters,
    defaultModel: fallback ? { name: fallback.name, quantisation: fallback.quantisation, standard: fallback.standard } : null,
  };
  if (all) {
    const per = await rankPerModel(db, {
      filters: q.filters,
      sort: q.sort,
      order: q.order ?? undefined,
      group,
      perModel: PER_MODEL.rows,
      models: PER_MODEL.models,
    });
    const frontScope = METRIC_BY_ID[q.sort].withinMeterScope ? per.scope : (q.filters.scope ?? null);
    const total = per.models.reduce((n, m) => n + m.rows.length, 0);
    return {
      empty,
      options,
      energyScope,
      ...shown,
      perModel: per.models,
      scope: per.scope,
      order: per.order,
      rows: [],
      total,
      totalCapped: false,
      frontScope,
      pareto: new Set(),
      paretoCandidates: 0,
      chart: [],
      chartCandidates: 0,
    };
  }

  // One read for the front and the chart: the front scope's configurations with both chart axes, the rest of the
  // front's axes and the marker size where they have them (the chart's axes are two of the front's).
  const required = [q.chart.x, q.chart.y];
  const asked = [...new Set([...q.paretoAxes, q.chart.size])].filter((id) => !required.includes(id));
  const scoped = [...required, ...asked].some((id) => METRIC_BY_ID[id].withinMeterScope);
  const frontScope = scoped ? energyScope : (q.filters.scope ?? null);
  // The chart's tooltip shows watts where measured: average power is compared within one scope, so only when the chart has one.
  const optional = frontScope && !required.includes(WATTS) && !asked.includes(WATTS) ? [...asked, WATTS] : asked;
  const [rankPage, points] = await Promise.all([
    q.paretoOnly ? null : rank(db, { filters: q.filters, sort: q.sort, order: q.order ?? undefined, group, limit: q.limit, offset: q.offset }),
    // Scoped with no energy scope: nothing has energy, so nothing to compare.
    scoped && !energyScope ? [] : pointsWith(db, q.filters, frontScope, required, optional),
  ]);
  const candidates = points.filter((p) => q.paretoAxes.every((id) => p.metrics[id] !== undefined));
  const front = paretoFront(candidates, q.paretoAxes, (p, id) => p.metrics[id]);
  const pareto = new Set([...front].map((p) => p.id));

  let table: Pick<SiteView, "rows" | "total" | "totalCapped" | "scope" | "order">;
  if (!rankPage) {
    const order = q.order ?? defaultOrder;
    const members = (await rowsByIds(db, [...pareto])).filter((r) => r.metrics[q.sort] !== undefined).sort(byMetric(q.sort, order));
    table = {
      rows: members.slice(q.offset, q.offset + q.limit),
      total: Math.min(members.length, TOTAL_CAP),
      totalCapped: members.length > TOTAL_CAP,
      scope: frontScope,
      order,
    };
  } else {
    table = { rows: rankPage.rows, total: rankPage.total, totalCapped: rankPage.totalCapped, scope: rankPage.scope, order: rankPage.order };
  }

  // The chart: front members first, then the best on y, up to the limit.
  const y = q.chart.y;
  const better = METRIC_BY_ID[y].better === "higher" ? -1 : 1;
  const byY = [...points].sort((a, b) => better * ((a.metrics[y] ?? 0) - (b.metrics[y] ?? 0)) || (a.id < b.id ? -1 : 1));
  const chart = [...byY.filter((p) => pareto.has(p.id)), ...byY.filter((p) => !pareto.has(p.id))].slice(0, q.chart.limit);

  return {
    empty,
    options,
    energyScope,
    ...shown,
    perModel: null,
    frontScope,
    ...table,
    pareto,
    paretoCandidates: candidates.length,
    chart,
    chartCandidates: points.length,
  };
}
