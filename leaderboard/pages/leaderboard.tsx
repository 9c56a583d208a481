/**
 * The leaderboard: one row per configuration, a view switch (throughput,
 * energy, size, Pareto), filters in a GET form and sortable columns, all in
 * the URL. Tables work without JavaScript; the chart script only enhances.
 */
import { METRIC_BY_ID, type MetricId } from "@edgebench/contract";
import { Chart, pointLines, type ChartPoint, CHART_SIZE, CHART_X, CHART_Y } from "../components/chart.js";
import { configHref, configSubline, MetricCell, UnconfirmedBadge } from "../components/config-cells.js";
import { EmptyState } from "../components/empty.js";
import { Layout } from "../components/layout.js";
import { plural } from "../format.js";
import type { FilterOptions, RankedView } from "../ranking.js";
import {
  defaultDir,
  hrefWith,
  SCOPED_VIEWS,
  VIEW_COLUMNS,
  VIEW_LABELS,
  VIEWS,
  type BoardState,
  type SortKey,
  type View,
} from "../state.js";
import type { ConfigRow } from "../types.js";

const VIEW_LEDE: Record<View, string> = {
  throughput: `Ranked by ${METRIC_BY_ID.tg_tps.label.toLowerCase()}; prompt processing and time to first token alongside.`,
  energy: `Ranked by ${METRIC_BY_ID.tokens_per_j.label.toLowerCase()}, only among results measured with the same meter scope.`,
  size: `Ranked by ${METRIC_BY_ID.tps_per_litre.label.toLowerCase()} of the board's physical envelope.`,
  pareto: "Configurations that no other configuration beats on throughput, energy and size at once (within one meter scope).",
};

