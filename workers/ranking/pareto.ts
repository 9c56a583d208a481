/**
 * Pareto membership: a configuration is on the front when no other one is at
 * least as good on every axis and strictly better on one. "Good" is each
 * metric's `better` direction from METRICS, never restated here. The
 * candidates are the configurations with every axis measured, under the
 * ranking's filters, of one meter scope when an axis is compared within one
 * (the scope rule of ./scope.ts for the energy axis), else of every scope:
 * the site's Pareto view and chart read them here.
 */
import { METRIC_BY_ID, type MeterScope, type MetricId } from "@edgebench/contract";
import { and, eq, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { ANY_SCOPE, configurationMetrics, configurations } from "../../db/schema.js";
import type { Db } from "../db.js";
import type { RankFilters } from "./query.js";
import { type LeaderboardRow, ROW_COLUMNS } from "./rows.js";
import { filterConditions } from "./scope.js";

/** The configuration columns a chart point or a front member shows (its name and link), as a row has them. */
const POINT_KEYS = [
  "id",
  "boardId",
  "boardName",
  "modelName",
  "quantisation",
  "acceleratorKind",
  "acceleratorName",
  "backend",
  "threads",
  "gpuLayers",
  "latestSubmissionId",
] as const;

/** What a chart point or a front member needs: the configuration's name and the axes' figures, nothing more. */
export type PointRow = Pick<LeaderboardRow, (typeof POINT_KEYS)[number] | "runtime"> & { metrics: Partial<Record<MetricId, number>> };

const POINT_COLUMNS = {
  ...(Object.fromEntries(POINT_KEYS.map((k) => [k, ROW_COLUMNS[k]])) as Pick<typeof ROW_COLUMNS, (typeof POINT_KEYS)[number]>),
  runtime: ROW_COLUMNS.runtimeName,
};

/**
 * Configurations of `scope` with every one of `axes` measured, under the
 * filters, with the `optional` metrics where they have them: one join of the
 * figure rows by primary key, driven by the first axis's rank index range, so
 * the cost is the configurations of the scope that have that figure (an
 * energy axis first keeps it to metered ones), never the runs. A null scope
 * reads every scope; it needs every metric to be one ranked across scopes.
 */
export async function pointsWith(
  db: Db,
  filters: RankFilters,
  scope: MeterScope | null,
  axes: readonly MetricId[],
  optional: readonly MetricId[] = [],
): Promise<PointRow[]> {
  const c = configurations;
  const all = [...axes, ...optional];
  const rankScope = (id: MetricId): string => {
    if (!METRIC_BY_ID[id].withinMeterScope) return ANY_SCOPE;
    if (!scope) throw new Error(`pointsWith: ${id} is compared within one meter scope, and no scope was given`);
    return scope;
  };
  const tables = all.map((_, i) => alias(configurationMetrics, `a${i}`));
  const on = (i: number): SQL => {
    const t = tables[i]!;
    const id = all[i]!;
    return and(eq(t.configurationId, c.id), eq(t.metric, id), eq(t.rankScope, rankScope(id)))!;
  };
  const values = Object.fromEntries(tables.map((t, i) => [`m${i}`, t.value]));
  let q = db
    .select({
      point: POINT_COLUMNS,
      values,
    })
    .from(tables[0]!)
    .innerJoin(c, eq(c.id, tables[0]!.configurationId))
    .$dynamic();
  for (let i = 1; i < all.length; i++) q = i < axes.length ? q.innerJoin(tables[i]!, on(i)) : q.leftJoin(tables[i]!, on(i));
  const first = tables[0]!;
  const rows = await q.where(
    and(
      eq(first.metric, axes[0]!),
      eq(first.rankScope, rankScope(axes[0]!)),
      // A metric ranked across scopes still belongs to this scope's configurations here.
      scope ? eq(c.meterScope, scope) : undefined,
      ...filterConditions({ ...filters, scope: undefined }),
    ),
  );
  return rows.map(({ point, values: v }) => {
    const metrics: Partial<Record<MetricId, number>> = {};
    all.forEach((id, i) => {
      const x = (v as Record<string, number | null>)[`m${i}`];
      if (x !== null && x !== undefined) metrics[id] = x;
    });
    return { ...point, metrics };
  });
}

/** Returns the members of the front among items that have every axis measured. */
export function paretoFront<T>(items: readonly T[], axes: readonly MetricId[], value: (item: T, id: MetricId) => number | undefined): Set<T> {
  // Orient every axis so that larger is better, then drop items missing an axis.
  const sign = axes.map((id) => (METRIC_BY_ID[id].better === "higher" ? 1 : -1));
  const pts: { item: T; v: number[] }[] = [];
  for (const item of items) {
    const v: number[] = [];
    let complete = true;
    axes.forEach((id, i) => {
      const x = value(item, id);
      if (x === undefined || !Number.isFinite(x)) complete = false;
      else v.push(x * sign[i]!);
    });
    if (complete) pts.push({ item, v });
  }
  // Sorted best-first on the first axis (ties broken on the rest), a point can
  // only be dominated by one before it, and only by a front member: O(n * front).
  pts.sort((a, b) => {
    for (let i = 0; i < a.v.length; i++) if (a.v[i] !== b.v[i]) return b.v[i]! - a.v[i]!;
    return 0;
  });
  const front: { item: T; v: number[] }[] = [];
  for (const p of pts) {
    const dominated = front.some((f) => dominates(f.v, p.v));
    if (!dominated) front.push(p);
  }
  return new Set(front.map((f) => f.item));
}

function dominates(a: number[], b: number[]): boolean {
  let strictly = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return false;
    if (a[i]! > b[i]!) strictly = true;
  }
  return strictly;
}
