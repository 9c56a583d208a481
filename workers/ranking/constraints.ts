/**
 * The constraints a team choosing hardware has (RankFilters: max_w, min_tps,
 * max_litres, max_cm2, params, min_acc, min_sustained) as conditions on
 * `configurations`. Each reads the configuration's own figures by primary key
 * (configuration_metrics (configuration_id, metric)), so a constraint costs
 * one lookup per matching configuration, never a scan. A figure that is not
 * measured makes the comparison NULL, which SQL treats as false: not measured
 * counts as not meeting the constraint.
 *
 * Board size is not a stored figure: the size metrics are tokens/s per litre
 * and per cm², so the size is tg_tps over them (both medians of the same
 * runs, which share one board and so one size).
 */
import type { MetricId } from "@edgebench/contract";
import { type SQL, sql } from "drizzle-orm";
import { configurationMetrics, configurations } from "../../db/schema.js";
import { PARAM_CLASSES, type RankFilters } from "./query.js";

/**
 * Constants are inlined, binding no parameter: D1 allows 100 per statement and the filter menus repeat the
 * filters once per probe. Both kinds are safe as SQL text: a metric id of the contract's list, a finite number.
 */
const literal = (v: MetricId | number) => sql.raw(typeof v === "number" ? String(v) : `'${v}'`);

/** The configuration's median of one metric, or NULL when not measured. */
function figure(metric: MetricId): SQL {
  const m = configurationMetrics;
  return sql`(SELECT cf.${sql.identifier(m.value.name)} FROM ${m} cf WHERE cf.${sql.identifier(m.configurationId.name)} = ${configurations.id} AND cf.${sql.identifier(m.metric.name)} = ${literal(metric)})`;
}

/** What each constraint compares, in a reader's words (the site's form and notes). */
export const CONSTRAINT_TEXT = {
  max_w: "Max average power (W)",
  min_tps: "Min generation tokens/s",
  max_litres: "Max board volume (L)",
  max_cm2: "Max board footprint (cm²)",
  min_acc: "Min HellaSwag accuracy (%)",
  min_sustained: "Min sustained ratio (0 to 1)",
} as const satisfies Partial<Record<keyof RankFilters, string>>;
export type NumericConstraint = keyof typeof CONSTRAINT_TEXT;
export const NUMERIC_CONSTRAINTS = Object.keys(CONSTRAINT_TEXT) as NumericConstraint[];

/** The constraints of these filters as SQL conditions on `configurations`. */
export function constraintConditions(f: RankFilters): SQL[] {
  const c = configurations;
  const where: SQL[] = [];
  if (f.max_w !== undefined) where.push(sql`${figure("avg_w")} <= ${literal(f.max_w)}`);
  if (f.min_tps !== undefined) where.push(sql`${figure("tg_tps")} >= ${literal(f.min_tps)}`);
  if (f.max_litres !== undefined) where.push(sql`${figure("tg_tps")} / ${figure("tps_per_litre")} <= ${literal(f.max_litres)}`);
  if (f.max_cm2 !== undefined) where.push(sql`${figure("tg_tps")} / ${figure("tps_per_cm2")} <= ${literal(f.max_cm2)}`);
  if (f.min_acc !== undefined) where.push(sql`${figure("hellaswag_acc")} >= ${literal(f.min_acc)}`);
  if (f.min_sustained !== undefined) where.push(sql`${figure("sustained_ratio")} >= ${literal(f.min_sustained)}`);
  if (f.params) {
    const cls: { from?: number; below?: number } = PARAM_CLASSES[f.params];
    // `+col`: no index on parameters; a NULL (unknown size) fails both comparisons.
    if (cls.from !== undefined) where.push(sql`+${c.parameters} >= ${literal(cls.from)}`);
    if (cls.below !== undefined) where.push(sql`+${c.parameters} < ${literal(cls.below)}`);
  }
  return where;
}
