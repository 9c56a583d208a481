/**
 * What the run chart and the scaling chart draw alike: a panel's horizontal
 * grid with its y labels, and its numbers as a table for readers and
 * tools that do not see the SVG.
 */
import type { Child } from "hono/jsx";

/** A panel's y grid lines and tick labels (d3's ticks and format). */
export function PanelGrid(props: {
  y: { (v: number): number; ticks(n: number): number[]; tickFormat(n: number): (v: number) => string };
  ticks: number;
  left: number;
  right: number;
}) {
  const { y, left, right } = props;
  const format = y.tickFormat(props.ticks);
  return (
    <>
      {y.ticks(props.ticks).map((t) => (
        <g>
          <line class="grid" x1={left} x2={right} y1={y(t).toFixed(1)} y2={y(t).toFixed(1)} />
          <text x={left - 6} y={(y(t) + 4).toFixed(1)} text-anchor="end">
            {format(t)}
          </text>
        </g>
      ))}
    </>
  );
}

export interface ChartTableRow {
  /** The row's x value as written in its header cell. */
  x: string;
  /** Extra attributes on the row (e.g. data-level). */
  attrs?: Record<string, string | number>;
  /** One cell per series, in the columns' order. */
  cells: Child[];
}

export function ChartTable(props: {
  panelKey: string;
  caption: string;
  xHeader: string;
  columns: readonly string[];
  rows: readonly ChartTableRow[];
}) {
  return (
    <div class="tablewrap">
      <table class="reps" data-panel={props.panelKey}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col" class="n">
              {props.xHeader}
            </th>
            {props.columns.map((c) => (
              <th scope="col" class="n">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr {...(r.attrs ?? {})}>
              <th scope="row" class="n">
                {r.x}
              </th>
              {r.cells.map((c) => (
                <td class="n">{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
