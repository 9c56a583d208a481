/**
 * The one scope rule, for the API and the site alike (the /api page states it):
 *
 *   A metric compared within one meter scope (energy: withinMeterScope in the
 *   contract's list) ranks only configurations whose primary meter has one
 *   scope: the `scope` asked for, else the first of DEFAULT_ENERGY_SCOPES
 *   that has a ranked configuration under the other filters. Any other metric
 *   ranks across every scope, unless a `scope` is asked for (then only
 *   configurations measured with that primary meter scope; "none": no meter).
 *
 * Whole-system scopes come first (MLPerf Power measures at the wall), then
 * narrower ones. The order is fixed, so a URL keeps its meaning as results
 * arrive.
 */
import { METRIC_BY_ID, type MeterScope, type MetricId } from "@edgebench/contract";
import { and, Column, eq, exists, is, type SQL, sql } from "drizzle-orm";
import type { SelectedFields, SQLiteColumn } from "drizzle-orm/sqlite-core";
import { configurationMetrics, configurations, standardFiles } from "../../db/schema.js";
import type { Db } from "../db.js";
import { constraintConditions } from "./constraints.js";
import type { RankFilters } from "./query.js";
import { notTestData } from "./test-data.js";

export const DEFAULT_ENERGY_SCOPES: readonly Exclude<MeterScope, "none">[] = [
  "wall",
  "board-input",
  "module-input",
  "soc-rails",
  "accelerator",
  "cpu-package",
];

/** The rule above in a reader's words: the /api page prints it. */
export const SCOPE_RULE =
  'A metric marked "within one meter scope" (the energy metrics) ranks only configurations whose primary meter has one scope: the `scope` you pass, ' +
  `else the first of ${DEFAULT_ENERGY_SCOPES.join(", ")} that has a ranked configuration under your other filters (the response says which, in \`scope\`). ` +
  "Any other metric ranks across every scope, unless you pass `scope` (then only configurations measured with that primary meter scope; `none`: without a meter).";

/** How rows are ordered, in a reader's words (the /api page prints it; rank.ts does it). */
export const ORDER_RULE =
  "Only configurations with the sort metric measured are ranked (never as zero). Order: the metric's value, by default its better direction first " +
  "(`order` overrides), ties broken by configuration id in the same direction, so cursor pages neither skip nor repeat.";

/** The configuration filters as conditions on `configurations` (the scope is the caller's: it depends on the metric). */
export function filterConditions(f: RankFilters, indexable = true): SQL[] {
  const c = configurations;
  // `+col = value` keeps SQLite from choosing that column's index (see rank.ts for when that is the better plan).
  const eqf = (col: SQLiteColumn, value: string) => (indexable ? eq(col, value) : sql`+${col} = ${value}`);
  const where: SQL[] = [];
  if (f.model) where.push(eqf(/^[0-9a-f]{64}$/.test(f.model) || f.model.includes("~") ? c.modelId : c.modelSlug, f.model));
  if (f.quantisation) where.push(eqf(c.quantisation, f.quantisation));
  if (f.board) where.push(eqf(c.boardId, f.board));
  if (f.accelerator) where.push(eqf(c.acceleratorKind, f.accelerator));
  if (f.backend) where.push(eqf(c.backend, f.backend));
  if (f.cooling) where.push(eqf(c.cooling, f.cooling));
  if (f.suite) where.push(eqf(c.suiteId, f.suite));
  // The pins are read at query time: a file pinned later marks the results stored before it too.
  if (f.standard) where.push(sql`${indexable ? c.modelId : sql`+${c.modelId}`} IN (SELECT ${standardFiles.sha256} FROM ${standardFiles})`);
  // Test data ranks only when asked (./test-data.ts); no index serves it, so it is tested on each row read.
  if (!f.test) where.push(notTestData(c));
  where.push(...constraintConditions(f));
  return where;
}

/**
 * The configurations that have a figure (`ranked`: a condition on
 * configuration_metrics) under the filters, read in the order that keeps it
 * cheap: with a filter on an indexed column (model, standard file, board, accelerator,
 * backend, cooling, meter scope) from `configurations` through that index, then the
 * figure by primary key (CROSS JOIN fixes that order: without statistics
 * SQLite otherwise walks every figure of the metric and tests each
 * configuration); without one, from the rank index.
 */
export function matching<T extends SelectedFields>(db: Db, fields: T, ranked: SQL, filters: SQL[], viaConfigurations: boolean) {
  const m = configurationMetrics;
  const c = configurations;
  const fromFigures = db.select(fields).from(m).$dynamic();
  // Without a filter the count needs no configuration row; a page (its fields are configuration columns) does.
  if (filters.length === 0 && !Object.values(fields).some((f) => is(f, Column) && f.table === c)) return fromFigures.where(ranked);
  // drizzle types each join order differently; the rows are the same fields either way.
  type Same = typeof fromFigures;
  if (viaConfigurations) {
    return (db.select(fields).from(c).crossJoin(m) as unknown as Same).where(and(eq(m.configurationId, c.id), ranked, ...filters));
  }
  return (fromFigures.innerJoin(c, eq(c.id, m.configurationId)) as unknown as Same).where(and(ranked, ...filters));
}

/** Whether a filter narrows `configurations` through an index of its own (see matching). */
export function hasIndexedFilter(f: RankFilters, scopeOnConfigurations: boolean): boolean {
  return Boolean(f.model || f.standard || f.board || f.accelerator || f.backend || f.cooling || scopeOnConfigurations);
}

/** The scope a ranking by `metric` is restricted to under these filters, or null for none (see the rule above). */
export async function rankingScope(db: Db, filters: RankFilters, metric: MetricId): Promise<MeterScope | null> {
  if (filters.scope) return filters.scope;
  if (!METRIC_BY_ID[metric].withinMeterScope) return null;
  const m = configurationMetrics;
  const conditions = filterConditions(filters);
  const viaConfigurations = hasIndexedFilter(filters, false);
  const probe = (scope: string) => {
    const ranked = and(eq(m.metric, metric), eq(m.rankScope, scope))!;
    return sql`WHEN ${exists(matching(db, { one: sql`1` }, ranked, conditions, viaConfigurations))} THEN ${scope}`;
  };
  // CASE stops at the first scope that has a row (D1 also caps compound SELECTs, so no UNION). drizzle has no
  // SELECT without a FROM: a one-row subquery stands in for it (as in options.ts).
  const [row] = await db
    .select({
      scope: sql<MeterScope | null>`CASE ${sql.join(
        DEFAULT_ENERGY_SCOPES.map((s) => probe(s)),
        sql` `,
      )} END`,
    })
    .from(sql`(SELECT 1)`);
  return row?.scope ?? null;
}
