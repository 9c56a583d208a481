/**
 * The aggregation step: a configuration's figures and counts, recomputed from
 * its visible runs with the contract's own aggregateRuns() (the median per
 * metric). The one place a leaderboard row's figures are made, after an
 * upload (the route runs it in ctx.waitUntil, right after answering), after
 * moderation (awaited, so the moderator's answer already reflects it), from
 * the cron backstop (workers/index.ts: whatever a failed pass left pending),
 * and for the benchmark's bulk load.
 *
 * Work list: an upload or a moderation batch moves `pending_seq` of every
 * configuration it changes; a pass reads the configuration's runs and its
 * pending_seq in one transaction (a D1 batch), and writes the result only
 * while pending_seq still has that value, setting aggregated_seq to it. A
 * pass that read before a newer upload therefore writes nothing and the
 * configuration stays pending until a pass that saw every run writes it:
 * concurrent passes never leave an older aggregate behind, and need no lock.
 */
import { type AggregatedMetrics, aggregateRuns, type ComputedMetrics, METRIC_BY_ID, type MetricId } from "@edgebench/contract";
import { and, asc, count, eq, exists, inArray, notInArray, type SQL, sql } from "drizzle-orm";
import { ANY_SCOPE, configurationMetrics, configurations, runs } from "../../db/schema.js";
import { bumpRegistryVersion, forgetVersion } from "../cache/version.js";
import type { Db } from "../db.js";

/** Configurations per pass: each costs three statements in the write batch (D1: 1,000 per invocation on Workers Paid). */
export const AGGREGATE_CHUNK = 40;
/** Metric rows per INSERT: six parameters each, and D1 binds at most 100 per statement. */
const METRIC_ROWS_PER_INSERT = 15;

interface RunFacts {
  configurationId: string | null;
  submissionId: string;
  publicKey: string;
  receivedAt: string;
  figures: ComputedMetrics;
}

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

/** A configuration's aggregate from its visible runs (pure: the tests compare it with the stored rows). */
export function aggregateConfiguration(visibleRuns: readonly Omit<RunFacts, "configurationId">[]): ConfigurationAggregate {
  let first: string | null = null;
  let last: string | null = null;
  let latest: string | null = null;
  for (const r of visibleRuns) {
    if (first === null || r.receivedAt < first) first = r.receivedAt;
    if (last === null || r.receivedAt > last || (r.receivedAt === last && latest !== null && r.submissionId < latest)) {
      last = r.receivedAt;
      latest = r.submissionId;
    }
  }
  return {
    runCount: visibleRuns.length,
    submissionCount: new Set(visibleRuns.map((r) => r.submissionId)).size,
    keyCount: new Set(visibleRuns.map((r) => r.publicKey)).size,
    firstSubmittedAt: first,
    lastSubmittedAt: last,
    latestSubmissionId: latest,
    metrics: aggregateRuns(visibleRuns.map((r) => r.figures)),
  };
}

/** True while the configuration's pending_seq is still the one the pass read. */
function stillAt(db: Db, id: string, seq: number): SQL {
  return exists(
    db
      .select({ one: sql`1` })
      .from(configurations)
      .where(and(eq(configurations.id, id), eq(configurations.pendingSeq, seq))),
  );
}

function writes(db: Db, id: string, seq: number, meterScope: string, agg: ConfigurationAggregate) {
  const guard = stillAt(db, id, seq);
  const present = Object.keys(agg.metrics) as MetricId[];
  const rows = present.map((m) => {
    const f = agg.metrics[m]!;
    const rankScope = METRIC_BY_ID[m].withinMeterScope ? meterScope : ANY_SCOPE;
    return sql`(${id}, ${m}, ${rankScope}, ${f.value}, ${f.stddev ?? null}, ${f.runs})`;
  });
  const inserts = [];
  for (let i = 0; i < rows.length; i += METRIC_ROWS_PER_INSERT) {
    const values = sql.join(rows.slice(i, i + METRIC_ROWS_PER_INSERT), sql`, `);
    inserts.push(
      db
        .insert(configurationMetrics)
        // column1..column6 are SQLite's names for a VALUES list's columns; the insert's column list is the table's, in order.
        .select(sql`SELECT column1, column2, column3, column4, column5, column6 FROM (VALUES ${values}) WHERE ${guard}`)
        .onConflictDoUpdate({
          target: [configurationMetrics.configurationId, configurationMetrics.metric],
          set: { rankScope: sql`excluded.rank_scope`, value: sql`excluded.value`, stddev: sql`excluded.stddev`, runs: sql`excluded.runs` },
        }),
    );
  }
  return [
    db
      .delete(configurationMetrics)
      .where(and(eq(configurationMetrics.configurationId, id), present.length ? notInArray(configurationMetrics.metric, present) : undefined, guard)),
    ...inserts,
    db
      .update(configurations)
      .set({
        runCount: agg.runCount,
        submissionCount: agg.submissionCount,
        keyCount: agg.keyCount,
        firstSubmittedAt: agg.firstSubmittedAt,
        lastSubmittedAt: agg.lastSubmittedAt,
        latestSubmissionId: agg.latestSubmissionId,
        aggregatedSeq: seq,
      })
      .where(and(eq(configurations.id, id), eq(configurations.pendingSeq, seq))),
  ];
}

/** What a pass read for a chunk of configurations, in one transaction: each one's pending_seq and its visible runs. */
export interface AggregationRead {
  heads: { id: string; pendingSeq: number; meterScope: string }[];
  runs: Map<string, RunFacts[]>;
}

export async function readForAggregation(db: Db, ids: readonly string[]): Promise<AggregationRead> {
  // One batch, one transaction: the runs and the pending_seq they correspond to.
  const [heads, visible] = await db.batch([
    db
      .select({ id: configurations.id, pendingSeq: configurations.pendingSeq, meterScope: configurations.meterScope })
      .from(configurations)
      .where(inArray(configurations.id, [...ids])),
    db
      .select({
        configurationId: runs.configurationId,
        submissionId: runs.submissionId,
        publicKey: runs.publicKey,
        receivedAt: runs.receivedAt,
        figures: runs.figures,
      })
      .from(runs)
      .where(and(inArray(runs.configurationId, [...ids]), eq(runs.visible, true))),
  ]);
  const byConfig = new Map<string, RunFacts[]>();
  for (const r of visible) {
    if (!r.configurationId) continue;
    let list = byConfig.get(r.configurationId);
    if (!list) {
      list = [];
      byConfig.set(r.configurationId, list);
    }
    list.push(r);
  }
  return { heads, runs: byConfig };
}

/** Writes what `read` gives, for every configuration whose pending_seq has not moved since (the others stay pending). */
export async function writeAggregation(db: Db, read: AggregationRead): Promise<void> {
  const statements = read.heads.flatMap((h) => writes(db, h.id, h.pendingSeq, h.meterScope, aggregateConfiguration(read.runs.get(h.id) ?? [])));
  if (statements.length === 0) return;
  await db.batch([...(statements as [(typeof statements)[number], ...typeof statements]), bumpRegistryVersion(db)]);
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
