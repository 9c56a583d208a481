/**
 * From every configuration row to what one leaderboard view shows: filters,
 * the meter scope energy is compared within, Pareto membership, sort order and
 * the page. Pure, so it is the same for the page, the chart and the tests.
 */
import { METRIC_BY_ID, type MeterScope, type MetricId } from "../uploader/src/contract/index.js";
import { paretoFront } from "./pareto.js";
import { effectiveSort, PAGE_SIZE, PARETO_AXES, SCOPED_VIEWS, VIEW_COLUMNS, type BoardState, type SortKey } from "./state.js";
import type { ConfigRow } from "./types.js";

export interface FilterOptions {
  models: { id: string; label: string }[];
  quants: string[];
  boards: { id: string; label: string }[];
  backends: string[];
  accels: string[];
  /** Meter scopes with at least one measured energy figure, most used first. */
  scopes: { scope: MeterScope; count: number }[];
}

export interface RankedView {
  /** The scope energy is compared within: the URL's, else the most used one. */
  energyScope: MeterScope | null;
  /** Rows after filters (and, for energy/pareto views, the scope), sorted. */
  rows: ConfigRow[];
  /** This page's slice of rows, with their 1-based rank. */
  page: { row: ConfigRow; rank: number }[];
  pages: number;
  /** Pareto members (three axes) among the filtered rows of energyScope. */
  pareto: Set<ConfigRow>;
  /** Configurations in energyScope with all three axes measured (the Pareto candidates). */
  paretoCandidates: number;
  sort: { key: SortKey; dir: "asc" | "desc" };
  /** Rows matching the filters before the scope restriction (for "N more in other scopes"). */
  filteredTotal: number;
  /** Configurations the view leaves out because its figure was not measured for them. */
  unranked: number;
}

const uniq = <T,>(xs: T[]) => [...new Set(xs)];
const byLabel = (a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label);

export function filterOptions(all: readonly ConfigRow[]): FilterOptions {
  const models = new Map<string, string>();
  const boards = new Map<string, string>();
  const scopes = new Map<MeterScope, number>();
  for (const r of all) {
    models.set(r.modelSlug, r.modelName);
    boards.set(r.boardId, r.boardName);
    if (r.meterScope && r.metrics.tokens_per_j !== undefined) scopes.set(r.meterScope, (scopes.get(r.meterScope) ?? 0) + 1);
  }
  return {
    models: [...models].map(([id, label]) => ({ id, label })).sort(byLabel),
    boards: [...boards].map(([id, label]) => ({ id, label })).sort(byLabel),
    quants: uniq(all.map((r) => r.quantisation)).sort(),
    backends: uniq(all.map((r) => r.backend)).sort(),
    accels: uniq(all.map((r) => r.acceleratorKind)).sort(),
    scopes: [...scopes].map(([scope, count]) => ({ scope, count })).sort((a, b) => b.count - a.count || a.scope.localeCompare(b.scope)),
  };
}

function busiestScope(rows: readonly ConfigRow[]): MeterScope | null {
  const counts = new Map<MeterScope, number>();
  for (const r of rows) if (r.meterScope && r.metrics.tokens_per_j !== undefined) counts.set(r.meterScope, (counts.get(r.meterScope) ?? 0) + 1);
  let best: MeterScope | null = null;
  for (const [scope, n] of counts) if (best === null || n > counts.get(best)! || (n === counts.get(best)! && scope < best)) best = scope;
  return best;
}

function matches(r: ConfigRow, s: BoardState): boolean {
  return (
    (!s.model || r.modelSlug === s.model || r.modelId === s.model) &&
    (!s.quant || r.quantisation === s.quant) &&
    (!s.board || r.boardId === s.board) &&
    (!s.accel || r.acceleratorKind === s.accel) &&
    (!s.backend || r.backend === s.backend)
  );
}

function sortValue(r: ConfigRow, key: SortKey): number | string | undefined {
  switch (key) {
    case "board":
      return r.boardName.toLowerCase();
    case "model":
      return `${r.modelName} ${r.quantisation}`.toLowerCase();
    case "submissions":
      return r.submissions;
    case "contributors":
      return r.contributors;
    default:
      return r.metrics[key];
  }
}

/** Sorts in the given direction; rows without the figure always go last. */
export function sortRows(rows: ConfigRow[], key: SortKey, dir: "asc" | "desc"): ConfigRow[] {
  const sign = dir === "asc" ? 1 : -1;
  // Ties fall back to generation speed, then the id, so the order is stable across reloads.
  const tie = (a: ConfigRow, b: ConfigRow) => (b.metrics.tg_tps ?? -Infinity) - (a.metrics.tg_tps ?? -Infinity) || a.id.localeCompare(b.id);
  return [...rows].sort((a, b) => {
    const va = sortValue(a, key);
    const vb = sortValue(b, key);
    if (va === undefined || vb === undefined) return va === vb ? tie(a, b) : va === undefined ? 1 : -1;
    if (va === vb) return tie(a, b);
    return (va < vb ? -1 : 1) * sign;
  });
}

export function rankView(all: readonly ConfigRow[], state: BoardState, options: FilterOptions): RankedView {
  const filtered = all.filter((r) => matches(r, state));
  // Like the API: the requested scope, else the one with the most configurations
  // that have the energy figure under these filters (ties: by name).
  const energyScope = state.scope ?? busiestScope(filtered) ?? options.scopes[0]?.scope ?? null;
  const inScope = filtered.filter((r) => energyScope !== null && r.meterScope === energyScope);
  const value = (r: ConfigRow, id: MetricId) => r.metrics[id];
  const pareto = paretoFront(inScope, PARETO_AXES, value);
  const paretoCandidates = inScope.filter((r) => PARETO_AXES.every((id) => r.metrics[id] !== undefined)).length;

  let rows: ConfigRow[];
  if (state.view === "pareto") rows = inScope.filter((r) => pareto.has(r));
  else if (SCOPED_VIEWS.has(state.view)) rows = inScope;
  else rows = state.scope ? filtered.filter((r) => r.meterScope === state.scope) : filtered;
  // Like the API, a view ranks only configurations that have its figure: one
  // without a size (or energy) figure is left out, never ranked as zero.
  const primary = VIEW_COLUMNS[state.view][0]!;
  const unranked = rows.filter((r) => r.metrics[primary] === undefined).length;
  rows = rows.filter((r) => r.metrics[primary] !== undefined);

  const sort = effectiveSort(state);
  rows = sortRows(rows, sort.key, sort.dir);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const pageNo = Math.min(state.page, pages);
  const start = (pageNo - 1) * PAGE_SIZE;
  const page = rows.slice(start, start + PAGE_SIZE).map((row, i) => ({ row, rank: start + i + 1 }));
  return { energyScope, rows, page, pages, pareto, paretoCandidates, sort, filteredTotal: filtered.length, unranked };
}

/** Is the metric one whose ranking only makes sense within one meter scope? */
export function isEnergyMetric(id: MetricId): boolean {
  return METRIC_BY_ID[id].axis === "energy";
}
