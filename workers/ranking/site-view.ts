/**
 * What the site's leaderboard (/) shows, worked out with the same rank() the
 * API answers with: the table is rank() of the URL's filters and sort; the
 * Pareto view lists the front instead; the chart plots the configurations
 * with both its axes measured. The front and the chart stay within the
 * energy scope (the scope rule's, ./scope.ts, for tokens per joule) when one
 * of their metrics is compared within one meter scope; otherwise they span
 * every scope, or the one the filters ask for.
 */
import { METRIC_BY_ID, type MeterScope, type MetricId } from "@edgebench/contract";
import type { Db } from "../db.js";
import { type FilterOptions, filterOptions } from "./options.js";
import { type PointRow, paretoFront, pointsWith } from "./pareto.js";
import type { RankFilters } from "./query.js";
import { rank, TOTAL_CAP } from "./rank.js";
import { type LeaderboardRow, rowsByIds } from "./rows.js";
import { rankingScope } from "./scope.js";

export interface SiteViewRequest {
  filters: RankFilters;
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

export interface SiteView {
  /** No configuration has a visible result yet. */
  empty: boolean;
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

/** Orders front members like rank() orders a page: the sort metric in the asked direction, ties by id in the same direction. */
function byMetric(sort: MetricId, order: "asc" | "desc") {
  const sign = order === "asc" ? 1 : -1;
  return (a: LeaderboardRow, b: LeaderboardRow) =>
    sign * ((a.metrics[sort] ?? 0) - (b.metrics[sort] ?? 0)) || sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export async function siteView(db: Db, q: SiteViewRequest): Promise<SiteView> {
  const [options, energyScope] = await Promise.all([filterOptions(db), rankingScope(db, q.filters, ENERGY)]);
  const empty = options.boards.length === 0;
  const defaultOrder = METRIC_BY_ID[q.sort].better === "higher" ? "desc" : "asc";

  // One read for the front and the chart: the front scope's configurations with both chart axes, the rest of the
  // front's axes and the marker size where they have them (the chart's axes are two of the front's).
  const required = [q.chart.x, q.chart.y];
  const optional = [...new Set([...q.paretoAxes, q.chart.size])].filter((id) => !required.includes(id));
  const scoped = [...required, ...optional].some((id) => METRIC_BY_ID[id].withinMeterScope);
  const frontScope = scoped ? energyScope : (q.filters.scope ?? null);
  const [rankPage, points] = await Promise.all([
    q.paretoOnly ? null : rank(db, { filters: q.filters, sort: q.sort, order: q.order ?? undefined, limit: q.limit, offset: q.offset }),
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
    frontScope,
    ...table,
    pareto,
    paretoCandidates: candidates.length,
    chart,
    chartCandidates: points.length,
  };
}