export function LeaderboardPage(props: { state: BoardState; ranked: RankedView }) {
  const { state, ranked } = props;
  const options = ranked.options;
  const scoped = SCOPED_VIEWS.has(state.view);
  return (
    <Layout title="Leaderboard" section="leaderboard" script description="Small LLMs on edge boards ranked by throughput, energy and size.">
      <h1>On-device LLM leaderboard</h1>
      <p class="lede">
        One row per configuration (board, accelerator and backend, runtime, model variant, threads and GPU layers), aggregated over every signed
        submission behind it.
      </p>
      {ranked.empty ? (
        <EmptyState title="No results yet">
          <p>Nobody has submitted a result to this registry yet. Be the first.</p>
        </EmptyState>
      ) : (
        <>
          <nav aria-label="Ranking view">
            <ul class="views">
              {VIEWS.map((v) => (
                <li>
                  <a
                    href={hrefWith(state, { view: v, sort: null, dir: null, scope: SCOPED_VIEWS.has(v) ? ranked.energyScope : state.scope })}
                    aria-current={v === state.view ? "page" : undefined}
                  >
                    {VIEW_LABELS[v]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <p class="lede">{VIEW_LEDE[state.view]}</p>
          <Filters state={state} options={options} energyScope={ranked.energyScope} />
          {scoped || state.scope ? <ScopeNote ranked={ranked} /> : null}
          <ChartSection ranked={ranked} />
          <RankTable state={state} ranked={ranked} />
        </>
      )}
    </Layout>
  );
}

function Filters(props: { state: BoardState; options: FilterOptions; energyScope: string | null }) {
  const { state, options } = props;
  const scoped = SCOPED_VIEWS.has(state.view);
  const sel = (name: string, label: string, current: string | null, items: { id: string; label: string }[], anyLabel: string | null) => (
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
  const plain = (xs: string[]) => xs.map((x) => ({ id: x, label: x }));
  return (
    <form class="filters" method="get" action="/" data-autosubmit aria-label="Filters">
      <input type="hidden" name="view" value={state.view} />
      {state.sort ? <input type="hidden" name="sort" value={state.sort} /> : null}
      {state.dir ? <input type="hidden" name="dir" value={state.dir} /> : null}
      {sel("model", "Model", state.model, options.models, "All models")}
      {sel("quant", "Quantisation", state.quant, plain(options.quantisations), "All")}
      {sel("board", "Board", state.board, options.boards, "All boards")}
      {sel("accel", "Accelerator", state.accel, options.accelerators.map((a) => ({ id: a, label: a.toUpperCase() })), "All")}
      {sel("backend", "Backend", state.backend, plain(options.backends), "All")}
      {sel(
        "scope",
        scoped ? "Meter scope (energy compared within)" : "Meter scope",
        scoped ? props.energyScope : state.scope,
        options.scopes.map((s) => ({ id: s.scope, label: `${s.scope} (${s.count})` })),
        scoped ? null : "Any",
      )}
      <button type="submit">Apply</button>
      <a href={hrefWith({ ...state, model: null, quant: null, board: null, accel: null, backend: null, scope: null }, {})}>Clear filters</a>
    </form>
  );
}

function ScopeNote(props: { ranked: RankedView }) {
  const { ranked } = props;
  if (!ranked.energyScope) {
    return (
      <p class="scope-note">
        No result here has a measured energy figure yet, so there is nothing to rank on energy. Results without a power meter show "not measured".
      </p>
    );
  }
  return (
    <p class="scope-note" id="scope-note">
      Meter scope: <strong data-scope={ranked.energyScope}>{ranked.energyScope}</strong>. Energy figures are compared only within one scope (a wall meter
      also counts the power supply and peripherals; a rail meter sees only the chip). {plural(ranked.paretoCandidates, "configuration")} in this scope{" "}
      {ranked.paretoCandidates === 1 ? "has" : "have"} throughput, energy and size all measured.
    </p>
  );
}

function ChartSection(props: { ranked: RankedView }) {
  const { ranked } = props;
  // The query keeps every front member, then the fastest, up to the cap.
  const points: ChartPoint[] = ranked.chart.map((r) => ({
    id: r.id,
    lines: pointLines(`${r.boardName} · ${r.modelName} ${r.quantisation}`, configSubline(r), r.metrics),
    x: r.metrics[CHART_X]!,
    y: r.metrics[CHART_Y]!,
    size: r.metrics[CHART_SIZE] ?? null,
    onFront: ranked.pareto.has(r.id),
    href: configHref(r),
  }));
  return (
    <section aria-labelledby="chart-title">
      <h2 id="chart-title">Throughput against energy{ranked.energyScope ? ` (meter scope: ${ranked.energyScope})` : ""}</h2>
      <Chart
        points={points}
        omitted={ranked.chartCandidates - points.length}
        caption={`${plural(points.length, "configuration")} with measured energy in scope ${ranked.energyScope ?? "none"}.`}
      />
    </section>
  );
}

function SortHeader(props: { state: BoardState; ranked: RankedView; sortKey: SortKey; label: string; unit?: string; title?: string; numeric?: boolean }) {
  const { state, ranked, sortKey } = props;
  const active = ranked.sort.key === sortKey;
  const nextDir = active ? (ranked.sort.dir === "asc" ? "desc" : "asc") : defaultDir(sortKey);
  const aria = active ? (ranked.sort.dir === "asc" ? "ascending" : "descending") : undefined;
  return (
    <th scope="col" class={props.numeric ? "n" : undefined} aria-sort={aria} title={props.title}>
      <a href={hrefWith(state, { sort: sortKey, dir: nextDir })} data-sort={sortKey}>
        {props.label}
        {active ? (ranked.sort.dir === "asc" ? " ▲" : " ▼") : ""}
      </a>
      {props.unit ? <span class="unit">{props.unit}</span> : null}
    </th>
  );
}

function RankTable(props: { state: BoardState; ranked: RankedView }) {
  const { state, ranked } = props;
  const cols: readonly MetricId[] = VIEW_COLUMNS[state.view];
  if (ranked.total === 0) {
    return (
      <EmptyState title="No configuration matches">
        <p>
          Nothing here matches these filters{SCOPED_VIEWS.has(state.view) ? " in this meter scope" : ""}. <a href="/">Show everything</a>, or add
          the missing result yourself.
        </p>
      </EmptyState>
    );
  }
  const first = (ranked.page[0]?.rank ?? 1).toLocaleString("en-US");
  const last = (ranked.page.at(-1)?.rank ?? 0).toLocaleString("en-US");
  return (
    <section aria-labelledby="table-title">
      <h2 id="table-title">
        {VIEW_LABELS[state.view]} ranking <span class="muted">({plural(ranked.total, "configuration")})</span>
      </h2>
      <form method="get" action="/compare">
        <div class="tablewrap">
          <table id="ranking" data-view={state.view}>
            <caption class="muted" style="text-align:left;padding:.4rem .6rem">
              Rows {first} to {last}. Figures are medians over submissions; ± is the median standard deviation over repetitions.
              {ranked.unranked > 0
                ? ` ${plural(ranked.unranked, "configuration")} without a measured ${METRIC_BY_ID[cols[0]!].label.toLowerCase()} ${ranked.unranked === 1 ? "is" : "are"} not ranked here.`
                : ""}
            </caption>
            <thead>
              <tr>
                <th scope="col" class="n rank">
                  #
                </th>
                <th scope="col">
                  <span class="hide-sm">Compare</span>
                </th>
                <SortHeader state={state} ranked={ranked} sortKey="board" label="Configuration" />
                <SortHeader state={state} ranked={ranked} sortKey="model" label="Model" />
                {cols.map((id) => (
                  <SortHeader
                    state={state}
                    ranked={ranked}
                    sortKey={id}
                    numeric
                    label={METRIC_BY_ID[id].label}
                    unit={METRIC_BY_ID[id].unit}
                    title={METRIC_BY_ID[id].description}
                  />
                ))}
                <SortHeader state={state} ranked={ranked} sortKey="submissions" label="Submissions" numeric />
                <SortHeader state={state} ranked={ranked} sortKey="contributors" label="Contributors" numeric />
              </tr>
            </thead>
            <tbody>
              {ranked.page.map(({ row, rank }) => (
                <Row row={row} rank={rank} cols={cols} onFront={ranked.pareto.has(row.id)} />
              ))}
            </tbody>
          </table>
        </div>
        <p>
          <button type="submit">Compare selected (2 to 4)</button>
        </p>
      </form>
      {ranked.pages > 1 ? <Pager state={state} pages={ranked.pages} /> : null}
    </section>
  );
}

function Row(props: { row: ConfigRow; rank: number; cols: readonly MetricId[]; onFront: boolean }) {
  const { row } = props;
  return (
    <tr data-cfg={row.id} data-contributors={row.contributors}>
      <td class="n">{props.rank}</td>
      <td>
        <input type="checkbox" name="ids" value={row.id} aria-label={`Compare ${row.boardName} ${row.modelName} ${row.quantisation}`} />
      </td>
      <td class="cfg">
        <a href={configHref(row)}>{row.boardName}</a>
        {props.onFront ? (
          <span class="badge pareto" title="On the Pareto front: no configuration in this meter scope beats it on throughput, energy and size at once">
            Pareto
          </span>
        ) : null}
        <UnconfirmedBadge contributors={row.contributors} />
        <span class="sub">{configSubline(row)}</span>
        {row.meterScope ? <span class="sub">meter: {row.meterScope}</span> : <span class="sub">meter: none (energy not measured)</span>}
      </td>
      <td class="model">
        <a href={`/models/${encodeURIComponent(row.modelSlug)}`}>{row.modelName}</a>
        <span class="sub muted" style="display:block">
          {row.quantisation}
        </span>
      </td>
      {props.cols.map((id) => (
        <MetricCell id={id} row={row} />
      ))}
      <td class="n">{row.submissions}</td>
      <td class="n">{row.contributors}</td>
    </tr>
  );
}

function Pager(props: { state: BoardState; pages: number }) {
  const { state, pages } = props;
  const page = Math.min(state.page, pages);
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? <a href={hrefWith(state, { page: page - 1 })}>← Previous</a> : <span class="muted">← Previous</span>}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? <a href={hrefWith(state, { page: page + 1 })}>Next →</a> : <span class="muted">Next →</span>}
    </nav>
  );
}
