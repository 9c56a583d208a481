/**
 * How figures change with the number of streams served at once: panels that
 * share one x axis of concurrency levels (1, 2, 4: a point scale, each level
 * evenly spaced and labelled, since a level is a setting and not a quantity
 * between which a value could be read off). Server-rendered SVG readable
 * without JavaScript, like the run chart: each panel names its quantity and
 * unit, the figure has an accessible name, every point has a title, and a
 * <details> table holds the plotted numbers with the reason a level has none.
 * Scales and ticks come from d3-scale, line paths from d3-shape.
 */
import { scaleLinear, scalePoint } from "d3-scale";
import { line } from "d3-shape";
import { NOT_MEASURED, num } from "../format.js";
import { ChartTable, PanelGrid } from "./chart-parts.js";
import { WIDE } from "./run-chart.js";

export interface ScalingSeries {
  /** Names the line in its title and the data table's column, e.g. "time to first token p95". */
  label: string;
  /** The legend entry it is coloured by: the quantity itself, or on the compare page the configuration. */
  key: string;
  /** The value at each of the chart's levels; null where there is none (drawn as a gap). */
  values: readonly (number | null)[];
  /** What the table says at a level with no value, e.g. "skipped: needs 1024 tokens of context". */
  notes?: readonly (string | null)[];
}

export interface ScalingPanel {
  /** Stable hook for tests and styles: "throughput", "ttft", "itl". */
  key: string;
  title: string;
  unit: string;
  series: ScalingSeries[];
}

const M = { l: 66, r: 14, t: 24, b: 40 };
const PANEL_H = 100;
const GAP = 34;
/** Series colours cycle through the run chart's classes (leaderboard/public/assets/site.css .runchart .s0 ...). */
const COLOURS = 6;

const finite = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

function streams(c: number): string {
  return `${c} stream${c === 1 ? "" : "s"}`;
}

/** "Generation rate from 18.0 to 40.0 tokens/s": what a screen reader hears for one panel. */
function panelSummary(p: ScalingPanel): string {
  const vs = p.series.flatMap((s) => s.values.filter(finite));
  return vs.length ? `${p.title} from ${num(Math.min(...vs))} to ${num(Math.max(...vs))} ${p.unit}` : `${p.title}: nothing measured`;
}

export function ScalingChart(props: {
  /** The figure's accessible name, e.g. "serving scaling chart". */
  label: string;
  caption: string;
  /** The concurrency levels on the x axis, ascending. */
  levels: readonly number[];
  panels: ScalingPanel[];
  /** More sentences under the chart (levels that did not run, shapes that are not ranked). */
  remarks?: readonly string[];
  width?: number;
}) {
  const W = props.width ?? WIDE;
  const { levels } = props;
  const panels = props.panels.filter((p) => p.series.some((s) => s.values.some(finite)));
  if (levels.length === 0 || panels.length === 0) return null;
  const x = scalePoint<string>()
    .domain(levels.map(String))
    .range([M.l, W - M.r])
    .padding(0.4);
  const xAt = (k: number) => x(String(levels[k]))!;
  const H = M.t + panels.length * PANEL_H + (panels.length - 1) * GAP + M.b;
  const plotBottom = H - M.b;
  const keys = [...new Set(panels.flatMap((p) => p.series.map((s) => s.key)))];
  const colour = (key: string) => `s${keys.indexOf(key) % COLOURS}`;
  const aria = `${props.label}: ${panels.map(panelSummary).join("; ")}, at ${levels.join(", ")} concurrent streams`;
  return (
    <figure class="chartbox runbox" data-chart="scaling">
      <svg class="runchart scalingchart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={aria}>
        <title>{aria}</title>
        {panels.map((p, i) => {
          const top = M.t + i * (PANEL_H + GAP);
          const bottom = top + PANEL_H;
          const hi = Math.max(...p.series.flatMap((s) => s.values.filter(finite)));
          // From zero, so a level's gain or loss reads as the share it is.
          const y = scaleLinear()
            .domain([0, hi > 0 ? hi : 1])
            .range([bottom, top])
            .nice(4);
          return (
            <g class="panel" data-panel={p.key}>
              <text class="ptitle" x={M.l} y={top - 8}>{`${p.title} (${p.unit})`}</text>
              <PanelGrid y={y} ticks={4} left={M.l} right={W - M.r} />
              {levels.map((_, k) => (
                <line class="grid" x1={xAt(k).toFixed(1)} x2={xAt(k).toFixed(1)} y1={top} y2={bottom} />
              ))}
              <line class="axis" x1={M.l} x2={W - M.r} y1={bottom} y2={bottom} />
              <line class="axis" x1={M.l} x2={M.l} y1={top} y2={bottom} />
              {p.series.map((s) => (
                <g class="series" data-series={s.label}>
                  {s.values.filter(finite).length > 1 ? (
                    <path
                      class={`line ${colour(s.key)}`}
                      d={
                        line<number | null>()
                          .digits(1)
                          .defined(finite)
                          .x((_, k) => xAt(k))
                          .y((v) => y(v!))([...s.values]) ?? ""
                      }
                      data-series={s.label}
                    >
                      <title>{`${s.label}: ${p.title.toLowerCase()} (${p.unit})`}</title>
                    </path>
                  ) : null}
                  {s.values.map((v, k) =>
                    finite(v) ? (
                      <circle
                        class={`dot ${colour(s.key)}`}
                        cx={xAt(k).toFixed(1)}
                        cy={y(v).toFixed(1)}
                        r="3.5"
                        data-level={levels[k]}
                        data-value={v}
                      >
                        <title>{`${s.label}, ${streams(levels[k]!)}: ${num(v)} ${p.unit}`}</title>
                      </circle>
                    ) : null,
                  )}
                </g>
              ))}
            </g>
          );
        })}
        {levels.map((c, k) => (
          <text x={xAt(k).toFixed(1)} y={plotBottom + 16} text-anchor="middle">
            {String(c)}
          </text>
        ))}
        <text class="atitle" x={(M.l + W - M.r) / 2} y={H - 6} text-anchor="middle">
          Concurrent streams
        </text>
      </svg>
      <figcaption class="legend">
        <span>{props.caption}</span>
        {keys.map((k) => (
          <span data-legend={k}>
            <span class={`key line ${colour(k)}`}></span>
            {k}
          </span>
        ))}
        {(props.remarks ?? []).map((r) => (
          <span class="remark">{r}</span>
        ))}
      </figcaption>
      <details class="rundata">
        <summary>The plotted numbers as a table</summary>
        {panels.map((p) => (
          <DataTable panel={p} levels={levels} />
        ))}
      </details>
    </figure>
  );
}

/** One panel's figures: a row per level, a column per series; a level without a figure says why when the run says, else "not measured". */
function DataTable(props: { panel: ScalingPanel; levels: readonly number[] }) {
  const p = props.panel;
  return (
    <ChartTable
      panelKey={p.key}
      caption={`${p.title} (${p.unit})`}
      xHeader="Streams"
      columns={p.series.map((s) => s.label)}
      rows={props.levels.map((c, k) => ({
        x: String(c),
        attrs: { "data-level": c },
        cells: p.series.map((s) => {
          const v = s.values[k];
          if (finite(v)) return num(v);
          const note = s.notes?.[k];
          return note ? <span class="skipped">{note}</span> : <span class="nm">{NOT_MEASURED}</span>;
        }),
      }))}
    />
  );
}
