/**
 * The leaderboard: one model at a time (the default model when the URL names
 * none; `model=all`: a small ranking per model), one row per setup by
 * default, a view switch (throughput, energy, size, Pareto, serving), filters
 * and constraints in a GET form and sortable columns, all in the URL. Tables
 * work without JavaScript; the chart script only enhances.
 */
import {
  METRIC_BY_ID,
  METRICS,
  type MetricId,
  SERVING_GEN_TOKENS,
  SERVING_LEVELS,
  SERVING_PROMPT_TOKENS,
  SERVING_RANKED_C,
  SERVING_SLO,
} from "@edgebench/contract";
import { CONSTRAINT_TEXT, NUMERIC_CONSTRAINTS } from "../../workers/ranking/constraints.js";
import type { FilterOptions } from "../../workers/ranking/options.js";
import { PARAM_CLASSES, type RankGroup } from "../../workers/ranking/query.js";
import { ALL_MODELS, PER_MODEL, type SiteView } from "../../workers/ranking/site-view.js";
import { CHART_SIZE, Chart, type ChartPoint, frontText, pointLines } from "../components/chart.js";
import { configHref, configSubline, MetricCell, StandardFileBadge, ThrottleBadge, UnconfirmedBadge } from "../components/config-cells.js";
import { EmptyState } from "../components/empty.js";
import { Layout } from "../components/layout.js";
import { phoneColumns, priority } from "../components/priority-columns.js";
import { labelInText, listText, metricText, plural, spreadWords } from "../format.js";
import {
  axesParam,
  type BoardState,
  DEFAULT_PARETO,
  defaultDir,
  hrefWith,
  isScoped,
  MAX_PAGE,
  PAGE_SIZE,
  PARETO_CHOICES,
  type ParetoAxes,
  shownColumns,
  VIEW_LABELS,
  VIEWS,
  type View,
} from "../state.js";
import type { ConfigRow } from "../types.js";

const VIEW_LEDE: Record<View, (state: BoardState) => string> = {
  throughput: () => `Ranked by ${METRIC_BY_ID.tg_tps.label.toLowerCase()}; prompt processing, time to first token and task accuracy alongside.`,
  energy: () =>
    `Ranked by ${METRIC_BY_ID.tokens_per_j.label.toLowerCase()} (tokens/s per watt: generation tokens/s divided by the average power), only among results measured with the same meter scope.`,
  size: () =>
    `Ranked by ${METRIC_BY_ID.tps_per_cm2.label.toLowerCase()} of the board's footprint; per litre of its envelope alongside, where a height is known.`,
  pareto: (state) =>
    `Configurations that no other configuration beats on ${frontText(state.pareto)} at once${isScoped(state) ? " (within one meter scope)" : ""}. Pick another front below.`,
  serving: () => `Ranked by ${METRIC_BY_ID[`serve_tps_c${SERVING_RANKED_C}`].label.toLowerCase()}: several users served by one board at once.`,
};

/** "HellaSwag accuracy against generation tokens/s": a front's name in the picker. */
function choiceText(p: ParetoAxes): string {
  return p === DEFAULT_PARETO ? `${frontText(p)} (default)` : `${METRIC_BY_ID[p.y].label} against ${labelInText(p.x)}`;
}

/** "1 s" or "200 ms": the objective as a reader would say it. */
function msText(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms.toLocaleString("en-US")} ms`;
}

/** What the serving figures are, from the contract's constants, so the words cannot drift from what is ranked. */
export const SERVING_NOTE =
  `${SERVING_LEVELS.join(", ")} streams at once (ranked at ${SERVING_RANKED_C}), each a ${SERVING_PROMPT_TOKENS}-token prompt and ${SERVING_GEN_TOKENS} generated tokens. ` +
  `Tokens/s counts every stream's generated tokens over the wall time; goodput counts the requests per second whose first token came within ${msText(SERVING_SLO.ttftMs)} and whose p95 inter-token time stayed within ${msText(SERVING_SLO.itlP95Ms)}.`;

