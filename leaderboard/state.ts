/**
 * The leaderboard's whole state lives in the query string, so a link reproduces
 * the view exactly. parseState() is forgiving (unknown values fall back to the
 * defaults) and toQuery() writes only what differs from them, in a fixed order.
 */
import { METER_SCOPES, METRIC_BY_ID, type MeterScope, type MetricId } from "@edgebench/contract";
import { ACCELERATOR_KINDS_ALL, type AcceleratorKind } from "./types.js";

export const VIEWS = ["throughput", "energy", "size", "pareto"] as const;
export type View = (typeof VIEWS)[number];

/** The three axes of the Pareto view and the chart: throughput, energy, size. */
export const PARETO_AXES: readonly MetricId[] = ["tg_tps", "tokens_per_j", "tps_per_litre"];

/** Per view: the metric it ranks by first, then the other metric columns it shows. */
export const VIEW_COLUMNS: Record<View, readonly MetricId[]> = {
  // pp+tg and depth figures live on the result and compare pages; the ranking stays readable.
  throughput: ["tg_tps", "pp_tps", "ttft_ms"],
  energy: ["tokens_per_j", "j_per_token", "avg_w", "tg_tps"],
  size: ["tps_per_litre", "tg_tps"],
  pareto: PARETO_AXES,
};

export const VIEW_LABELS: Record<View, string> = {
  throughput: "Throughput",
  energy: "Energy",
  size: "Size",
  pareto: "Pareto",
};

/** Views whose ranking involves energy: they compare within one meter scope only. */
export const SCOPED_VIEWS: ReadonlySet<View> = new Set(["energy", "pareto"]);

/** Non-metric columns that can be sorted too. */
export const TEXT_SORTS = ["board", "model", "submissions", "contributors"] as const;
export type TextSort = (typeof TEXT_SORTS)[number];
export type SortKey = MetricId | TextSort;

export const PAGE_SIZE = 50;

export interface BoardState {
  view: View;
  scope: MeterScope | null;
  model: string | null;
  quant: string | null;
  board: string | null;
  accel: AcceleratorKind | null;
  backend: string | null;
  sort: SortKey | null;
  dir: "asc" | "desc" | null;
  page: number;
}

export const DEFAULT_STATE: BoardState = {
  view: "throughput",
  scope: null,
  model: null,
  quant: null,
  board: null,
  accel: null,
  backend: null,
  sort: null,
  dir: null,
  page: 1,
};

const FILTER_KEYS = ["scope", "model", "quant", "board", "accel", "backend"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

function pick<T extends string>(allowed: readonly T[], v: string | null): T | null {
  return v !== null && (allowed as readonly string[]).includes(v) ? (v as T) : null;
}

/** Free-text filter values (ids) are bounded; anything longer cannot be an id. */
function idParam(v: string | null): string | null {
  return v && v.length <= 200 ? v : null;
}

export function parseState(q: URLSearchParams): BoardState {
  const sortRaw = q.get("sort");
  const sort = sortRaw && (sortRaw in METRIC_BY_ID || (TEXT_SORTS as readonly string[]).includes(sortRaw)) ? (sortRaw as SortKey) : null;
  const page = Number.parseInt(q.get("page") ?? "1", 10);
  return {
    view: pick(VIEWS, q.get("view")) ?? "throughput",
    scope: pick(METER_SCOPES.filter((s) => s !== "none"), q.get("scope")),
    model: idParam(q.get("model")),
    quant: idParam(q.get("quant")),
    board: idParam(q.get("board")),
    accel: pick(ACCELERATOR_KINDS_ALL, q.get("accel")),
    backend: idParam(q.get("backend")),
    sort,
    dir: pick(["asc", "desc"] as const, q.get("dir")),
    page: Number.isFinite(page) && page > 1 ? Math.min(page, 100_000) : 1,
  };
}

/** The query string (with "?", or "" for the defaults) for a state. */
export function toQuery(state: BoardState): string {
  const q = new URLSearchParams();
  if (state.view !== "throughput") q.set("view", state.view);
  for (const k of FILTER_KEYS) {
    const v = state[k];
    if (v) q.set(k, v);
  }
  if (state.sort) q.set("sort", state.sort);
  if (state.dir) q.set("dir", state.dir);
  if (state.page > 1) q.set("page", String(state.page));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** A link to the leaderboard with some of the state changed (page resets unless given). */
export function hrefWith(state: BoardState, change: Partial<BoardState>): string {
  return `/${toQuery({ ...state, page: 1, ...change })}`;
}

/** The sort in force: the URL's, else the view's first metric. */
export function effectiveSort(state: BoardState): { key: SortKey; dir: "asc" | "desc" } {
  // Only a column the view shows can order it (an energy figure must not rank
  // a view that mixes meter scopes).
  const shown = state.sort && (VIEW_COLUMNS[state.view].includes(state.sort as MetricId) || (TEXT_SORTS as readonly string[]).includes(state.sort));
  const key = shown ? state.sort! : VIEW_COLUMNS[state.view][0]!;
  return { key, dir: (shown && state.dir) || defaultDir(key) };
}

/** Metrics sort best-first by their `better`; counts most-first; names A to Z. */
export function defaultDir(key: SortKey): "asc" | "desc" {
  if (key in METRIC_BY_ID) return METRIC_BY_ID[key as MetricId].better === "higher" ? "desc" : "asc";
  return key === "submissions" || key === "contributors" ? "desc" : "asc";
}
