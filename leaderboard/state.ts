/**
 * The leaderboard's whole state lives in the query string, so a link reproduces
 * the view exactly. The filters, `sort` and `order` are the API's own
 * parameters (workers/ranking/query.ts), so `/?sort=X&board=Y` and
 * `/api/v1/leaderboard?sort=X&board=Y` rank the same rows in the same order;
 * the site adds `view`, `axes` (the Pareto front's, one of PARETO_CHOICES)
 * and `page`, and takes `model=all` for its cross-model view (one small
 * ranking per model). `group` is the API's too, with the same default. parseState() is forgiving (a value that does not parse is
 * dropped) and toQuery() writes only what differs from the defaults, in a
 * fixed order.
 */
import { METRIC_BY_ID, METRICS, type MetricId } from "@edgebench/contract";
import { DEFAULT_GROUP, FILTER_KEYS, lenientRankParams, type RankFilters, type RankGroup } from "../workers/ranking/query.js";

export const VIEWS = ["throughput", "energy", "size", "pareto", "serving"] as const;
export type View = (typeof VIEWS)[number];

/**
 * The quality figures a ranking shows beside speed: the contract's quality
 * metrics where higher is better, task scores that compare across models.
 * Perplexity-like figures (lower is better) depend on the model's tokeniser
 * and compare quantisations of one model only: the model page shows them.
 */
export const QUALITY_COLUMNS: readonly MetricId[] = METRICS.filter((m) => m.axis === "quality" && m.better === "higher").map((m) => m.id);

/** Per view: the metric it ranks by first, then the other metric columns it shows. */
export const VIEW_COLUMNS: Record<View, readonly MetricId[]> = {
  // pp+tg and depth figures live on the result and compare pages; the ranking stays readable.
  throughput: ["tg_tps", "pp_tps", "ttft_ms", "sustained_tps", "sustained_ratio", ...QUALITY_COLUMNS],
  energy: ["tokens_per_j", "j_per_token", "avg_w", "tg_tps", ...QUALITY_COLUMNS],
  size: ["tps_per_cm2", "tps_per_litre", "tg_tps", ...QUALITY_COLUMNS],
  pareto: ["tg_tps", "tokens_per_j", "tps_per_cm2", ...QUALITY_COLUMNS],
  // Several users on one board: what they get together at the suite's highest level, what each sees, and at one stream for scale
  // (how well a model answers is the other views' column: serving does not change it).
  serving: ["serve_tps_c4", "serve_stream_tps_c4", "serve_ttft_p95_ms_c4", "goodput_rps_c4", "serve_tps_c1"],
};

/** What a Pareto front is over, and which two of its metrics the chart plots. */
export interface ParetoAxes {
  /** The front's metrics; the first drives the read (an energy metric first keeps it to one meter scope). */
  axes: readonly MetricId[];
  x: MetricId;
  y: MetricId;
}

/** Energy, throughput, size (footprint: known for more boards than a volume); the chart plots throughput against energy. */
export const DEFAULT_PARETO: ParetoAxes = { axes: ["tokens_per_j", "tg_tps", "tps_per_cm2"], x: "tokens_per_j", y: "tg_tps" };

/**
 * The fronts a reader can pick (`axes` in the URL): the default, and each
 * quality column against generation speed and against tokens per joule, so
 * a reader finds the fastest or most frugal configuration that still answers
 * correctly.
 */
export const PARETO_CHOICES: readonly ParetoAxes[] = [
  DEFAULT_PARETO,
  ...QUALITY_COLUMNS.flatMap((q): ParetoAxes[] => [
    { axes: [q, "tg_tps"], x: "tg_tps", y: q },
    { axes: ["tokens_per_j", q], x: "tokens_per_j", y: q },
  ]),
];

/** The `axes` value of a choice: its metric ids, comma-separated. */
export function axesParam(p: ParetoAxes): string {
  return p.axes.join(",");
}

export const VIEW_LABELS: Record<View, string> = {
  throughput: "Throughput",
  energy: "Energy",
  size: "Size",
  pareto: "Pareto",
  serving: "Serving",
};

/** Whether the view compares within one meter scope only: the energy view, and a Pareto view with an axis compared within one scope. */
export function isScoped(state: Pick<BoardState, "view" | "pareto">): boolean {
  if (state.view === "energy") return true;
  return state.view === "pareto" && state.pareto.axes.some((id) => METRIC_BY_ID[id].withinMeterScope);
}

export const PAGE_SIZE = 50;
/** Deepest page a link may ask for (the ranking counts up to 1,000 rows; deeper pages are the API cursor's job). */
export const MAX_PAGE = 100;

export interface BoardState {
  view: View;
  filters: RankFilters;
  sort: MetricId | null;
  order: "asc" | "desc" | null;
  group: RankGroup;
  page: number;
  /** The Pareto front's axes, for the Pareto view, the chart and the rows' front badge. */
  pareto: ParetoAxes;
}

export const DEFAULT_STATE: BoardState = {
  view: "throughput",
  filters: {},
  sort: null,
  order: null,
  group: DEFAULT_GROUP,
  page: 1,
  pareto: DEFAULT_PARETO,
};

export function parseState(q: URLSearchParams): BoardState {
  const { sort, order, group, ...filters } = lenientRankParams(q);
  const view = (VIEWS as readonly string[]).includes(q.get("view") ?? "") ? (q.get("view") as View) : "throughput";
  const page = Number.parseInt(q.get("page") ?? "1", 10);
  const pareto = PARETO_CHOICES.find((p) => axesParam(p) === q.get("axes")) ?? DEFAULT_PARETO;
  return { view, filters, sort, order, group, page: Number.isFinite(page) && page > 1 ? Math.min(page, MAX_PAGE) : 1, pareto };
}

/** The query string (with "?", or "" for the defaults) for a state. */
export function toQuery(state: BoardState): string {
  const q = new URLSearchParams();
  if (state.view !== "throughput") q.set("view", state.view);
  if (state.pareto !== DEFAULT_PARETO) q.set("axes", axesParam(state.pareto));
  for (const k of FILTER_KEYS) {
    const v = state.filters[k];
    if (v !== undefined && v !== "") q.set(k, String(v));
  }
  if (state.sort) q.set("sort", state.sort);
  if (state.order) q.set("order", state.order);
  if (state.group !== DEFAULT_GROUP) q.set("group", state.group);
  if (state.page > 1) q.set("page", String(state.page));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** A link to the leaderboard with some of the state changed (page resets unless given). */
export function hrefWith(state: BoardState, change: Partial<BoardState>): string {
  return `/${toQuery({ ...state, page: 1, ...change })}`;
}

/** The sort in force: the URL's, else the view's first metric; the direction the URL's, else the metric's better one first. */
export function effectiveSort(state: BoardState): { key: MetricId; dir: "asc" | "desc" } {
  const key = state.sort ?? VIEW_COLUMNS[state.view][0]!;
  return { key, dir: state.order ?? defaultDir(key) };
}

/** Metrics sort best-first by their `better`. */
export function defaultDir(key: MetricId): "asc" | "desc" {
  return METRIC_BY_ID[key].better === "higher" ? "desc" : "asc";
}

/** The metric columns a view shows: its own (the Pareto view: and its front's axes), plus the sort metric when it is another. */
export function shownColumns(state: BoardState): readonly MetricId[] {
  const own = VIEW_COLUMNS[state.view];
  const cols = state.view === "pareto" ? [...own, ...state.pareto.axes.filter((id) => !own.includes(id))] : own;
  const { key } = effectiveSort(state);
  return cols.includes(key) ? cols : [...cols, key];
}
