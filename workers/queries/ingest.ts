/**
 * Writing a submission: one D1 batch (one round trip, one transaction) that
 * inserts the document and its runs and updates every aggregate they touch.
 *
 * Ingest's aggregate statements cost what one upload touches, not what the
 * registry holds: a configuration's medians are read from one small sorted
 * index per figure column (runs_median_<column>, migration 0005), and every
 * count moves by this upload's contribution under insertedVisible, a guard
 * that holds only in the batch whose INSERT stored the submission as
 * visible; so two racing identical uploads insert it once and count it once,
 * a replayed upload counts nothing, and the batch is safe to repeat.
 * Moderation re-runs the full recompute statements (recompute*) after
 * changing a submission's status.
 */
import { getTableColumns, getTableName, is, SQL, sql } from "drizzle-orm";
import { SQLiteAsyncDialect, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { boards, configurations, contributors, modelFamilies, models, runs, submissions } from "../../db/schema.js";
import type { Db } from "../db.js";
import { bumpRegistryVersion } from "../cache/version.js";
import type { IngestPlan } from "../ingest.js";
import type { Admission } from "../security/admission.js";
import { storedByThisBatch } from "./ingest-guard.js";
import { FIGURE_COLUMNS, mediansFromState, middle, updateMedianState } from "./median-state.js";
import { sqlTemplate, type Rendered } from "./sql-template.js";

/** Runs of visible submissions, alias r (with s for the submission). */
const visibleRuns = (where: SQL) =>
  sql`FROM runs r JOIN submissions s ON s.id = r.submission_id WHERE s.status = 'visible' AND ${where}`;


/** The configuration being recomputed, bound once in a CTE (D1 binds at most 100 parameters). */
const THIS_CONFIG = sql`configuration_id = (SELECT id FROM cfg)`;

/** The configuration's visible runs with a value in `column`: the range of index runs_median_<column>. */
const figureRange = (column: string) => sql`FROM runs WHERE ${THIS_CONFIG} AND visible = 1 AND ${sql.raw(column)} IS NOT NULL`;

/**
 * `cfg` (the configuration id) and `n` (one row: per figure column, how many
 * visible runs of the configuration have a value), the CTEs the medians read.
 * Each count is a walk over the configuration's entries in that column's
 * index (runs_median_<column>, covering): no table rows are read.
 */
const MEDIAN_CTES = (configId: string) =>
  sql`cfg(id) AS (SELECT ${configId}), n AS MATERIALIZED (SELECT ${sql.join(
    FIGURE_COLUMNS.map((c) => sql`(SELECT COUNT(*) ${figureRange(c)}) AS ${sql.raw(c)}`),
    sql`, `,
  )})`;

/**
 * Median of one column over the configuration's visible runs. SQLite has no
 * MEDIAN: take the middle one or two values, walking the column's index
 * (runs_median_<column>: configuration, visible, value) in order, so nothing
 * is sorted and no table row is read; the cost is half the configuration's
 * entries in one small index.
 */
function medianOf(column: string): SQL {
  const n = sql`(SELECT ${sql.raw(column)} FROM n)`;
  return sql`(SELECT CASE WHEN COUNT(*) = 2 THEN ${middle(sql`MIN(x)`, sql`MAX(x)`)} ELSE MIN(x) END
    FROM (SELECT ${sql.raw(column)} AS x ${figureRange(column)} ORDER BY ${sql.raw(column)} LIMIT 2 - ${n} % 2 OFFSET (${n} - 1) / 2))`;
}

const medianSets = (): SQL[] => FIGURE_COLUMNS.map((c) => sql`${sql.raw(c)} = ${medianOf(c)}`);

/** The configuration's visible runs, through the covering index runs_configuration_visible. */
const CONFIG_VISIBLE = sql`FROM runs WHERE ${THIS_CONFIG} AND visible = 1`;

/**
 * The full recompute of one configuration's medians and counts from the
 * stored rows (moderation, the bench's bulk load): exact whatever changed.
 * It bumps median_epoch: the ingest's median state for the configuration
 * is stale from here and is rebuilt by the next upload (median-state.ts).
 */
export function recomputeConfiguration(configId: string): SQL {
  const sets = medianSets();
  sets.push(sql`median_epoch = median_epoch + 1`);
  sets.push(sql`run_count = (SELECT COUNT(*) ${CONFIG_VISIBLE})`);
  sets.push(sql`submission_count = (SELECT COUNT(DISTINCT submission_id) ${CONFIG_VISIBLE})`);
  sets.push(sql`key_count = (SELECT COUNT(DISTINCT public_key) ${CONFIG_VISIBLE})`);
  // received_at lives on the submission: from the configuration's visible runs (runs_configuration_visible) to
  // each one's submission by primary key. CROSS JOIN fixes that order: left to itself SQLite walked every
  // visible submission and probed the configuration's runs for each (37 s for a 1,311-run configuration).
  const runsToSubmissions = sql`FROM runs r CROSS JOIN submissions s ON s.id = r.submission_id
    WHERE r.configuration_id = (SELECT id FROM cfg) AND r.visible = 1`;
  sets.push(sql`first_submitted_at = (SELECT MIN(s.received_at) ${runsToSubmissions})`);
  sets.push(sql`last_submitted_at = (SELECT MAX(s.received_at) ${runsToSubmissions})`);
  sets.push(sql`latest_submission_id = (SELECT r.submission_id ${runsToSubmissions} ORDER BY s.received_at DESC, r.submission_id LIMIT 1)`);
  return sql`WITH ${MEDIAN_CTES(configId)} UPDATE configurations SET ${sql.join(sets, sql`, `)} WHERE id = (SELECT id FROM cfg)`;
}

export function recomputeContributor(publicKey: string): SQL {
  return sql`UPDATE contributors SET
    submission_count = (SELECT COUNT(*) FROM submissions WHERE public_key = ${publicKey} AND status = 'visible')
    WHERE public_key = ${publicKey}`;
}

export function recomputeBoard(boardId: string): SQL {
  return sql`UPDATE boards SET
    submission_count = (SELECT COUNT(*) FROM submissions WHERE board_id = ${boardId} AND status = 'visible'),
    key_count = (SELECT COUNT(DISTINCT public_key) FROM submissions WHERE board_id = ${boardId} AND status = 'visible')
    WHERE id = ${boardId}`;
}

/** Visible submissions, keys and boards behind the runs matching `runs`, written to one row of `table`. */
function recomputeRunCounts(table: "models" | "model_families", where: SQL, runs: SQL): SQL {
  const from = visibleRuns(runs);
  return sql`UPDATE ${sql.identifier(table)} SET
    submission_count = (SELECT COUNT(DISTINCT r.submission_id) ${from}),
    key_count = (SELECT COUNT(DISTINCT r.public_key) ${from}),
    board_count = (SELECT COUNT(DISTINCT s.board_id) ${from})
    WHERE ${where}`;
}

export function recomputeModel(modelId: string): SQL {
  return recomputeRunCounts("models", sql`id = ${modelId}`, sql`r.model_id = ${modelId}`);
}

export function recomputeModelFamily(slug: string): SQL {
  return recomputeRunCounts("model_families", sql`slug = ${slug}`, sql`r.model_slug = ${slug}`);
}

/** The upload an ingest batch writes, as the incremental count statements need it. */
interface Upload {
  id: string;
  publicKey: string;
  boardId: string;
  receivedAt: string;
  /** submissions.ingest_token of this request. */
  token: string;
}

/** This batch stored the upload and it is visible: the count updates' guard (ingest-guard.ts). */
const insertedVisible = (u: Upload) => storedByThisBatch(sql`${u.id}`, sql`${u.token}`, true);

/** This batch stored the upload, visible or flagged (it then has a result page). */
const inserted = (u: Upload) => storedByThisBatch(sql`${u.id}`, sql`${u.token}`, false);

/**
 * Ingest only: add one upload to a model's (or model family's) counts instead
 * of recounting every run of the model, which grows with the registry (at
 * 100,000 results the family recount read ~70,000 runs per upload: 0.7 s).
 * Exact, and still safe to repeat: the counts move only under
 * insertedVisible. A key or board counts once: only when no other visible
 * submission of that key / on that board has a run of the model (probed
 * through the key's or the board's submissions, `+` keeping SQLite off the
 * model index). Moderation keeps using the full recompute (recomputeModel/-Family).
 */
function addUploadTo(table: "models" | "model_families", keyColumn: "id" | "slug", runColumn: "model_id" | "model_slug", value: string, u: Upload): SQL {
  const col = sql.raw(`r.${runColumn}`);
  const other = (where: SQL) =>
    sql`EXISTS (SELECT 1 FROM submissions s JOIN runs r ON r.submission_id = s.id WHERE ${where} AND s.status = 'visible' AND s.id <> ${u.id} AND +${col} = ${value})`;
  return sql`UPDATE ${sql.raw(table)} SET
    submission_count = submission_count + 1,
    key_count = key_count + (NOT ${other(sql`s.public_key = ${u.publicKey}`)}),
    board_count = board_count + (NOT ${other(sql`s.board_id = ${u.boardId}`)})
    WHERE ${sql.raw(keyColumn)} = ${value} AND ${insertedVisible(u)}`;
}

/** Ingest only: the contributor's visible count, +1 under insertedVisible (Moderation: recomputeContributor). */
function addUploadToContributor(u: Upload): SQL {
  return sql`UPDATE contributors SET submission_count = submission_count + 1 WHERE public_key = ${u.publicKey} AND ${insertedVisible(u)}`;
}

/**
 * Ingest only: the board's counts, +1 under insertedVisible; the key counts
 * once, when it has no other visible submission on the board (one probe of
 * submissions_board_status_key), instead of counting the board's distinct
 * keys (29,000 index entries for the largest board at 100,000 results).
 */
function addUploadToBoard(u: Upload): SQL {
  return sql`UPDATE boards SET
    submission_count = submission_count + 1,
    key_count = key_count + NOT EXISTS (SELECT 1 FROM submissions WHERE board_id = ${u.boardId} AND status = 'visible' AND public_key = ${u.publicKey} AND id <> ${u.id})
    WHERE id = ${u.boardId} AND ${insertedVisible(u)}`;
}

/**
 * Ingest only: one configuration after an upload added `runCount` of its
 * runs, the second of two statements. The first (updateMedianState) moves
 * the median state: a few index seeks per figure column; this one copies
 * the medians into the configuration row and moves the counts and
 * submission times under insertedVisible (a key counts once: one probe of
 * runs_configuration_visible for another visible submission of the key in
 * this configuration).
 */
function configurationCounts(configId: string, runCount: number, u: Upload): SQL {
  const mine = sql`(SELECT ok FROM mine)`;
  const at = u.receivedAt;
  const sets = mediansFromState();
  sets.push(sql`run_count = run_count + ${mine} * ${runCount}`);
  sets.push(sql`submission_count = submission_count + ${mine}`);
  sets.push(
    sql`key_count = key_count + (${mine} AND NOT EXISTS (SELECT 1 ${CONFIG_VISIBLE} AND public_key = ${u.publicKey} AND submission_id <> ${u.id}))`,
  );
  sets.push(sql`first_submitted_at = CASE WHEN ${mine} AND (first_submitted_at IS NULL OR ${at} < first_submitted_at) THEN ${at} ELSE first_submitted_at END`);
  sets.push(sql`last_submitted_at = CASE WHEN ${mine} AND (last_submitted_at IS NULL OR ${at} > last_submitted_at) THEN ${at} ELSE last_submitted_at END`);
  // Latest: newest received_at, ties to the smallest id (as recomputeConfiguration orders them).
  sets.push(
    sql`latest_submission_id = CASE WHEN ${mine} AND (last_submitted_at IS NULL OR ${at} > last_submitted_at OR (${at} = last_submitted_at AND ${u.id} < latest_submission_id))
      THEN ${u.id} ELSE latest_submission_id END`,
  );
  return sql`WITH cfg(id) AS (SELECT ${configId}), mine(ok) AS MATERIALIZED (SELECT ${insertedVisible(u)})
    UPDATE configurations SET ${sql.join(sets, sql`, `)} WHERE id = (SELECT id FROM cfg)`;
}

const dialect = new SQLiteAsyncDialect();

/** A drizzle query builder, raw SQL or a rendered template as a D1 statement (drizzle's own batch cannot carry raw SQL). */
export function statement(d1: D1Database, q: { toSQL(): { sql: string; params: unknown[] } } | SQL | Rendered): D1PreparedStatement {
  const { sql: text, params } = "toSQL" in q ? q.toSQL() : is(q, SQL) ? dialect.sqlToQuery(q) : q;
  return d1.prepare(text).bind(...params);
}

/**
 * `INSERT INTO <table> (every column) VALUES (?, ...) <conflict>`, its text
 * built once: values bind in column order, a missing value takes the
 * column's default (as drizzle's insert does), booleans bind as 0/1 through
 * the column's own mapping. Per upload this replaces drizzle's per-call
 * query building, which a profile showed costing more than the statements.
 */
function insertTemplate(table: SQLiteTable, conflict: string): (row: Record<string, unknown>, guard?: Rendered) => Rendered {
  const columns = Object.entries(getTableColumns(table));
  const into = `INSERT INTO "${getTableName(table)}" (${columns.map(([, c]) => `"${c.name}"`).join(", ")})`;
  const values = columns.map(() => "?").join(", ");
  return (row, guard) => {
    const params = columns.map(([key, c]) => {
      const v = row[key] ?? (c.hasDefault ? c.default : null) ?? null;
      return v === null ? null : c.mapToDriverValue(v);
    });
    // Guarded: INSERT ... SELECT ... WHERE <guard> (the WHERE also keeps SQLite's upsert parser unambiguous).
    return guard
      ? { sql: `${into} SELECT ${values} WHERE ${guard.sql} ${conflict}`, params: [...params, ...guard.params] }
      : { sql: `${into} VALUES (${values}) ${conflict}`, params };
  };
}

const lastSeen = `DO UPDATE SET "last_seen_at" = excluded."last_seen_at"`;
const INSERT = {
  // The key holder signed the new name; keep the old one when the document carries none.
  contributor: insertTemplate(
    contributors,
    `ON CONFLICT ("public_key") ${lastSeen}, "display_name" = COALESCE(excluded."display_name", "contributors"."display_name")`,
  ),
  board: insertTemplate(boards, `ON CONFLICT ("id") ${lastSeen}`),
  model: insertTemplate(models, `ON CONFLICT ("id") ${lastSeen}`),
  family: insertTemplate(modelFamilies, "ON CONFLICT DO NOTHING"),
  configuration: insertTemplate(configurations, "ON CONFLICT DO NOTHING"),
  submission: insertTemplate(submissions, "ON CONFLICT DO NOTHING"),
  run: insertTemplate(runs, "ON CONFLICT DO NOTHING"),
};

/** The upload's fields as template placeholders (sql-template.ts); an Upload by shape. */
type UploadSlot = keyof Upload;
const UPDATE = {
  contributor: sqlTemplate<UploadSlot>((p) => addUploadToContributor(p)),
  board: sqlTemplate<UploadSlot>((p) => addUploadToBoard(p)),
  model: sqlTemplate<UploadSlot | "value">((p) => addUploadTo("models", "id", "model_id", p.value, p)),
  family: sqlTemplate<UploadSlot | "value">((p) => addUploadTo("model_families", "slug", "model_slug", p.value, p)),
  medianState: (u: Upload & { configId: string }) => updateMedianState(u.configId, { id: u.id, token: u.token }),
  configuration: sqlTemplate<UploadSlot | "configId" | "runCount">((p) => configurationCounts(p.configId, p.runCount as unknown as number, p)),
};

/**
 * Stores a planned submission in one D1 batch (one round trip, one
 * transaction). Safe to repeat. With `admission` (the route), the batch
 * starts with its statements and every insert is guarded by it, and their
 * results are returned for its verdict; without (tests, the bench's bulk
 * load), the upload is written unconditionally.
 */
export async function storeSubmission(db: Db, plan: IngestPlan, admission?: Admission): Promise<D1Result[]> {
  const guard = admission ? dialect.sqlToQuery(admission.guard) : undefined;
  const at = plan.receivedAt;
  const families = new Map([...plan.models.values()].map((m) => [m.slug, m.name]));
  const token = plan.submission.ingestToken ?? crypto.randomUUID();
  const visible = (plan.submission.status ?? "visible") === "visible";
  const upload: Upload = { id: plan.id, publicKey: plan.publicKey, boardId: plan.board.id, receivedAt: at, token };
  const runsPerConfig = new Map<string, number>();
  for (const r of plan.runs) if (r.configurationId) runsPerConfig.set(r.configurationId, (runsPerConfig.get(r.configurationId) ?? 0) + 1);
  const writes: (Rendered | SQL)[] = [
    INSERT.contributor({ publicKey: plan.publicKey, fingerprint: plan.fingerprint, displayName: plan.displayName, firstSeenAt: at, lastSeenAt: at }, guard),
    INSERT.board({ id: plan.board.id, name: plan.board.name, inCatalogue: plan.board.inCatalogue, firstSeenAt: at, lastSeenAt: at }, guard),
    ...[...plan.models.values()].map((m) => INSERT.model(m, guard)),
    ...[...families.entries()].map(([slug, name]) => INSERT.family({ slug, name }, guard)),
    ...[...plan.configurations.values()].map((c) => INSERT.configuration(c, guard)),
    INSERT.submission({ ...plan.submission, ingestToken: token }, guard),
    // One statement per run: a run row has ~50 columns and D1 binds at most 100 parameters per statement.
    ...plan.runs.map((r) => INSERT.run({ ...r, visible }, guard)),
    UPDATE.contributor(upload),
    UPDATE.board(upload),
    ...[...plan.models.keys()].map((m) => UPDATE.model({ ...upload, value: m })),
    ...[...families.keys()].map((f) => UPDATE.family({ ...upload, value: f })),
    ...[...plan.configurations.keys()].flatMap((c) => [
      ...UPDATE.medianState({ ...upload, configId: c }),
      UPDATE.configuration({ ...upload, configId: c, runCount: runsPerConfig.get(c) ?? 0 }),
    ]),
    // Only a batch that stored the upload changes what readers see: a duplicate or a refused upload keeps the caches.
    bumpRegistryVersion(inserted(upload)),
  ];
  const first = admission?.statements ?? [];
  const results = await db.$client.batch([...first, ...writes.map((w) => statement(db.$client, w))]);
  return results.slice(0, first.length);
}
