/**
 * Pareto membership: a configuration is on the front when no other one is at
 * least as good on every axis and strictly better on one. "Good" is each
 * metric's `better` direction from METRICS, never restated here. The
 * candidates are the configurations of one meter scope (the scope rule of
 * ./scope.ts for the energy axis) with every axis measured, under the
 * ranking's filters: the site's Pareto view and chart read them here.
 */
import { METRIC_BY_ID, type MeterScope, type MetricId } from "@edgebench/contract";
import { and, desc, eq, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { ANY_SCOPE, configurationMetrics, configurations } from "../../db/schema.js";
import type { Db } from "../db.js";
import type { RankFilters } from "./query.js";
import type { LeaderboardRow } from "./rows.js";
import { filterConditions } from "./scope.js";

/** What a chart point or a front member needs: the configuration's name and the axes' figures, nothing more. */
export type PointRow = Pick<
  LeaderboardRow,
  | "id"
  | "boardId"
  | "boardName"
  | "modelName"
  | "quantisation"
  | "acceleratorKind"
  | "acceleratorName"
  | "backend"
  | "runtime"
  | "threads"
  | "gpuLayers"
  | "latestSubmissionId"
> & { metrics: Partial<Record<MetricId, number>> };

/**
 * Configurations of `scope` with every one of `axes` measured, under the
 * filters: one join of the axes' figure rows by primary key, ordered by the
 * first axis best first, at most `limit`. The cost is the configurations of
 * the scope that have the first axis (an energy axis first keeps it to
 * metered ones), never the runs.
 */
export async function pointsWith(db: Db, filters: RankFilters, scope: MeterScope, axes: readonly MetricId[], limit = 100_000): Promise<PointRow[]> {
  const c = configurations;
  const tables = axes.map((_, i) => alias(configurationMetrics, `a${i}`));
  const where: SQL[] = [];
  axes.forEach((id, i) => {
    const t = tables[i]!;
    where.push(eq(t.metric, id), eq(t.rankScope, METRIC_BY_ID[id].withinMeterScope ? scope : ANY_SCOPE));
  });
  // A metric ranked across scopes still belongs to this scope's configurations here.
  where.push(eq(c.meterScope, scope), ...filterConditions({ ...filters, scope: undefined }));
  const fields = Object.fromEntries(tables.map((t, i) => [`m${i}`, t.value]));
  let q = db
    .select({
      id: c.id,
      boardId: c.boardId,
      boardName: c.boardName,
      modelName: c.modelName,
      quantisation: c.quantisation,
      acceleratorKind: c.acceleratorKind,
      acceleratorName: c.acceleratorName,
      backend: c.backend,
      runtime: c.runtimeName,
      threads: c.threads,
      gpuLayers: c.gpuLayers,
      latestSubmissionId: c.latestSubmissionId,
      ...fields,
    })
    .from(tables[0]!)
    .innerJoin(c, eq(c.id, tables[0]!.configurationId))
    .$dynamic();
  for (const t of tables.slice(1)) q = q.innerJoin(t, eq(t.configurationId, c.id));
  const first = tables[0]!.value;
  const rows = await q
    .where(and(...where))
    .orderBy(METRIC_BY_ID[axes[0]!].better === "higher" ? desc(first) : first, c.id)
    .limit(limit);
  return rows.map((r) => {
    const metrics: Partial<Record<MetricId, number>> = {};
    axes.forEach((id, i) => {
      metrics[id] = (r as Record<string, unknown>)[`m${i}`] as number;
    });
    const {
      id,
      boardId,
      boardName,
      modelName,
      quantisation,
      acceleratorKind,
      acceleratorName,
      backend,
      runtime,
      threads,
      gpuLayers,
      latestSubmissionId,
    } = r;
    return {
      id,
      boardId,
      boardName,
      modelName,
      quantisation,
      acceleratorKind,
      acceleratorName,
      backend,
      runtime,
      threads,
      gpuLayers,
      latestSubmissionId,
      metrics,
    };
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
