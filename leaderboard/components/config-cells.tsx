/** How a configuration is named wherever it appears (tables, compare, chart tooltips). */
import { type MetricId, SUSTAINED_EDGE_S, SUSTAINED_RANKED_SECONDS, THROTTLE_FREQ_SHARE } from "@edgebench/contract";
import { NOT_MEASURED, num, spreadTitle } from "../format.js";
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

/** The row's model file is one the registry pins by SHA-256: boards with this badge ran identical weights. */
export function StandardFileBadge(props: { standardFile: boolean }) {
  return props.standardFile ? (
    <span class="badge standard" title="A standard file: the model file's SHA-256 is one the registry pins (GET /api/v1/standard-files)">
      standard file
    </span>
  ) : null;
}

/** Below this sustained ratio a configuration is marked as slowing when hot, even where no clock or throttle flag could be read (phones, VMs). */
const SLOWS_BELOW_RATIO = 0.9;

/**
 * What the sustained test saw, from the configuration's own figures: clocks
 * capped or a throttle flag before the test's end, or a last-30-s rate well
 * under the first. Nothing when the sustained test was not run.
 */
export function ThrottleBadge(props: { metrics: ConfigRow["metrics"] }) {
  const onset = props.metrics.throttle_s;
  const ratio = props.metrics.sustained_ratio;
  if (onset !== undefined && onset < SUSTAINED_RANKED_SECONDS) {
    return (
      <span
        class="badge throttles"
        title={`Throttled after ${Math.round(onset)} s of the ${SUSTAINED_RANKED_SECONDS} s sustained test (a CPU cluster's clock fell below ${THROTTLE_FREQ_SHARE * 100} % of its peak, or a throttle flag was set)`}
      >
        throttles
      </span>
    );
  }
  if (ratio !== undefined && ratio < SLOWS_BELOW_RATIO) {
    return (
      <span
        class="badge throttles"
        title={`The last ${SUSTAINED_EDGE_S} s of the sustained test ran at ${num(ratio * 100)} % of the first ${SUSTAINED_EDGE_S} s`}
      >
        slows when hot
      </span>
    );
  }
  return null;
}

/**
 * A metric's value and, under it, its ±: the spread over repetitions, or a
 * task score's standard error (the tooltip says which); "not measured" when
 * absent. `priority: "low"` hides it at phone width (./priority-columns.ts).
 */
export function MetricCell(props: { id: MetricId; row: Pick<ConfigRow, "metrics" | "stddev">; best?: boolean; priority?: "low" }) {
  const v = props.row.metrics[props.id];
  if (v === undefined) {
    return (
      <td class="n" data-priority={props.priority} data-metric={props.id}>
        <span class="nm">{NOT_MEASURED}</span>
      </td>
    );
  }
  const sd = props.row.stddev[props.id];
  return (
    <td class="n" data-priority={props.priority} data-metric={props.id} data-value={String(v)} data-best={props.best ? "true" : undefined}>
      <span class={props.best ? "best" : undefined}>{num(v)}</span>
      {props.best ? <span class="sr"> (better)</span> : null}
      {sd !== undefined ? (
        <span class="sd" title={spreadTitle(props.id)}>
          {/* Below 0.01 % of the value the spread is rounding noise: say so rather than print 1e-8. */}± {sd < Math.abs(v) * 1e-4 ? "≈0" : num(sd)}
        </span>
      ) : null}
    </td>
  );
}
