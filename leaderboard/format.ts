/**
 * How figures are written on the site. Every unit and label comes from METRICS
 * (@edgebench/contract, contract/src/metrics.ts); this file only decides digits. A missing
 * figure is "not measured", never 0 (RULES: honest results only).
 */
import { HELLASWAG_SUBSET, METRIC_BY_ID, type MetricId, median } from "@edgebench/contract";

export const NOT_MEASURED = "not measured";

/** Three significant figures, grouped thousands, no exponent for everyday ranges. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return NOT_MEASURED;
  const abs = Math.abs(value);
  if (abs === 0) return "0";
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs >= 0.001) return value.toPrecision(3);
  return value.toExponential(2);
}

/** A metric value with its unit from METRICS, or "not measured". */
export function metricText(id: MetricId, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NOT_MEASURED;
  const unit = METRIC_BY_ID[id].unit;
  return unit ? `${num(value)} ${unit}` : num(value);
}

/**
 * A metric's label inside a sentence: a plain capitalised first word is
 * lowered ("Tokens per joule" -> "tokens per joule"), a name keeps its case
 * ("HellaSwag accuracy").
 */
export function labelInText(id: MetricId): string {
  return METRIC_BY_ID[id].label.replace(/^[A-Z][a-z]*\b/, (w) => w.toLowerCase());
}

/** "a, b and c" */
export function listText(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : (items[0] ?? "");
}

/**
 * What the ± beside a metric's figure is, in words. A task score's ± is its
 * standard error over the tasks answered: a ranked figure always covers the
 * whole subset (the contract ranks only those), so `tasks` defaults to the
 * suite's subset. Any other ± is the spread over repetitions.
 */
export function spreadWords(id: MetricId, tasks: number = HELLASWAG_SUBSET.tasks): string {
  return METRIC_BY_ID[id].spread === "standard error"
    ? `standard error over ${tasks.toLocaleString("en-US")} tasks`
    : "standard deviation over repetitions";
}

/** The tooltip of a figure's ±: what it is, and its unit. */
export function spreadTitle(id: MetricId, tasks?: number): string {
  return `± ${spreadWords(id, tasks)}, ${METRIC_BY_ID[id].unit || "no unit"}`;
}

/** "45.0 ± 2.49 %": a figure, its ± and the metric's unit. */
export function withSpread(id: MetricId, value: number, spread: number): string {
  const unit = METRIC_BY_ID[id].unit;
  return `${num(value)} ± ${num(spread)}${unit ? ` ${unit}` : ""}`;
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return NOT_MEASURED;
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** ISO date-time shortened to minutes in UTC, e.g. "2026-11-21 10:04 UTC". */
export function when(iso: string | null | undefined): string {
  if (!iso) return "unknown";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** The contract's median, or null when there are no values. */
export function medianOrNull(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : median(xs);
}
