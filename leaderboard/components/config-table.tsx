/** A plain (server-sorted) table of configurations for the board and model pages. */
import { METRIC_BY_ID, type MetricId } from "@edgebench/contract";
import { QUALITY_COLUMNS } from "../state.js";
import type { ConfigRow } from "../types.js";
import { acceleratorText, configHref, MetricCell, UnconfirmedBadge } from "./config-cells.js";

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
  return (
    <div class="tablewrap">
      <table id={props.id}>
        <thead>
          <tr>
            <th scope="col">{props.show === "board" ? "Model" : "Board"}</th>
            <th scope="col">Setup</th>
            {cols.map((id) => (
              <th scope="col" class="n" title={METRIC_BY_ID[id].description}>
                {METRIC_BY_ID[id].label}
                {METRIC_BY_ID[id].unit ? <span class="unit">{METRIC_BY_ID[id].unit}</span> : null}
              </th>
            ))}
            <th scope="col">Meter scope</th>
            <th scope="col" class="n">
              Submissions
            </th>
            <th scope="col" class="n">
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
              </td>
              <td class="setup">
                <a href={configHref(r)}>{`${acceleratorText(r)} · ${r.backend}`}</a>
                <span class="sub muted" style="display:block">{`${r.runtime} · ${r.threads} threads, ${r.gpuLayers} GPU layers`}</span>
              </td>
              {cols.map((id) => (
                <MetricCell id={id} row={r} />
              ))}
              <td>{r.meterScope ?? <span class="nm">none</span>}</td>
              <td class="n">{r.submissions}</td>
              <td class="n">{r.contributors}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