export interface LeaderboardProps {
  state: BoardState;
  view: SiteView;
  sort: { key: MetricId; dir: "asc" | "desc" };
}

/** How each `group` value reads in the form. */
const GROUP_LABELS: Record<RankGroup, string> = {
  setup: "One per setup (best threads and GPU layers)",
  board: "Best per board",
  configuration: "Every configuration",
};

export function LeaderboardPage(page: LeaderboardProps) {
  const { view } = page;
  // Links and the form name the model ranked (the default one included), so the query string is the API's.
  const state: BoardState = { ...page.state, filters: view.filters };
  const props = { ...page, state };
  const scoped = isScoped(state);
  return (
    <Layout title="Leaderboard" section="leaderboard" script description="Small LLMs on edge boards ranked by throughput, energy and size.">
      <h1>On-device LLM leaderboard</h1>
      <p class="lede">
        Ranked within one model at a time. One row per setup (board, accelerator and backend, runtime, model variant, meter scope) at its best
        measured threads and GPU layers, the rest of the sweep folded under it; figures are aggregated over every signed submission behind them.
      </p>
      {view.empty ? (
        <EmptyState title="No results yet">
          {state.filters.test ? (
            <p>Nobody has submitted a result to this registry yet. Be the first.</p>
          ) : (
            <p>
              No result ranks here yet. Results on models the uploader generated and on boards no one identified are test data, stored but left out of
              the rankings: <a href="/?test=1">include test data</a>.
            </p>
          )}
        </EmptyState>
      ) : (
        <>
          <nav aria-label="Ranking view">
            <ul class="views">
              {VIEWS.map((v) => (
                <li>
                  <a href={hrefWith(state, { view: v, sort: null, order: null })} aria-current={v === state.view ? "page" : undefined}>
                    {VIEW_LABELS[v]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <p class="lede">{VIEW_LEDE[state.view](state)}</p>
          <Filters state={state} options={view.options} energyScope={view.energyScope} sort={props.sort} />
          <ModelNote view={view} />
          <ConstraintNote state={state} />
          {scoped || state.filters.scope ? <ScopeNote state={state} view={view} /> : null}
          {view.perModel ? null : <ChartSection state={state} view={view} />}
          {state.view === "serving" ? (
            <p class="scope-note" id="serving-note">
              {SERVING_NOTE}
            </p>
          ) : null}
          {view.perModel ? <PerModel {...props} rankings={view.perModel} /> : <RankTable {...props} />}
        </>
      )}
    </Layout>
  );
}

function Filters(props: { state: BoardState; options: FilterOptions; energyScope: string | null; sort: { key: MetricId; dir: "asc" | "desc" } }) {
  const { state, options } = props;
  const scoped = isScoped(state);
  const sel = (name: string, label: string, current: string | null | undefined, items: { id: string; label: string }[], anyLabel: string | null) => (
    <label>
      {label}
      <select name={name}>
        {anyLabel !== null ? <option value="">{anyLabel}</option> : null}
        {items.map((i) => (
          <option value={i.id} selected={i.id === current}>
            {i.label}
          </option>
        ))}
      </select>
    </label>
  );
  const plain = (xs: readonly string[]) => xs.map((x) => ({ id: x, label: x }));
  const f = state.filters;
  return (
    <form class="filters" method="get" action="/" data-autosubmit aria-label="Filters">
      <input type="hidden" name="view" value={state.view} />
      {state.order ? <input type="hidden" name="order" value={state.order} /> : null}
      {/* The front's axes also drive the chart and the rows' front badge: other views keep them as they were. */}
      {state.view === "pareto" ? (
        sel(
          "axes",
          "Pareto front over",
          axesParam(state.pareto),
          PARETO_CHOICES.map((p) => ({ id: axesParam(p), label: choiceText(p) })),
          null,
        )
      ) : state.pareto !== DEFAULT_PARETO ? (
        <input type="hidden" name="axes" value={axesParam(state.pareto)} />
      ) : null}
      {/* The model first: every ranking is within one ("all": one small ranking per model). */}
      {sel("model", "Model", f.model, [...options.models, { id: ALL_MODELS, label: `All models (top ${PER_MODEL.rows} of each)` }], null)}
      {sel("quantisation", "Quantisation", f.quantisation, plain(options.quantisations), "All")}
      {sel("board", "Board", f.board, options.boards, "All boards")}
      {sel(
        "accelerator",
        "Accelerator",
        f.accelerator,
        options.accelerators.map((a) => ({ id: a, label: a.toUpperCase() })),
        "All",
      )}
      {sel("backend", "Backend", f.backend, plain(options.backends), "All")}
      {sel("cooling", "Cooling (declared)", f.cooling, plain(options.cooling), "Any")}
      <label class="check" title="Only model files the registry pins by SHA-256 (GET /api/v1/standard-files): every row ran identical weights">
        <input type="checkbox" name="standard" value="1" checked={f.standard === "1"} /> Standard files only
      </label>
      <label
        class="check"
        title="Results on models the uploader generated and on boards no one identified: stored, left out of the rankings by default"
      >
        <input type="checkbox" name="test" value="1" checked={f.test === "1"} /> Include test data (generated models, unidentified boards)
      </label>
      {sel(
        "scope",
        scoped ? "Meter scope (energy compared within)" : "Meter scope",
        scoped ? (f.scope ?? props.energyScope) : f.scope,
        plain(options.scopes),
        scoped ? null : "Any",
      )}
      {sel(
        "group",
        "Rows",
        state.group,
        Object.entries(GROUP_LABELS).map(([id, label]) => ({ id, label })),
        null,
      )}
      <fieldset class="constraints">
        <legend>Constraints (not measured counts as not meeting one)</legend>
        {NUMERIC_CONSTRAINTS.map((k) => (
          <label>
            {CONSTRAINT_TEXT[k]}
            <input type="number" name={k} min="0" step="any" inputmode="decimal" value={f[k] === undefined ? "" : String(f[k])} />
          </label>
        ))}
        {sel(
          "params",
          "Model size",
          f.params,
          Object.entries(PARAM_CLASSES).map(([id, c]) => ({ id, label: c.text })),
          "Any",
        )}
      </fieldset>
      {/* Every metric of the contract's list can order the table (its column is added when the view does not show it). */}
      {sel(
        "sort",
        "Sort by",
        props.sort.key,
        METRICS.map((m) => ({ id: m.id, label: m.label })),
        null,
      )}
      <button type="submit">Apply</button>
      <a href={hrefWith({ ...state, filters: { model: f.model, quantisation: f.quantisation } }, {})}>Clear filters</a>
    </form>
  );
}

function ModelNote(props: { view: SiteView }) {
  const { defaultModel, perModel } = props.view;
  if (perModel) {
    return (
      <p class="scope-note" id="model-note">
        All models: the top {PER_MODEL.rows} of each of the {PER_MODEL.models} most-submitted models, each ranked within its own model (a small model
        would otherwise win every ranking). Pick one model for its full ranking, chart and Pareto front.
      </p>
    );
  }
  if (!defaultModel) return null;
  return (
    <p class="scope-note" id="model-note">
      Showing{" "}
      <strong>
        {defaultModel.name} {defaultModel.quantisation}
      </strong>
      , the most-submitted {defaultModel.standard ? "standard model" : "model"}; choose another in the Model menu.
    </p>
  );
}

/** "Average power at most 10 W; model size 1 to 3 B": the constraints in force, in words. */
function ConstraintNote(props: { state: BoardState }) {
  const f = props.state.filters;
  const parts = NUMERIC_CONSTRAINTS.flatMap((k) => (f[k] === undefined ? [] : [`${CONSTRAINT_TEXT[k]}: ${f[k]}`]));
  if (f.params) parts.push(`model size: ${PARAM_CLASSES[f.params].text}`);
  if (parts.length === 0) return null;
  return (
    <p class="scope-note" id="constraint-note">
      Constraints: {parts.join("; ")}. A configuration without the constrained figure measured is left out (not measured counts as not meeting it);
      the ranking, the chart and the Pareto front are of what is left.
    </p>
  );
}

function ScopeNote(props: { state: BoardState; view: SiteView }) {
  const { state, view } = props;
  if (!view.energyScope) {
    return (
      <p class="scope-note">
        No result here has a measured energy figure yet, so there is nothing to rank on energy. Results without a power meter show "not measured".
      </p>
    );
  }
  return (
    <p class="scope-note" id="scope-note">
      Meter scope: <strong data-scope={view.energyScope}>{view.energyScope}</strong>. Energy figures are compared only within one scope (a wall meter
      also counts the power supply and peripherals; a rail meter sees only the chip).{" "}
      {view.frontScope === view.energyScope
        ? `${plural(view.paretoCandidates, "configuration")} in this scope ${view.paretoCandidates === 1 ? "has" : "have"} ${frontText(state.pareto)} all measured.`
        : ""}
    </p>
  );
}

function ChartSection(props: { state: BoardState; view: SiteView }) {
  const { view } = props;
  const axes = props.state.pareto;
  // The view keeps every front member, then the best on the y axis, up to the cap.
  const points: ChartPoint[] = view.chart.map((r) => ({
    id: r.id,
    lines: pointLines(`${r.boardName} · ${r.modelName} ${r.quantisation}`, configSubline(r), r.metrics, axes),
    x: r.metrics[axes.x]!,
    y: r.metrics[axes.y]!,
    size: r.metrics[CHART_SIZE] ?? null,
    onFront: view.pareto.has(r.id),
    href: configHref(r),
  }));
  const scope = view.frontScope ? ` in meter scope ${view.frontScope}` : " across every meter scope";
  return (
    <section aria-labelledby="chart-title">
      <h2 id="chart-title">
        {METRIC_BY_ID[axes.y].label} against {labelInText(axes.x)}
        {view.frontScope ? ` (meter scope: ${view.frontScope})` : ""}
      </h2>
      <Chart
        points={points}
        axes={axes}
        omitted={view.chartCandidates - points.length}
        caption={`${plural(points.length, "configuration")} with ${listText([labelInText(axes.y), labelInText(axes.x)])} measured${scope}.`}
      />
    </section>
  );
}

function SortHeader(props: { state: BoardState; sort: LeaderboardProps["sort"]; metric: MetricId; priority?: "low" }) {
  const { state, sort, metric } = props;
  const def = METRIC_BY_ID[metric];
  const active = sort.key === metric;
  const nextDir = active ? (sort.dir === "asc" ? "desc" : "asc") : defaultDir(metric);
  const aria = active ? (sort.dir === "asc" ? "ascending" : "descending") : undefined;
  return (
    <th scope="col" class="n" data-priority={props.priority} aria-sort={aria} title={def.description}>
      <a href={hrefWith(state, { sort: metric, order: nextDir })} data-sort={metric}>
        {def.label}
        {active ? (sort.dir === "asc" ? " ▲" : " ▼") : ""}
      </a>
      {def.unit ? <span class="unit">{def.unit}</span> : null}
    </th>
  );
}

function RankTable(props: LeaderboardProps) {
  const { state, view, sort } = props;
  const cols = shownColumns(state);
  const keep = phoneColumns(cols, sort.key);
  if (view.total === 0) {
    return (
      <EmptyState title="No configuration matches">
        <p>
          Nothing here matches these filters{isScoped(state) ? " in this meter scope" : ""}. <a href="/">Show everything</a>, or add the missing
          result yourself.
        </p>
      </EmptyState>
    );
  }
  const offset = (state.page - 1) * PAGE_SIZE;
  const first = (offset + 1).toLocaleString("en-US");
  const last = (offset + view.rows.length).toLocaleString("en-US");
  const unit = { setup: "setup", board: "board", configuration: "configuration" }[state.group];
  const count = view.totalCapped ? `more than ${plural(view.total, unit)}` : plural(view.total, unit);
  return (
    <section aria-labelledby="table-title">
      <h2 id="table-title">
        {VIEW_LABELS[state.view]} ranking <span class="muted">({count})</span>
      </h2>
      <form method="get" action="/compare">
        <div class="tablewrap">
          <table id="ranking" data-view={state.view}>
            <caption class="muted" style="text-align:left;padding:.4rem .6rem">
              Rows {first} to {last}. Figures are medians over submissions; ± is the median standard deviation over repetitions
              {standardErrorNote(cols)}. Configurations without a measured {METRIC_BY_ID[sort.key].label.toLowerCase()} are not ranked here.
              <span class="sm-only">{`On a narrow screen: ${listText([...keep].map(labelInText))} only; each configuration's page has every figure.`}</span>
            </caption>
            <thead>
              <tr>
                <th scope="col" class="n rank">
                  #
                </th>
                <th scope="col">
                  <span class="hide-sm">Compare</span>
                </th>
                <th scope="col">Configuration</th>
                <th scope="col" class="hide-sm">
                  Model
                </th>
                {cols.map((id) => (
                  <SortHeader state={state} sort={sort} metric={id} priority={priority(keep, id)} />
                ))}
                <th scope="col" class="n hide-sm">
                  Submissions
                </th>
                <th scope="col" class="n hide-sm">
                  Contributors
                </th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((row, i) => (
                <Row
                  row={row}
                  sort={sort.key}
                  rank={offset + i + 1}
                  cols={cols}
                  onFront={view.pareto.has(row.id)}
                  front={frontText(state.pareto)}
                  scoped={view.frontScope !== null}
                />
              ))}
            </tbody>
          </table>
        </div>
        <p>
          <button type="submit">Compare selected (2 to 4)</button>
        </p>
      </form>
      <Pager state={state} view={view} />
    </section>
  );
}
/** "; for HellaSwag accuracy, the standard error over 400 tasks": where a column's ± is not a spread over repetitions. */
function standardErrorNote(cols: readonly MetricId[]): string {
  const se = cols.filter((id) => METRIC_BY_ID[id].spread === "standard error");
  return se.length ? `; for ${listText(se.map((id) => METRIC_BY_ID[id].label))}, the ${spreadWords(se[0]!)}` : "";
}

/** A grouped row's fold: the setup's other settings with their figure, or how many configurations a board's best was chosen from. */
function GroupDetail(props: { row: ConfigRow; sort: MetricId }) {
  const g = props.row.group;
  if (!g || g.configurations < 2) return null;
  if (!g.settings) return <span class="sub">best of {plural(g.configurations, "configuration")} on this board</span>;
  return (
    <details class="sweep">
      <summary>{plural(g.configurations, "setting")} measured; the best is shown</summary>
      <ul>
        {g.settings.map((s) => (
          <li data-setting={s.configurationId}>
            {plural(s.threads, "thread")}, {plural(s.gpuLayers, "GPU layer")}: {metricText(props.sort, s.value)}
            {s.configurationId === props.row.id ? " (shown)" : ""}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** `model=all`: one small ranked table per model, most-submitted model first. */
function PerModel(props: LeaderboardProps & { rankings: NonNullable<SiteView["perModel"]> }) {
  const { state, sort, rankings } = props;
  const cols = shownColumns(state);
  if (rankings.length === 0) {
    return (
      <EmptyState title="No configuration matches">
        <p>Nothing here matches these filters.</p>
      </EmptyState>
    );
  }
  return (
    <section aria-labelledby="per-model-title">
      <h2 id="per-model-title">{VIEW_LABELS[state.view]} ranking within each model</h2>
      {rankings.map((m) => {
        const first = m.rows[0]!;
        return (
          <div class="tablewrap">
            <table class="per-model" data-model={m.modelId}>
              <caption style="text-align:left;padding:.4rem .6rem">
                <a href={hrefWith(state, { filters: { ...state.filters, model: first.modelSlug, quantisation: first.quantisation } })}>
                  {first.modelName} {first.quantisation}
                </a>{" "}
                <span class="muted">(the full ranking)</span>
              </caption>
              <thead>
                <tr>
                  <th scope="col" class="n rank">
                    #
                  </th>
                  <th scope="col">Configuration</th>
                  {cols.map((id) => (
                    <th scope="col" class="n" title={METRIC_BY_ID[id].description}>
                      {METRIC_BY_ID[id].label}
                      {METRIC_BY_ID[id].unit ? <span class="unit">{METRIC_BY_ID[id].unit}</span> : null}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {m.rows.map((row, i) => (
                  <tr data-model-cfg={row.id}>
                    <td class="n">{i + 1}</td>
                    <td class="cfg">
                      <a href={configHref(row)}>{row.boardName}</a>
                      <span class="sub">{configSubline(row)}</span>
                      <GroupDetail row={row} sort={sort.key} />
                    </td>
                    {cols.map((id) => (
                      <MetricCell id={id} row={row} />
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </section>
  );
}

function Row(props: { row: ConfigRow; sort: MetricId; rank: number; cols: readonly MetricId[]; onFront: boolean; front: string; scoped: boolean }) {
  const { row } = props;
  const keep = phoneColumns(props.cols, props.sort);
  return (
    <tr data-cfg={row.id} data-contributors={row.contributors}>
      <td class="n">{props.rank}</td>
      <td>
        <input type="checkbox" name="ids" value={row.id} aria-label={`Compare ${row.boardName} ${row.modelName} ${row.quantisation}`} />
      </td>
      <td class="cfg">
        <a href={configHref(row)}>{row.boardName}</a>
        {props.onFront ? (
          <span
            class="badge pareto"
            title={`On the Pareto front: no configuration${props.scoped ? " in this meter scope" : ""} beats it on ${props.front} at once`}
          >
            Pareto
          </span>
        ) : null}
        <UnconfirmedBadge contributors={row.contributors} />
        <ThrottleBadge metrics={row.metrics} />
        <StandardFileBadge standardFile={row.standardFile} />
        {/* At phone width the model column goes: its name rides in this cell. */}
        <span class="sub sm-only">{`${row.modelName} ${row.quantisation}`}</span>
        <span class="sub">{configSubline(row)}</span>
        {row.meterScope ? (
          <span class="sub hide-sm">meter: {row.meterScope}</span>
        ) : (
          <span class="sub hide-sm">meter: none (energy not measured)</span>
        )}
        <span class="sub hide-sm">{row.cooling ? `cooling: ${row.cooling} (declared)` : "cooling: not stated"}</span>
        <GroupDetail row={row} sort={props.sort} />
      </td>
      <td class="model hide-sm">
        <a href={`/models/${encodeURIComponent(row.modelSlug)}`}>{row.modelName}</a>
        <span class="sub muted" style="display:block">
          {row.quantisation}
        </span>
      </td>
      {props.cols.map((id) => (
        <MetricCell id={id} row={row} priority={priority(keep, id)} />
      ))}
      <td class="n hide-sm">{row.submissions}</td>
      <td class="n hide-sm">{row.contributors}</td>
    </tr>
  );
}

function Pager(props: { state: BoardState; view: SiteView }) {
  const { state, view } = props;
  const known = view.totalCapped ? null : Math.max(1, Math.ceil(view.total / PAGE_SIZE));
  const page = known ? Math.min(state.page, known) : state.page;
  const hasNext = known ? page < known : view.rows.length === PAGE_SIZE && page < MAX_PAGE;
  if (page === 1 && !hasNext) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? <a href={hrefWith(state, { page: page - 1 })}>← Previous</a> : <span class="muted">← Previous</span>}
      <span>{known ? `Page ${page} of ${known}` : `Page ${page}`}</span>
      {hasNext ? <a href={hrefWith(state, { page: page + 1 })}>Next →</a> : <span class="muted">Next →</span>}
    </nav>
  );
}
