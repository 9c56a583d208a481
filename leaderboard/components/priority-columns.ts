/**
 * Which metric columns a ranking keeps at phone width (the stylesheet, leaderboard/public/assets/site.css, hides cells
 * marked data-priority="low" under its 640px query): the column it is sorted
 * by, and beside it the first of its other columns that measures something
 * else (another axis of the contract's list, e.g. time to first token beside
 * generation tokens/s), or else simply its next column. Every figure stays a
 * tap away: each row links to its result page.
 */
import { METRIC_BY_ID, type MetricId } from "@edgebench/contract";

export function phoneColumns(cols: readonly MetricId[], sortKey: MetricId): ReadonlySet<MetricId> {
  const others = cols.filter((id) => id !== sortKey);
  const second = others.find((id) => METRIC_BY_ID[id].axis !== METRIC_BY_ID[sortKey].axis) ?? others[0];
  return new Set(second ? [sortKey, second] : [sortKey]);
}

/** The attribute a cell of column `id` carries: low priority (hidden on a phone) unless `keep` holds it. */
export function priority(keep: ReadonlySet<MetricId>, id: MetricId): "low" | undefined {
  return keep.has(id) ? undefined : "low";
}
