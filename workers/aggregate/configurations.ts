/**
 * The aggregation step: a configuration's figures and counts, recomputed with
 * the contract's own aggregateFigures() (the median per metric) over every
 * visible run's figure. The one place a leaderboard row's figures are made:
 * after uploads (a pass per isolate right after their answers, taking in
 * every upload that lands meanwhile: after-upload.ts), after moderation
 * (awaited, so the moderator's answer already reflects it), from the cron
 * backstop (workers/index.ts), and for the benchmark's bulk load.
 *
 * The figures are read from configuration_values, where every upload's batch
 * appends its runs' figures: one row per metric, so a configuration with a
 * thousand runs costs a few rows, not a thousand runs' figure sets. When
 * moderation changed which runs count (or their figures were recomputed), the
 * configuration is marked values_stale and this step rebuilds its lists from
 * `runs` first. Counts, distinct keys and the latest result come from the
 * runs' covering index, in SQLite.
 *
 * Work list: an upload or a moderation batch moves `pending_seq` of every
 * configuration it changes; a pass reads the configuration's figures and its
 * pending_seq in one transaction (a D1 batch), and writes the result only
 * while pending_seq still has that value, setting aggregated_seq to it. A
 * pass that read before a newer upload therefore writes nothing and the
 * configuration stays pending until a pass that saw every run writes it:
 * concurrent passes never leave an older aggregate behind, and need no lock.
 */
import { type AggregatedMetrics, aggregateFigures, type ComputedMetrics, METRIC_BY_ID, type MetricId, type RunFigures } from "@edgebench/contract";
import { and, asc, count, countDistinct, desc, eq, exists, inArray, max, min, notInArray, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { ANY_SCOPE, configurationMetrics, configurations, configurationValues, runs } from "../../db/schema.js";
import { bumpRegistryVersion, forgetVersion } from "../cache/version.js";
import type { Db } from "../db.js";

/** Configurations per pass: each costs a few statements in the write batch (D1: 1,000 per invocation on Workers Paid). */
export const AGGREGATE_CHUNK = 8;
/** Rows per INSERT of a VALUES list: six parameters each at most, and D1 binds at most 100 per statement. */
const ROWS_PER_INSERT = 15;

type Lists = Partial<Record<MetricId, RunFigures>>;

/** What one configuration's row and figures become. */
export interface ConfigurationAggregate {
  runCount: number;
  submissionCount: number;
  keyCount: number;
  firstSubmittedAt: string | null;
  lastSubmittedAt: string | null;
  /** The newest submission behind the row (ties: the smallest id). */
  latestSubmissionId: string | null;
  metrics: AggregatedMetrics;
}

/** The value lists of a configuration's visible runs' figures (the rebuild of configuration_values). */
export function listsOf(figures: readonly ComputedMetrics[]): Lists {
  const lists: Lists = {};
  for (const f of figures) {
    for (const [id, figure] of Object.entries(f) as [MetricId, NonNullable<ComputedMetrics[MetricId]>][]) {
      const l = lists[id] ?? { values: [], stddevs: [] };
      lists[id] = l;
      l.values.push(figure.value);
      if (figure.stddev !== undefined) l.stddevs.push(figure.stddev);
    }
  }
  return lists;
}

/** A configuration_values list back to numbers (JavaScript parses the text it printed: exact). */
export const parseList = (text: string): number[] => (text === "" ? [] : text.split(",").map(Number));
const printList = (xs: readonly number[]): string => xs.map(String).join(",");

/** True while the configuration's pending_seq is still the one the pass read. */
function stillAt(db: Db, id: string, seq: number): SQL {
  return exists(
    db
      .select({ one: sql`1` })
      .from(configurations)
      .where(and(eq(configurations.id, id), eq(configurations.pendingSeq, seq))),
  );
}

/** `INSERT ... SELECT <VALUES rows> WHERE guard`, chunked: column1.. are SQLite's names for a VALUES list's columns. */
function insertRows(rows: SQL[], columns: number, guard: SQL, insert: (select: SQL) => unknown) {
  const out = [];
  const names = Array.from({ length: columns }, (_, i) => `column${i + 1}`).join(", ");
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    out.push(insert(sql`SELECT ${sql.raw(names)} FROM (VALUES ${sql.join(rows.slice(i, i + ROWS_PER_INSERT), sql`, `)}) WHERE ${guard}`));
  }
  return out;
}

