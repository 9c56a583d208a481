/**
 * A plain (server-sorted) table of configurations for the board and model
 * pages. At phone width it keeps the name, its setup (a link to the result)
 * and the priority metric columns (./priority-columns.ts).
 */
import { METRIC_BY_ID, type MetricId } from "@edgebench/contract";
import { QUALITY_COLUMNS } from "../state.js";
import type { ConfigRow } from "../types.js";
import { acceleratorText, configHref, MetricCell, UnconfirmedBadge } from "./config-cells.js";
import { phoneColumns, priority } from "./priority-columns.js";

export const DETAIL_COLUMNS: readonly MetricId[] = [
  "tg_tps",
  "pp_tps",
  "ttft_ms",
  "tokens_per_j",
  "tps_per_cm2",
  "tps_per_litre",
  ...QUALITY_COLUMNS,
];

export function ConfigTable(props: { rows: ConfigRow[]; show: "board" | "model"; columns?: readonly MetricId[]; id?: string }) {
  const cols = props.columns ?? DETAIL_COLUMNS;
  // Rows come ordered by the first column.
  const keep = phoneColumns(cols, cols[0]!);
  return (
    <div class="tablewrap">
      <table id={props.id}>
        <thead>
          <tr>
            <th scope="col">{props.show === "board" ? "Model" : "Board"}</th>
            <th scope="col" class="hide-sm">
              Setup
            </th>
            {cols.map((id) => (
              <th scope="col" class="n" data-priority={priority(keep, id)} title={METRIC_BY_ID[id].description}>
                {METRIC_BY_ID[id].label}
                {METRIC_BY_ID[id].unit ? <span class="unit">{METRIC_BY_ID[id].unit}</span> : null}
              </th>
            ))}
            <th scope="col" class="hide-sm">
              Meter scope
            </th>
            <th scope="col" class="n hide-sm">
              Submissions
            </th>
            <th scope="col" class="n hide-sm">
              Contributors
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr data-cfg={r.id}>
              <td class="cfg">
                {props.show === "board" ? (
                  <a href={`/models/${encodeURIComponent(r.modelSlug)}`}>{`${r.modelName} ${r.quantisation}`}</a>
                ) : (
                  <a href={`/boards/${encodeURIComponent(r.boardId)}`}>{r.boardName}</a>
                )}
                <UnconfirmedBadge contributors={r.contributors} />
                <a class="sub sm-only" href={configHref(r)}>{`${acceleratorText(r)} · ${r.backend}`}</a>
              </td>
              <td class="setup hide-sm">
                <a href={configHref(r)}>{`${acceleratorText(r)} · ${r.backend}`}</a>
                <span class="sub muted" style="display:block">{`${r.runtime} · ${r.threads} threads, ${r.gpuLayers} GPU layers`}</span>
              </td>
              {cols.map((id) => (
                <MetricCell id={id} row={r} priority={priority(keep, id)} />
              ))}
              <td class="hide-sm">{r.meterScope ?? <span class="nm">none</span>}</td>
              <td class="n hide-sm">{r.submissions}</td>
              <td class="n hide-sm">{r.contributors}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
