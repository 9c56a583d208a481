/**
 * Storing a planned upload: one D1 batch (one round trip, one transaction)
 * that inserts the document, its runs and whatever board, model and
 * configuration rows are new, appends the runs' figures to their
 * configurations' value lists, moves the catalogue counts by this one upload
 * (workers/aggregate/catalogue-counts.ts), marks the upload's configurations
 * pending for the aggregation step, and bumps the registry version.
 *
 * The configuration figures are not computed here: the aggregation step
 * (workers/aggregate/configurations.ts) recomputes a pending configuration
 * from its runs right after the response (ctx.waitUntil), so an upload's
 * cost does not depend on how many runs its configuration already has.
 */
import type { ComputedMetrics } from "@edgebench/contract";
import { and, eq, getTableColumns, inArray, is, SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import {
  boards,
  configurations,
  configurationValues,
  contributors,
  modelFamilies,
  models,
  retiredBuilds,
  runs,
  submissions,
} from "../../db/schema.js";
import { addUpload, storedByThisBatch, type Upload } from "../aggregate/catalogue-counts.js";
import { bumpRegistryVersion } from "../cache/version.js";
import { type Db, statement } from "../db.js";
import { matchingRule, versionKey } from "../moderation/build-rules.js";
import type { Admission } from "./admission.js";
import type { IngestPlan } from "./plan.js";

/**
 * `SELECT <every column of the row> WHERE <guard>`, for an INSERT ... SELECT:
 * the row is written only when the guard holds (drizzle's insert builds the
 * column list; this supplies the values in the same order, missing ones
 * taking the column's default as drizzle's own insert does). The WHERE also
 * keeps SQLite's parser from reading a following ON CONFLICT as a join.
 */
function guardedRow<T extends SQLiteTable>(table: T, row: { [K in keyof T["$inferInsert"]]: T["$inferInsert"][K] | SQL }, guard: SQL): SQL {
  const values = Object.entries(getTableColumns(table)).map(([key, col]) => {
    const v = (row as Record<string, unknown>)[key];
    if (is(v, SQL)) return sql`(${v})`;
    if (v !== undefined) return sql.param(v, col);
    return col.hasDefault && col.default !== undefined ? sql.param(col.default, col) : sql`NULL`;
  });
  return sql`SELECT ${sql.join(values, sql`, `)} WHERE ${guard}`;
}

/** Metric rows per statement: four parameters each, and D1 binds at most 100 per statement. */
const VALUES_PER_STATEMENT = 20;

/**
 * Appends a run's figures to its configuration's value lists
 * (configuration_values): the decimal text JavaScript prints for a double is
 * exact, and string concatenation keeps it so.
 */
export function appendValues(db: Db, configurationId: string, figures: ComputedMetrics, guard: SQL) {
  const rows = Object.entries(figures).map(
    ([metric, f]) => sql`(${configurationId}, ${metric}, ${String(f!.value)}, ${f!.stddev === undefined ? "" : String(f!.stddev)})`,
  );
  const v = configurationValues;
  const statements = [];
  for (let i = 0; i < rows.length; i += VALUES_PER_STATEMENT) {
    statements.push(
      db
        .insert(v)
        // column1..column4 are SQLite's names for a VALUES list's columns; the insert's column list is the table's, in order.
        .select(
          sql`SELECT column1, column2, column3, column4 FROM (VALUES ${sql.join(rows.slice(i, i + VALUES_PER_STATEMENT), sql`, `)}) WHERE ${guard}`,
        )
        .onConflictDoUpdate({
          target: [v.configurationId, v.metric],
          set: {
            figureValues: sql`${v.figureValues} || ',' || excluded.figure_values`,
            stddevValues: sql`CASE WHEN excluded.stddev_values = '' THEN ${v.stddevValues} WHEN ${v.stddevValues} = '' THEN excluded.stddev_values
              ELSE ${v.stddevValues} || ',' || excluded.stddev_values END`,
          },
        }),
    );
  }
  return statements;
}

/** The retirement rule (workers/moderation/build-rules.ts) that matched a stored upload's build. */
export interface Retirement {
  ruleId: string;
  reason: string;
}

export interface Stored {
  /** The admission statements' results, for its verdict. */
  admission: D1Result[];
  /** Set when this batch stored the upload and a retirement rule matched its build: stored, but not ranked. */
  retired: Retirement | null;
}

/**
 * Stores a planned upload. Safe to repeat. With `admission` (the route), the
 * batch starts with its statements and every insert is guarded by it, and
 * their results are returned for its verdict; without (tests, the bench's bulk
 * load), the upload is written unconditionally.
 *
 * Whether a retirement rule matches the upload's build is decided in the
 * batch, against the rules committed when it runs (so a rule created while the
 * upload was verified still applies); a retired upload is stored with its
 * runs not visible and changes no configuration.
 */
export async function storeSubmission(db: Db, plan: IngestPlan, admission?: Admission): Promise<Stored> {
  const guard = admission?.guard ?? sql`1`;
  const at = plan.receivedAt;
  const token = plan.submission.ingestToken ?? crypto.randomUUID();
  const s = plan.submission;
  const retiredRule = matchingRule(db, s.runtimeName, s.llamaCppCommit ?? null, versionKey(s.runtimeVersion));
  // A run counts when its result is visible and not retired: read from the row this batch stores just before.
  const counted = sql`SELECT ${submissions.status} = 'visible' AND ${submissions.retiredRule} IS NULL FROM ${submissions} WHERE ${eq(submissions.id, plan.id)}`;
  const upload: Upload = { id: plan.id, publicKey: plan.publicKey, boardId: plan.board.id, token };
  const families = new Map([...plan.models.values()].map((m) => [m.slug, m.name]));
  const configIds = [...plan.configurations.keys()];
  const lastSeen = (table: typeof contributors | typeof boards | typeof models) => ({
    lastSeenAt: sql`excluded.${sql.identifier(table.lastSeenAt.name)}`,
  });

  // RETURNING: a row only when this batch stored the upload, with its retirement if any (read back by name from D1's row).
  const submissionInsert = db
    .insert(submissions)
    .select(guardedRow(submissions, { ...s, ingestToken: token, retiredRule }, guard))
    .onConflictDoNothing()
    .returning({
      ruleId: sql<string | null>`${submissions.retiredRule}`.as("rule_id"),
      reason: sql<string | null>`(SELECT ${retiredBuilds.reason} FROM ${retiredBuilds} WHERE ${retiredBuilds.id} = ${submissions.retiredRule})`.as(
        "rule_reason",
      ),
    });

  const writes = [
    db
      .insert(contributors)
      .select(
        guardedRow(
          contributors,
          { publicKey: plan.publicKey, fingerprint: plan.fingerprint, displayName: plan.displayName, firstSeenAt: at, lastSeenAt: at },
          guard,
        ),
      )
      // The key holder signed the new name; keep the old one when the document carries none.
      .onConflictDoUpdate({
        target: contributors.publicKey,
        set: { ...lastSeen(contributors), displayName: sql`COALESCE(excluded.display_name, ${contributors.displayName})` },
      }),
    db
      .insert(boards)
      .select(
        guardedRow(boards, { id: plan.board.id, name: plan.board.name, inCatalogue: plan.board.inCatalogue, firstSeenAt: at, lastSeenAt: at }, guard),
      )
      .onConflictDoUpdate({ target: boards.id, set: lastSeen(boards) }),
    ...[...plan.models.values()].map((m) =>
      db
        .insert(models)
        .select(guardedRow(models, m, guard))
        .onConflictDoUpdate({ target: models.id, set: lastSeen(models) }),
    ),
    ...[...families].map(([slug, name]) =>
      db
        .insert(modelFamilies)
        .select(guardedRow(modelFamilies, { slug, name }, guard))
        .onConflictDoNothing(),
    ),
    ...[...plan.configurations.values()].map((c) =>
      db
        .insert(configurations)
        .select(guardedRow(configurations, c, guard))
        .onConflictDoNothing(),
    ),
    submissionInsert,
    // One statement per run: D1 binds at most 100 parameters per statement.
    ...plan.runs.map((r) =>
      db
        .insert(runs)
        .select(guardedRow(runs, { ...r, visible: counted }, guard))
        .onConflictDoNothing(),
    ),
    // Each run's figures onto its configuration's value lists, only when this batch stored the upload as ranked.
    ...plan.runs.flatMap((r) => (r.configurationId ? appendValues(db, r.configurationId, r.figures, storedByThisBatch(db, upload, "ranked")) : [])),
    ...addUpload(db, upload, [...plan.models.keys()], [...families.keys()]),
    // The aggregation step's work list: only an upload this batch stored ranked changes a configuration.
    ...(configIds.length
      ? [
          db
            .update(configurations)
            .set({ pendingSeq: sql`${configurations.pendingSeq} + 1` })
            .where(and(inArray(configurations.id, configIds), storedByThisBatch(db, upload, "ranked"))),
        ]
      : []),
    // Only a batch that stored the upload changes what readers see: a duplicate or a refused upload keeps the caches.
    bumpRegistryVersion(db, storedByThisBatch(db, upload, "stored")),
  ];
  const first = admission?.statements ?? [];
  const d1 = db.$client;
  const results = await d1.batch([...first, ...writes.map((w) => statement(d1, w))]);
  const insertAt = first.length + writes.indexOf(submissionInsert);
  const row = (results[insertAt]?.results ?? [])[0] as { rule_id: string | null; rule_reason: string | null } | undefined;
  return {
    admission: results.slice(0, first.length),
    retired: row?.rule_id ? { ruleId: row.rule_id, reason: row.rule_reason ?? "" } : null,
  };
}
