/**
 * Retiring a runtime build: a rule (./build-rules.ts says when one matches)
 * takes the results of that build out of the rankings and keeps them stored
 * and readable; deleting the rule brings them back unless another rule still
 * matches. Every rule change is logged in moderation_log.
 *
 * A rule change and its effect are ONE D1 batch: the rule's row, the log
 * entry, the re-match of the runtime's stored results (`rematch`), their runs'
 * visibility (a run counts when its submission is visible AND not retired, so
 * a hidden result stays hidden whatever the rules do) and the configurations
 * whose counted runs changed, marked stale exactly as moderation marks them;
 * then the aggregation step recomputes those before the answer.
 *
 * The re-match reads the runtime's distinct versions first (each one's sort
 * key is bound into the batch, see versionKey). An upload of a version not
 * yet seen that lands between that read and the batch decided its own
 * retirement in its own batch, against the rules of that moment; the versions
 * are read again after the batch and any new one is re-matched too.
 */
import { and, eq, inArray, isNotNull, type SQL, sql } from "drizzle-orm";
import { configurations, moderationLog, type RetiredBuildRow, retiredBuilds, runs, submissions } from "../../db/schema.js";
import { aggregateConfigurations } from "../aggregate/configurations.js";
import { bumpRegistryVersion, forgetVersion } from "../cache/version.js";
import { type Db, statement } from "../db.js";
import { matchingRule, versionKey } from "./build-rules.js";

/** A rule as the API shows it. */
export interface RetiredBuildView {
  id: string;
  runtime: string;
  commit: string | null;
  minVersion: string | null;
  maxVersion: string | null;
  reason: string;
  createdAt: string;
}

/** What a new rule says (validated by the route: commit XOR a version range, reason given). */
export interface RetiredBuildInput {
  runtime: string;
  commit: string | null;
  minVersion: string | null;
  maxVersion: string | null;
  reason: string;
}

/** Versions per re-match statement: one bound parameter each (their keys are digits and dots, written inline), D1 binds at most 100. */
const VERSIONS_PER_STATEMENT = 80;

export function ruleView(r: RetiredBuildRow): RetiredBuildView {
  return {
    id: r.id,
    runtime: r.runtime,
    commit: r.llamaCppCommit,
    minVersion: r.minVersion,
    maxVersion: r.maxVersion,
    reason: r.reason,
    createdAt: r.createdAt,
  };
}

export async function listRetiredBuilds(db: Db): Promise<RetiredBuildView[]> {
  const rows = await db.select().from(retiredBuilds).orderBy(retiredBuilds.createdAt, retiredBuilds.id);
  return rows.map(ruleView);
}

/** The runtime's distinct versions among stored results (submissions_runtime, covering). */
async function versionsOf(db: Db, runtime: string): Promise<string[]> {
  const rows = await db.selectDistinct({ v: submissions.runtimeVersion }).from(submissions).where(eq(submissions.runtimeName, runtime));
  return rows.map((r) => r.v);
}

/** A version key as an SQL literal: it holds digits and dots only (versionKey), so it needs no parameter. */
function keyLiteral(version: string): SQL {
  const key = versionKey(version);
  return sql.raw(key === null ? "NULL" : `'${key}'`);
}

/**
 * The statements that bring the runtime's results of `versions` in line with
 * the rules (each result's retired_rule: the oldest matching rule, or NULL),
 * then every run of the runtime in line with its result (counted = visible and
 * not retired), marking the configurations whose counted runs change; those
 * come back from the stale-marking statement (RETURNING).
 */
function rematch(db: Db, runtime: string, versions: readonly string[]) {
  const s = submissions;
  const statements = [];
  for (let i = 0; i < versions.length; i += VERSIONS_PER_STATEMENT) {
    const chunk = versions.slice(i, i + VERSIONS_PER_STATEMENT);
    const keys = sql.join(
      chunk.map((v) => sql`(${v}, ${keyLiteral(v)})`),
      sql`, `,
    );
    const desired = matchingRule(db, s.runtimeName, s.llamaCppCommit, sql`(SELECT key FROM version_keys WHERE version = ${s.runtimeVersion})`);
    statements.push(
      sql`WITH version_keys(version, key) AS (VALUES ${keys})
        UPDATE ${s} SET ${sql.identifier(s.retiredRule.name)} = ${desired}
        WHERE ${s.runtimeName} = ${runtime} AND ${s.runtimeVersion} IN (SELECT version FROM version_keys) AND ${s.retiredRule} IS NOT ${desired}`,
    );
  }
  const counted = sql<number>`(${s.status} = 'visible' AND ${s.retiredRule} IS NULL)`;
  const flags = db
    .select({ id: s.id, counted: counted.as("counted") })
    .from(s)
    .where(eq(s.runtimeName, runtime))
    .as("flags");
  return {
    rewrites: statements,
    stale: db
      .update(configurations)
      // Which runs count changed: the value lists are rebuilt from the runs by the aggregation step (as moderation does).
      .set({ pendingSeq: sql`${configurations.pendingSeq} + 1`, valuesStale: true })
      .where(
        inArray(
          configurations.id,
          db
            .selectDistinct({ id: runs.configurationId })
            .from(s)
            .innerJoin(runs, eq(runs.submissionId, s.id))
            .where(and(eq(s.runtimeName, runtime), isNotNull(runs.configurationId), sql`${runs.visible} IS NOT ${counted}`)),
        ),
      )
      .returning({ id: configurations.id }),
    visibility: db
      .update(runs)
      .set({ visible: sql`${flags.counted}` })
      .from(flags)
      .where(and(eq(runs.submissionId, flags.id), sql`${runs.visible} IS NOT ${flags.counted}`)),
  };
}

