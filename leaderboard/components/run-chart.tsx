/**
 * Series over one test's time, stacked in panels that share one x axis
 * (seconds since the test started): a reader sees at a glance whether the
 * generation rate fell when the clocks fell and the temperature rose. Server-
 * rendered SVG, readable without JavaScript: every panel has its quantity and
 * unit written on it, the figure has an accessible name, and a <details> table
 * holds the numbers plotted. Scales, ticks and tick labels come from d3-scale
 * and line paths from d3-shape rather than hand-written tick maths.
 */
import { scaleLinear } from "d3-scale";
import { line } from "d3-shape";
import { num } from "../format.js";
import { ChartTable, PanelGrid } from "./chart-parts.js";

export interface RunSeries {
  /** Names the line in the legend and the data table, e.g. "CPU 4,5,6,7" or a configuration. */
  label: string;
  /** Seconds since the test started, ascending. */
  tS: readonly number[];
  values: readonly number[];
}

export interface RunPanel {
  /** Stable hook for tests and styles: "rate", "clock", "temperature", "power". */
  key: string;
  /** The quantity, e.g. "Generation rate"; the unit is written beside it. */
  title: string;
  unit: string;
  /** Rates, clocks and power start at zero so a drop reads as the share it is; a temperature axis starts near its lowest value. */
  fromZero: boolean;
  series: RunSeries[];
}

/** A span of the test to shade, in seconds. */
export interface Span {
  fromS: number;
  toS: number;
}

/** Points drawn per line at most: an hour of 1 s windows would otherwise make every page carry 3,600 points per series. */
export const MAX_POINTS = 600;

/** viewBox width of a chart with the page's width to itself; a chart in a narrow card passes a smaller one so its text is not scaled below legible. */
export const WIDE = 720;
const M = { l: 66, r: 14, t: 24, b: 40 };
const PANEL_H = 104;
const GAP = 34;
/** Series colours cycle through this many classes (leaderboard/public/assets/site.css .runchart .s0 ...). */
const COLOURS = 6;

/** At most `max` points: consecutive points averaged in equal groups (means keep a rate's level; dropping points would not). */
export function thin(series: RunSeries, max = MAX_POINTS): RunSeries {
  const n = Math.min(series.tS.length, series.values.length);
  if (n <= max) return { ...series, tS: series.tS.slice(0, n), values: series.values.slice(0, n) };
  const k = Math.ceil(n / max);
  const tS: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i += k) {
    const end = Math.min(n, i + k);
    let t = 0;
    let v = 0;
    for (let j = i; j < end; j++) {
      t += series.tS[j]!;
      v += series.values[j]!;
    }
    tS.push(t / (end - i));
    values.push(v / (end - i));
  }
  return { ...series, tS, values };
}

