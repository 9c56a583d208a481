/**
 * Two metrics of the Pareto front against each other (by default throughput
 * against tokens per joule), one point per configuration, both axes
 * logarithmic, marker area proportional to the size metric. Rendered on the
 * server as SVG: points are links (click opens the configuration) with a
 * <title>, so it works without JavaScript; the site script (leaderboard/public/assets/site.js) adds a styled
 * tooltip on hover and keyboard focus. Axis labels and units come from METRICS.
 */
import { METRIC_BY_ID, type MetricId } from "@edgebench/contract";
import { paretoFront } from "../../workers/ranking/pareto.js";
import { labelInText, listText, metricText } from "../format.js";
import type { ParetoAxes } from "../state.js";

export interface ChartPoint {
  id: string;
  /** First line: the configuration; the rest: its figures. */
  lines: string[];
  x: number;
  y: number;
  size: number | null;
  /** Member of the Pareto front over every one of its axes. */
  onFront: boolean;
  href: string;
}

export const CHART_SIZE: MetricId = "tps_per_cm2";

const W = 760;
const H = 340;
const M = { l: 64, r: 20, t: 14, b: 46 };
const R_MAX = 20;
const R_MIN = 3;

interface LogScale {
  lo: number;
  hi: number;
  ticks: number[];
  map(v: number): number;
}

/** 1, 2, 5 times a power of ten: the round numbers a log axis is read by. */
function niceFloor(v: number): number {
  const d = 10 ** Math.floor(Math.log10(v));
  return [5, 2, 1].map((s) => s * d).find((x) => x <= v * (1 + 1e-9)) ?? d;
}
function niceCeil(v: number): number {
  const d = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((s) => s * d).find((x) => x >= v * (1 - 1e-9)) ?? 10 * d;
}

function logScale(values: number[], from: number, to: number): LogScale {
  let lo = niceFloor(Math.min(...values));
  let hi = niceCeil(Math.max(...values));
  if (hi <= lo) {
    lo = niceFloor(lo / 2);
    hi = niceCeil(hi * 2);
  }
  // 1-2-5 ticks over a few decades; decades only when the range is wide.
  const wide = Math.log10(hi / lo) > 3;
  const ticks: number[] = [];
  for (let d = Math.floor(Math.log10(lo)); d <= Math.ceil(Math.log10(hi)); d++) {
    for (const s of wide ? [1] : [1, 2, 5]) {
      const t = s * 10 ** d;
      if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push(Number(t.toPrecision(3)));
    }
  }
  const span = Math.log10(hi) - Math.log10(lo);
  const map = (v: number) => from + ((Math.log10(v) - Math.log10(lo)) / span) * (to - from);
  return { lo, hi, ticks, map };
}

function tickText(v: number): string {
  if (v >= 1000) return `${v / 1000}k`;
  return v >= 1 ? String(v) : String(Number(v.toPrecision(1)));
}