type Statement = SQL | { toSQL(): { sql: string; params: unknown[] } };

/**
 * One D1 batch (one transaction) ending with the registry version's bump; the
 * rows each statement returned, in order, as D1 gives them (objects keyed by
 * column name). Through the binding itself: drizzle's batch cannot carry a
 * bound raw statement (the re-match's WITH ... UPDATE).
 */
async function batch(db: Db, statements: Statement[]): Promise<Record<string, unknown>[][]> {
  const d1 = db.$client;
  const results = await d1.batch([...statements, bumpRegistryVersion(db)].map((q) => statement(d1, q)));
  forgetVersion();
  return results.map((r) => (r.results ?? []) as Record<string, unknown>[]);
}

/**
 * Runs `before` (the rule's own rows and log entry), the re-match of the
 * runtime and `after` in one batch, re-matches versions that arrived
 * meanwhile, then re-aggregates the configurations whose counted runs
 * changed. Returns what the `before` and `after` statements returned.
 */
async function applyChange(
  db: Db,
  runtime: string,
  before: Statement[],
  after: Statement[],
): Promise<{ before: Record<string, unknown>[][]; after: Record<string, unknown>[][] }> {
  const versions = await versionsOf(db, runtime);
  const first = rematch(db, runtime, versions);
  const middle = [...first.rewrites, first.stale, first.visibility];
  const results = await batch(db, [...before, ...middle, ...after]);
  const configIds = new Set(results[before.length + first.rewrites.length]!.map((r) => String(r.id)));

  const seen = new Set(versions);
  const late = (await versionsOf(db, runtime)).filter((v) => !seen.has(v));
  if (late.length > 0) {
    const again = rematch(db, runtime, late);
    const more = await batch(db, [...again.rewrites, again.stale, again.visibility]);
    for (const r of more[again.rewrites.length]!) configIds.add(String(r.id));
  }
  await aggregateConfigurations(db, configIds);
  const afterAt = before.length + middle.length;
  return { before: results.slice(0, before.length), after: results.slice(afterAt, afterAt + after.length) };
}

const countOf = (rows: Record<string, unknown>[] | undefined): number => Number(rows?.[0]?.n ?? 0);

/** Results of `runtime` that rule `id` retires (submissions_runtime: the runtime's entries, covering). */
function retiredBy(db: Db, runtime: string, id: string) {
  return db
    .select({ n: sql<number>`count(*)`.as("n") })
    .from(submissions)
    .where(and(eq(submissions.runtimeName, runtime), eq(submissions.retiredRule, id)));
}

/** A random rule id: 16 hex digits. */
function newRuleId(): string {
  return [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Creates a rule and retires the stored results it matches. Returns the rule and how many results it retired. */
export async function createRetiredBuild(db: Db, input: RetiredBuildInput, actor: string): Promise<{ rule: RetiredBuildView; affected: number }> {
  const row: RetiredBuildRow = {
    id: newRuleId(),
    runtime: input.runtime,
    llamaCppCommit: input.commit,
    minVersion: input.minVersion,
    maxVersion: input.maxVersion,
    minVersionKey: input.minVersion === null ? null : versionKey(input.minVersion),
    maxVersionKey: input.maxVersion === null ? null : versionKey(input.maxVersion),
    reason: input.reason,
    createdAt: new Date().toISOString(),
  };
  const count = retiredBy(db, row.runtime, row.id);
  const { after } = await applyChange(
    db,
    row.runtime,
    [db.insert(retiredBuilds).values(row)],
    [
      count,
      db.insert(moderationLog).values({
        at: row.createdAt,
        action: "retire-build",
        targetKind: "retired-build",
        target: row.id,
        reason: row.reason,
        actor,
        affected: sql`(${count})`,
      }),
    ],
  );
  return { rule: ruleView(row), affected: countOf(after[0]) };
}

/**
 * Deletes a rule: the results it retired come back to the rankings unless
 * another rule matches them (then that one retires them). Returns how many
 * results it had retired, or null when there is no such rule.
 */
export async function deleteRetiredBuild(
  db: Db,
  id: string,
  reason: string,
  actor: string,
): Promise<{ rule: RetiredBuildView; affected: number } | null> {
  const rule = await db.select().from(retiredBuilds).where(eq(retiredBuilds.id, id)).get();
  if (!rule) return null;
  const count = retiredBy(db, rule.runtime, id);
  const { before } = await applyChange(
    db,
    rule.runtime,
    [
      count,
      db.insert(moderationLog).values({
        at: new Date().toISOString(),
        action: "unretire-build",
        targetKind: "retired-build",
        target: id,
        reason,
        actor,
        affected: sql`(${count})`,
      }),
      db.delete(retiredBuilds).where(eq(retiredBuilds.id, id)),
    ],
    [],
  );
  return { rule: ruleView(rule), affected: countOf(before[0]) };
}