function extent(xs: readonly number[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    if (!Number.isFinite(x)) continue;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/** "Generation rate from 18.0 to 40.0 tokens/s": what a screen reader hears for one panel. */
function panelSummary(p: RunPanel): string {
  const [lo, hi] = extent(p.series.flatMap((s) => s.values));
  if (!Number.isFinite(lo)) return `${p.title}: no samples`;
  return `${p.title} from ${num(lo)} to ${num(hi)} ${p.unit}`;
}

export function RunChart(props: {
  /** The figure's accessible name, e.g. "sustained run chart". */
  label: string;
  caption: string;
  panels: RunPanel[];
  /** Spans to shade across every panel (e.g. a clock held below 90 % of its maximum), with what they mean. */
  shaded?: Span[];
  shadedNote?: string;
  /** Name each line under the chart (always when a panel has more than one). */
  legend?: boolean;
  /** viewBox width: about the CSS pixels the chart gets, so 12 px text stays near 12 px on screen. */
  width?: number;
}) {
  const W = props.width ?? WIDE;
  const thinned = props.panels.some((p) => p.series.some((s) => Math.min(s.tS.length, s.values.length) > MAX_POINTS));
  const panels = props.panels
    .map((p) => ({ ...p, series: p.series.map((s) => thin(s)).filter((s) => s.tS.length > 0) }))
    // A panel with no finite value has no y range to draw.
    .filter((p) => Number.isFinite(extent(p.series.flatMap((s) => s.values))[0]));
  if (panels.length === 0) return null;
  const [, tMax] = extent(panels.flatMap((p) => p.series.flatMap((s) => s.tS)));
  const x = scaleLinear()
    .domain([0, tMax > 0 ? tMax : 1])
    .range([M.l, W - M.r])
    .nice();
  // About one time tick per 90 units of width keeps the labels apart.
  const xCount = Math.max(3, Math.round((W - M.l - M.r) / 90));
  const xTicks = x.ticks(xCount);
  const xFormat = x.tickFormat(xCount);
  const H = M.t + panels.length * PANEL_H + (panels.length - 1) * GAP + M.b;
  const plotBottom = H - M.b;
  const shaded = (props.shaded ?? []).filter((s) => s.toS > s.fromS);
  const labels = [...new Set(panels.flatMap((p) => p.series.map((s) => s.label)))];
  const colour = (label: string) => `s${labels.indexOf(label) % COLOURS}`;
  const showLegend = props.legend || panels.some((p) => p.series.length > 1);
  const aria = `${props.label}: ${panels.map(panelSummary).join("; ")}, over ${num(tMax)} s`;
  return (
    <figure class="chartbox runbox" data-chart="run">
      <svg class="runchart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={aria}>
        <title>{aria}</title>
        {panels.map((p, i) => {
          const top = M.t + i * (PANEL_H + GAP);
          const bottom = top + PANEL_H;
          const [lo, hi] = extent(p.series.flatMap((s) => s.values));
          const pad = hi > lo ? 0 : Math.max(1, Math.abs(hi) * 0.1);
          const y = scaleLinear()
            .domain(p.fromZero ? [Math.min(0, lo), hi > 0 ? hi : 1] : [lo - pad, hi + pad])
            .range([bottom, top])
            .nice(3);
          return (
            <g class="panel" data-panel={p.key}>
              <text class="ptitle" x={M.l} y={top - 8}>{`${p.title} (${p.unit})`}</text>
              {shaded.map((s) => (
                <rect class="thr" x={x(s.fromS).toFixed(1)} width={Math.max(1, x(s.toS) - x(s.fromS)).toFixed(1)} y={top} height={PANEL_H}>
                  <title>{`${num(s.fromS)} s to ${num(s.toS)} s: ${props.shadedNote ?? "shaded"}`}</title>
                </rect>
              ))}
              <PanelGrid y={y} ticks={3} left={M.l} right={W - M.r} />
              {xTicks.map((t) => (
                <line class="grid" x1={x(t).toFixed(1)} x2={x(t).toFixed(1)} y1={top} y2={bottom} />
              ))}
              <line class="axis" x1={M.l} x2={W - M.r} y1={bottom} y2={bottom} />
              <line class="axis" x1={M.l} x2={M.l} y1={top} y2={bottom} />
              {p.series.map((s) =>
                s.tS.length === 1 ? (
                  <circle class={`dot ${colour(s.label)}`} cx={x(s.tS[0]!).toFixed(1)} cy={y(s.values[0]!).toFixed(1)} r="3" data-series={s.label}>
                    <title>{s.label}</title>
                  </circle>
                ) : (
                  <path
                    class={`line ${colour(s.label)}`}
                    d={
                      line<number>()
                        .digits(1)
                        .defined((v) => Number.isFinite(v))
                        .x((_, k) => x(s.tS[k]!))
                        .y((v) => y(v))([...s.values]) ?? ""
                    }
                    data-series={s.label}
                  >
                    <title>{`${s.label}: ${p.title.toLowerCase()} (${p.unit})`}</title>
                  </path>
                ),
              )}
            </g>
          );
        })}
        {xTicks.map((t) => (
          <text x={x(t).toFixed(1)} y={plotBottom + 16} text-anchor="middle">
            {xFormat(t)}
          </text>
        ))}
        <text class="atitle" x={(M.l + W - M.r) / 2} y={H - 6} text-anchor="middle">
          Time since the test started (s)
        </text>
      </svg>
      <figcaption class="legend">
        <span>{props.caption}</span>
        {showLegend
          ? labels.map((l) => (
              <span data-legend={l}>
                <span class={`key line ${colour(l)}`}></span>
                {l}
              </span>
            ))
          : null}
        {shaded.length > 0 ? (
          <span>
            <span class="key thr"></span>
            {props.shadedNote ?? "shaded"}
          </span>
        ) : null}
        {thinned ? <span>{`Long series are drawn as means of consecutive samples (at most ${MAX_POINTS} points a line).`}</span> : null}
      </figcaption>
      <details class="rundata">
        <summary>The plotted numbers as a table</summary>
        {panels.map((p) => (
          <DataTable panel={p} />
        ))}
      </details>
    </figure>
  );
}

/** One panel's samples: a row per time any of its series was sampled; a series not sampled then shows nothing, not 0. */
function DataTable(props: { panel: RunPanel }) {
  const p = props.panel;
  const times = [...new Set(p.series.flatMap((s) => s.tS))].sort((a, b) => a - b);
  const at = p.series.map((s) => new Map(s.tS.map((t, i) => [t, s.values[i]!])));
  return (
    <ChartTable
      panelKey={p.key}
      caption={`${p.title} (${p.unit})`}
      xHeader="Time (s)"
      columns={p.series.map((s) => s.label)}
      rows={times.map((t) => ({
        x: num(t),
        cells: at.map((m) => {
          const v = m.get(t);
          return v === undefined ? "" : num(v);
        }),
      }))}
    />
  );
}
