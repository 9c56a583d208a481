/**
 * The values the site's filter form offers: only values some visible result
 * has. Read from the small catalogue tables and by index probes, one round
 * trip, so the cost follows the number of boards and models, not of results.
 */
import { BACKENDS, COOLING, type Cooling, METER_SCOPES, type MeterScope } from "@edgebench/contract";
import { and, asc, eq, exists, gt, type SQL, sql } from "drizzle-orm";
import { boards, CONFIG_ACCELERATOR_KINDS, configurationMetrics, configurations, modelFamilies, models } from "../../db/schema.js";
import type { Db } from "../db.js";

export interface FilterOptions {
  models: { id: string; label: string }[];
  quantisations: string[];
  boards: { id: string; label: string }[];
  backends: string[];
  accelerators: string[];
  /** Declared coolings some configuration has. */
  cooling: Cooling[];
  /** Meter scopes with a measured tokens per joule: the ones energy can be ranked within. */
  scopes: Exclude<MeterScope, "none">[];
}

/** The metric whose scopes the scope menu lists (the energy view's). */
const ENERGY_METRIC = "tokens_per_j";

export async function filterOptions(db: Db): Promise<FilterOptions> {
  const c = configurations;
  const listed = (where: ReturnType<typeof eq>) =>
    exists(
      db
        .select({ one: sql`1` })
        .from(c)
        .where(and(where, gt(c.submissionCount, 0))),
    );
  const energyScopes = METER_SCOPES.filter((s): s is Exclude<MeterScope, "none"> => s !== "none");
  const probeList: [string, SQL][] = [
    ...BACKENDS.map((b): [string, SQL] => [`backend:${b}`, listed(eq(c.backend, b))]),
    ...CONFIG_ACCELERATOR_KINDS.map((a): [string, SQL] => [`accelerator:${a}`, listed(eq(c.acceleratorKind, a))]),
    ...COOLING.map((k): [string, SQL] => [`cooling:${k}`, listed(eq(c.cooling, k))]),
    ...energyScopes.map((s): [string, SQL] => [
      `scope:${s}`,
      exists(
        db
          .select({ one: sql`1` })
          .from(configurationMetrics)
          .where(and(eq(configurationMetrics.metric, ENERGY_METRIC), eq(configurationMetrics.rankScope, s))),
      ),
    ]),
  ];
  // Each probe under its own column name: inside a batch D1 returns rows as objects, where equal names would collide.
  const probes = Object.fromEntries(probeList.map(([, q], i) => [`p${i}`, sql<number>`${q}`.as(`p${i}`)]));
  const [families, boardRows, quantisations, present] = await db.batch([
    db
      .select({ id: modelFamilies.slug, label: modelFamilies.name })
      .from(modelFamilies)
      .where(gt(modelFamilies.submissionCount, 0))
      .orderBy(asc(modelFamilies.name)),
    db.select({ id: boards.id, label: boards.name }).from(boards).where(gt(boards.submissionCount, 0)).orderBy(asc(boards.name)),
    db.selectDistinct({ q: models.quantisation }).from(models).where(gt(models.submissionCount, 0)).orderBy(asc(models.quantisation)),
    // drizzle has no SELECT without a FROM: a one-row subquery stands in for it.
    db.select(probes).from(sql`(SELECT 1)`),
  ]);
  const row = (present[0] ?? {}) as Record<string, unknown>;
  const has = (key: string) => Boolean(row[`p${probeList.findIndex(([k]) => k === key)}`]);
  return {
    models: families,
    quantisations: quantisations.map((r) => r.q),
    boards: boardRows,
    backends: BACKENDS.filter((b) => has(`backend:${b}`)),
    accelerators: CONFIG_ACCELERATOR_KINDS.filter((a) => has(`accelerator:${a}`)),
    cooling: COOLING.filter((k) => has(`cooling:${k}`)),
    scopes: energyScopes.filter((s) => has(`scope:${s}`)),
  };
}
