/**
 * Outlier marks on a result's runs, computed when the result is read: each
 * run's headline figures against its configuration's value lists
 * (configuration_values: every visible run's figure, the lists the median is
 * taken over), by the contract's one rule (OUTLIER_RULE, outlierScore). Nothing
 * is stored, so the rule can change without a migration, and the
 * configuration's median is never touched: a marked run stays stored, visible
 * and counted (the median already resists it).
 */
import { isOutlier, METRICS, type MetricId, OUTLIER_RULE, outlierScore } from "@edgebench/contract";
import { and, inArray } from "drizzle-orm";
import { configurationValues } from "../../db/schema.js";
import { parseList } from "../aggregate/configurations.js";
import type { Db } from "../db.js";

/**
 * The figures checked: the speed figures in tokens/s (pp_tps, tg_tps, pg_tps,
 * tg_depth_tps, sustained_tps), taken from the contract's list. Latency,
 * energy and the rest follow the same hardware but are noisier by nature
 * (first-token times, meter scopes), so a mark there would say less.
 */
export const OUTLIER_METRICS: readonly MetricId[] = METRICS.filter((m) => m.axis === "throughput" && m.unit === "tokens/s").map((m) => m.id);

export interface OutlierMark {
  metric: MetricId;
  /** The run's figure. */
  value: number;
  /** The configuration's median of the metric (over its visible runs). */
  median: number;
  /** The configuration's median absolute deviation (unscaled). */
  mad: number;
  /** The modified z-score (signed). */
  score: number;
  /** The rule, in words. */
  rule: string;
}

/** D1 binds at most 100 parameters per statement; the metric ids take some. */
const IDS_PER_QUERY = 80;

/** The value lists of the checked metrics, per configuration id and metric. */
export async function outlierLists(db: Db, configurationIds: readonly string[]): Promise<Map<string, Map<MetricId, number[]>>> {
  const out = new Map<string, Map<MetricId, number[]>>();
  for (let i = 0; i < configurationIds.length; i += IDS_PER_QUERY) {
    const rows = await db
      .select({ id: configurationValues.configurationId, metric: configurationValues.metric, values: configurationValues.figureValues })
      .from(configurationValues)
      .where(
        and(
          inArray(configurationValues.configurationId, configurationIds.slice(i, i + IDS_PER_QUERY)),
          inArray(configurationValues.metric, [...OUTLIER_METRICS]),
        ),
      );
    for (const r of rows) {
      const m = out.get(r.id) ?? new Map<MetricId, number[]>();
      out.set(r.id, m);
      m.set(r.metric as MetricId, parseList(r.values));
    }
  }
  return out;
}

/** A run's marks: every checked metric whose figure the rule calls an outlier in its configuration. */
export function outlierMarks(
  lists: ReadonlyMap<MetricId, number[]> | undefined,
  figures: Partial<Record<MetricId, { value: number }>>,
): OutlierMark[] {
  if (!lists) return [];
  const marks: OutlierMark[] = [];
  for (const metric of OUTLIER_METRICS) {
    const value = figures[metric]?.value;
    const values = lists.get(metric);
    if (value === undefined || !values) continue;
    const s = outlierScore(values, value);
    if (s && isOutlier(s)) marks.push({ metric, value, median: s.median, mad: s.mad, score: s.score, rule: OUTLIER_RULE.text });
  }
  return marks;
}