interface Head {
  id: string;
  pendingSeq: number;
  meterScope: string;
  valuesStale: boolean;
}

function writes(db: Db, h: Head, agg: ConfigurationAggregate, rebuilt: Lists | null) {
  const guard = stillAt(db, h.id, h.pendingSeq);
  const m = configurationMetrics;
  const present = Object.keys(agg.metrics) as MetricId[];
  const metricRows = present.map((id) => {
    const f = agg.metrics[id]!;
    const rankScope = METRIC_BY_ID[id].withinMeterScope ? h.meterScope : ANY_SCOPE;
    return sql`(${h.id}, ${id}, ${rankScope}, ${f.value}, ${f.stddev ?? null}, ${f.runs})`;
  });
  const v = configurationValues;
  const valueRows = rebuilt
    ? (Object.entries(rebuilt) as [MetricId, RunFigures][]).map(([id, l]) => sql`(${h.id}, ${id}, ${printList(l.values)}, ${printList(l.stddevs)})`)
    : [];
  return [
    // Rebuilt lists may have lost a metric (moderation hid the only runs with it): clear the old rows first.
    // Otherwise the lists only grew since the last pass, and every metric that had a figure still has one.
    ...(rebuilt
      ? [
          db.delete(v).where(and(eq(v.configurationId, h.id), guard)),
          ...insertRows(valueRows, 4, guard, (select) => db.insert(v).select(select)),
          db.delete(m).where(and(eq(m.configurationId, h.id), present.length ? notInArray(m.metric, present) : undefined, guard)),
        ]
      : []),
    ...insertRows(metricRows, 6, guard, (select) =>
      db
        .insert(m)
        .select(select)
        .onConflictDoUpdate({
          target: [m.configurationId, m.metric],
          set: { rankScope: sql`excluded.rank_scope`, value: sql`excluded.value`, stddev: sql`excluded.stddev`, runs: sql`excluded.runs` },
        }),
    ),
    db
      .update(configurations)
      .set({
        runCount: agg.runCount,
        submissionCount: agg.submissionCount,
        keyCount: agg.keyCount,
        firstSubmittedAt: agg.firstSubmittedAt,
        lastSubmittedAt: agg.lastSubmittedAt,
        latestSubmissionId: agg.latestSubmissionId,
        aggregatedSeq: h.pendingSeq,
        valuesStale: false,
      })
      .where(and(eq(configurations.id, h.id), eq(configurations.pendingSeq, h.pendingSeq))),
  ];
}

/** What a pass read for a chunk of configurations, in one transaction. */
export interface AggregationRead {
  heads: Head[];
  aggregates: Map<string, ConfigurationAggregate>;
  /** The value lists rebuilt from the runs, for the configurations whose lists were stale. */
  rebuilt: Map<string, Lists>;
}

