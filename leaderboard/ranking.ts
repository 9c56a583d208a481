/**
 * From the URL state to the site's ranking query and back to what the page
 * shows. The heavy lifting (filters, scope, Pareto front, sort, page) happens
 * in SQL in workers/queries/site-leaderboard.ts; this file only maps.
 */
import type { MeterScope } from "@edgebench/contract";
import { siteRanking, type SiteChartRow, type SiteFilterOptions, type SiteRankingQuery } from "../workers/queries/site-leaderboard.js";
import type { Db } from "../workers/db.js";
import { CHART_X, CHART_Y } from "./components/chart.js";
import { effectiveSort, PAGE_SIZE, PARETO_AXES, SCOPED_VIEWS, VIEW_COLUMNS, type BoardState, type SortKey } from "./state.js";
import type { ConfigRow } from "./types.js";

/** Most points the chart draws; the rest stay in the table (keeps the page small and quick). */
export const CHART_MAX_POINTS = 200;

export type FilterOptions = SiteFilterOptions;

export interface RankedView {
  empty: boolean;
  options: FilterOptions;
  /** The scope energy is compared within: the URL's, else the most used one. */
  energyScope: MeterScope | null;
  /** This page's rows, with their 1-based rank. */
  page: { row: ConfigRow; rank: number }[];
  /** Rows the view ranks, over all pages. */
  total: number;
  pages: number;
  /** Ids of the Pareto members (three axes) among the filtered rows of energyScope. */
  pareto: Set<string>;
  /** Configurations in energyScope with all three axes measured (the Pareto candidates). */
  paretoCandidates: number;
  /** The chart's points (front members always included) and how many could be plotted. */
  chart: SiteChartRow[];
  chartCandidates: number;
  sort: { key: SortKey; dir: "asc" | "desc" };
  /** Configurations the view leaves out because its figure was not measured for them. */
  unranked: number;
}

/** `version`: the registry version (workers/cache) the page is rendered at, when known. */
export async function rankView(db: Db, state: BoardState, version: string | null = null): Promise<RankedView> {
  const sort = effectiveSort(state);
  const scoped = SCOPED_VIEWS.has(state.view);
  const query: SiteRankingQuery = {
    filters: { model: state.model, quantisation: state.quant, board: state.board, accelerator: state.accel, backend: state.backend },
    scope: state.scope,
    restrictToScope: scoped || state.scope !== null,
    paretoOnly: state.view === "pareto",
    primary: VIEW_COLUMNS[state.view][0]!,
    sort: sort.key,
    dir: sort.dir,
    limit: PAGE_SIZE,
    offset: (state.page - 1) * PAGE_SIZE,
    paretoAxes: PARETO_AXES,
    chartAxes: [CHART_X, CHART_Y],
    chartLimit: CHART_MAX_POINTS,
  };
  const r = await siteRanking(db, query, version);
  const pages = Math.max(1, Math.ceil(r.total / PAGE_SIZE));
  return {
    empty: r.empty,
    options: r.options,
    energyScope: r.energyScope,
    page: r.rows.map((row, i) => ({ row, rank: query.offset + i + 1 })),
    total: r.total,
    pages,
    pareto: r.pareto,
    paretoCandidates: r.paretoCandidates,
    chart: r.chart,
    chartCandidates: r.chartCandidates,
    sort,
    unranked: r.unranked,
  };
}