export function Chart(props: { points: ChartPoint[]; caption: string; omitted: number; axes: ParetoAxes }) {
  const pts = props.points.filter((p) => p.x > 0 && p.y > 0);
  const { x: xId, y: yId } = props.axes;
  const xm = METRIC_BY_ID[xId];
  const ym = METRIC_BY_ID[yId];
  const sm = METRIC_BY_ID[CHART_SIZE];
  if (pts.length === 0) {
    return (
      <figure class="chartbox" aria-label="Chart">
        <p class="muted">
          No configuration here has both {labelInText(yId)} and {labelInText(xId)} measured, so there is nothing to plot.
        </p>
      </figure>
    );
  }
  const xs = logScale(
    pts.map((p) => p.x),
    M.l,
    W - M.r,
  );
  const ys = logScale(
    pts.map((p) => p.y),
    H - M.b,
    M.t,
  );
  const sizeMax = Math.max(0, ...pts.map((p) => p.size ?? 0));
  // Area proportional to the size figure: r grows with its square root.
  const radius = (p: ChartPoint) => (p.size && sizeMax > 0 ? Math.max(R_MIN, R_MAX * Math.sqrt(p.size / sizeMax)) : 5);
  // The front on these two axes, drawn as the boundary of what it dominates.
  const front2 = [...paretoFront(pts, [xId, yId], (p, id) => (id === xId ? p.x : p.y))].sort((a, b) => a.x - b.x);
  let d = "";
  front2.forEach((p, i) => {
    const x = xs.map(p.x).toFixed(1);
    const y = ys.map(p.y).toFixed(1);
    d += i === 0 ? `M${x} ${y}` : `V${y}H${x}`;
  });
  // Big markers first so small ones stay on top and reachable.
  const order = [...pts].sort((a, b) => radius(b) - radius(a));
  return (
    <figure class="chartbox" id="chart">
      {/* biome-ignore lint/a11y/useSemanticElements: role="group" is the ARIA for an <svg> holding focusable point links; a <fieldset> cannot sit in or replace an SVG, and role="img" would hide the links from screen readers. */}
      <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="group" aria-label={props.caption}>
        <g class="axis">
          {xs.ticks.map((t) => (
            <g>
              <line class="grid" x1={xs.map(t)} x2={xs.map(t)} y1={M.t} y2={H - M.b} />
              <text x={xs.map(t)} y={H - M.b + 16} text-anchor="middle">
                {tickText(t)}
              </text>
            </g>
          ))}
          {ys.ticks.map((t) => (
            <g>
              <line class="grid" x1={M.l} x2={W - M.r} y1={ys.map(t)} y2={ys.map(t)} />
              <text x={M.l - 6} y={ys.map(t) + 4} text-anchor="end">
                {tickText(t)}
              </text>
            </g>
          ))}
          <text class="atitle" x={(M.l + W - M.r) / 2} y={H - 8} text-anchor="middle">
            {`${xm.label} (${xm.unit ? `${xm.unit}, ` : ""}log scale) →`}
          </text>
          <text class="atitle" transform={`translate(16 ${(M.t + H - M.b) / 2}) rotate(-90)`} text-anchor="middle">
            {`${ym.label} (${ym.unit ? `${ym.unit}, ` : ""}log scale) →`}
          </text>
        </g>
        {d ? <path class="front" d={d} /> : null}
        {order.map((p) => {
          const tip = p.lines.join("\n");
          return (
            // The <title> is the point's accessible name and its tooltip without
            // JavaScript; the script reuses it, so the text is sent once.
            <a class={`pt${p.onFront ? " on" : ""}${p.size ? "" : " nosize"}`} href={p.href} data-cfg={p.id}>
              <title>{tip}</title>
              <circle cx={xs.map(p.x).toFixed(1)} cy={ys.map(p.y).toFixed(1)} r={radius(p).toFixed(1)} />
            </a>
          );
        })}
      </svg>
      <figcaption class="legend">
        {/* On a phone the in-chart axis titles are hidden (too small to read); this says them instead. */}
        <span class="axes-note">{`Up: ${labelInText(yId)}; right: ${labelInText(xId)} (both log scale).`}</span>
        <span>{props.caption}</span>
        <span>
          <span class="key on"></span>Pareto front ({frontText(props.axes)})
        </span>
        <span>
          <span class="key line"></span>Front on these two axes
        </span>
        <span>
          <span class="key"></span>Marker area: {sm.label.toLowerCase()} ({sm.unit}); dashed: size not measured
        </span>
        {props.omitted > 0 ? <span>{props.omitted} more configurations are in the table but not plotted.</span> : null}
      </figcaption>
    </figure>
  );
}

/** "tokens per joule, generation tokens/s and generation tokens/s per cm²": what a front is over, in words. */
export function frontText(p: ParetoAxes): string {
  return listText(p.axes.map(labelInText));
}

/** Shown in a point's tooltip where measured: tokens per joule is tokens/s per watt, so the watts explain the figure. */
const WATTS: MetricId = "avg_w";

/** The tooltip lines for a configuration's point: name, then the chart's axes, the front's other axes, the size and the watts where measured, in METRICS' units. */
export function pointLines(name: string, sub: string, metrics: Partial<Record<MetricId, number>>, p: ParetoAxes): string[] {
  const ids = [...new Set([p.y, p.x, ...p.axes, CHART_SIZE, ...(metrics[WATTS] === undefined ? [] : [WATTS])])];
  return [name, sub, ...ids.map((id) => `${METRIC_BY_ID[id].label}: ${metricText(id, metrics[id])}`)];
}
