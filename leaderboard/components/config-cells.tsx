/** How a configuration is named wherever it appears (tables, compare, chart tooltips). */
import { METRIC_BY_ID, type MetricId } from "@edgebench/contract";
import { NOT_MEASURED, num } from "../format.js";
import type { ConfigRow } from "../types.js";

export function acceleratorText(r: Pick<ConfigRow, "acceleratorKind" | "acceleratorName">): string {
  const kind = r.acceleratorKind.toUpperCase();
  return r.acceleratorName ? `${kind} (${r.acceleratorName})` : kind;
}

/** "GPU (Orin) · cuda · llama.cpp 3.2 · 6 threads, 99 GPU layers" */
export function configSubline(r: Pick<ConfigRow, "acceleratorKind" | "acceleratorName" | "backend" | "runtime" | "threads" | "gpuLayers">): string {
  return `${acceleratorText(r)} · ${r.backend} · ${r.runtime} · ${r.threads} threads, ${r.gpuLayers} GPU layers`;
}

export function configHref(r: Pick<ConfigRow, "latestSubmissionId" | "boardId">): string {
  return r.latestSubmissionId ? `/results/${encodeURIComponent(r.latestSubmissionId)}` : `/boards/${encodeURIComponent(r.boardId)}`;
}

export function UnconfirmedBadge(props: { contributors: number }) {
  return props.contributors <= 1 ? (
    <span class="badge unconfirmed" title="Only one contributor has submitted this configuration: not yet confirmed by anyone else">
      unconfirmed
    </span>
  ) : null;
}

/** A metric's value and, under it, its spread; "not measured" when absent. */
export function MetricCell(props: { id: MetricId; row: Pick<ConfigRow, "metrics" | "stddev">; best?: boolean }) {
  const v = props.row.metrics[props.id];
  if (v === undefined) {
    return (
      <td class="n">
        <span class="nm">{NOT_MEASURED}</span>
      </td>
    );
  }
  const sd = props.row.stddev[props.id];
  const unit = METRIC_BY_ID[props.id].unit;
  return (
    <td class="n" data-metric={props.id} data-value={String(v)} data-best={props.best ? "true" : undefined}>
      <span class={props.best ? "best" : undefined}>{num(v)}</span>
      {props.best ? <span class="sr"> (better)</span> : null}
      {sd !== undefined ? (
        <span class="sd" title={`standard deviation, ${unit || "no unit"}`}>
          {/* Below 0.01 % of the value the spread is rounding noise: say so rather than print 1e-8. */}± {sd < Math.abs(v) * 1e-4 ? "≈0" : num(sd)}
        </span>
      ) : null}
    </td>
  );
}