export async function readForAggregation(db: Db, ids: readonly string[]): Promise<AggregationRead> {
  const r = alias(runs, "latest");
  const visibleOf = (table: typeof runs) => and(inArray(table.configurationId, [...ids]), eq(table.visible, true));
  const [heads, counts, values, staleRuns] = await db.batch([
    db
      .select({
        id: configurations.id,
        pendingSeq: configurations.pendingSeq,
        meterScope: configurations.meterScope,
        valuesStale: configurations.valuesStale,
      })
      .from(configurations)
      .where(inArray(configurations.id, [...ids])),
    // From runs_configuration_visible alone (covering): counts, distinct submissions and keys, first and last upload.
    db
      .select({
        id: runs.configurationId,
        runCount: count(),
        submissionCount: countDistinct(runs.submissionId),
        keyCount: countDistinct(runs.publicKey),
        firstSubmittedAt: min(runs.receivedAt),
        lastSubmittedAt: max(runs.receivedAt),
        // The newest submission, ties to the smallest id.
        latestSubmissionId: sql<string | null>`(${db
          .select({ id: r.submissionId })
          .from(r)
          .where(and(eq(r.configurationId, runs.configurationId), eq(r.visible, true)))
          .orderBy(desc(r.receivedAt), asc(r.submissionId))
          .limit(1)})`,
      })
      .from(runs)
      .where(visibleOf(runs))
      .groupBy(runs.configurationId),
    db
      .select()
      .from(configurationValues)
      .where(inArray(configurationValues.configurationId, [...ids])),
    db
      .select({ id: runs.configurationId, figures: runs.figures })
      .from(runs)
      .where(
        and(
          visibleOf(runs),
          inArray(
            runs.configurationId,
            db
              .select({ id: configurations.id })
              .from(configurations)
              .where(and(inArray(configurations.id, [...ids]), eq(configurations.valuesStale, true))),
          ),
        ),
      ),
  ]);
  const lists = new Map<string, Lists>();
  for (const row of values) {
    const l = lists.get(row.configurationId) ?? {};
    lists.set(row.configurationId, l);
    l[row.metric as MetricId] = { values: parseList(row.figureValues), stddevs: parseList(row.stddevValues) };
  }
  const staleFigures = new Map<string, ComputedMetrics[]>();
  for (const row of staleRuns) {
    if (!row.id) continue;
    const list = staleFigures.get(row.id) ?? [];
    staleFigures.set(row.id, list);
    list.push(row.figures);
  }
  const rebuilt = new Map<string, Lists>();
  const aggregates = new Map<string, ConfigurationAggregate>();
  const countsById = new Map(counts.map((c) => [c.id, c]));
  for (const h of heads) {
    let l = lists.get(h.id) ?? {};
    if (h.valuesStale) {
      l = listsOf(staleFigures.get(h.id) ?? []);
      rebuilt.set(h.id, l);
    }
    const c = countsById.get(h.id);
    aggregates.set(h.id, {
      runCount: c?.runCount ?? 0,
      submissionCount: c?.submissionCount ?? 0,
      keyCount: c?.keyCount ?? 0,
      firstSubmittedAt: c?.firstSubmittedAt ?? null,
      lastSubmittedAt: c?.lastSubmittedAt ?? null,
      latestSubmissionId: c?.latestSubmissionId ?? null,
      metrics: aggregateFigures(l),
    });
  }
  return { heads, aggregates, rebuilt };
}

/** Writes what `read` gives, for every configuration whose pending_seq has not moved since (the others stay pending). */
export async function writeAggregation(db: Db, read: AggregationRead): Promise<void> {
  const statements = read.heads.flatMap((h) => writes(db, h, read.aggregates.get(h.id)!, read.rebuilt.get(h.id) ?? null));
  if (statements.length === 0) return;
  await db.batch([...(statements as [(typeof statements)[number], ...typeof statements]), bumpRegistryVersion(db)] as unknown as Parameters<
    Db["batch"]
  >[0]);
  // This isolate's next read asks D1 for the version again, so it shows the new rankings at once.
  forgetVersion();
}

/** Recomputes these configurations (any state, pending or not). Returns how many it was given. */
export async function aggregateConfigurations(db: Db, ids: Iterable<string>): Promise<number> {
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += AGGREGATE_CHUNK) {
    await writeAggregation(db, await readForAggregation(db, unique.slice(i, i + AGGREGATE_CHUNK)));
  }
  return unique.length;
}

/** Configurations waiting for the aggregation step, oldest key first (the partial index configurations_pending). */
export async function pendingConfigurations(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: configurations.id })
    .from(configurations)
    .where(sql`${configurations.aggregatedSeq} < ${configurations.pendingSeq}`)
    .orderBy(asc(configurations.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

export async function pendingCount(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(configurations).where(sql`${configurations.aggregatedSeq} < ${configurations.pendingSeq}`);
  return row?.n ?? 0;
}

/**
 * Aggregates every pending configuration, AGGREGATE_CHUNK at a time, until
 * none is left or `deadlineMs` (Date.now() scale) has passed. Returns how many
 * configurations it recomputed.
 */
export async function aggregatePending(db: Db, deadlineMs = Number.POSITIVE_INFINITY): Promise<number> {
  let done = 0;
  while (Date.now() < deadlineMs) {
    const ids = await pendingConfigurations(db, AGGREGATE_CHUNK);
    if (ids.length === 0) break;
    done += await aggregateConfigurations(db, ids);
  }
  return done;
}
