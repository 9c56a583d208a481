/**
 * Configuration medians kept up to date by ingest in O(log n) per figure.
 *
 * SQLite has no order-statistic index: the k-th value of a configuration's
 * column is an OFFSET walk over k index entries, so recomputing a median
 * from scratch costs half the configuration (20 figure columns x ~700 runs
 * per upload at 100,000 results: ~6 ms of D1 time per upload). Instead
 * `configuration_medians` remembers, per configuration and figure, where the
 * median stands: `n` values, `lo` = the value at rank floor((n-1)/2), and
 * `below` = how many values are smaller than `lo`. An upload adds k values
 * (usually one), so the new middle rank is within a few positions of `lo`:
 * it is found by walking from `lo` in the column's index (runs_median_<col>:
 * configuration, visible, value), a seek plus a walk over the values between
 * (ties and the upload's own values), and `below` moves by a count over the
 * same short range. Exact, not an estimate: ranks are counted, never guessed.
 *
 * The state is valid while its epoch equals configurations.median_epoch;
 * moderation's full recompute (recomputeConfiguration) bumps the epoch, and
 * the next upload to the configuration (or the bench's bulk load) rebuilds
 * the state from scratch with the same statement: an OFFSET walk, once.
 *
 * SQLite refuses correlated LIMIT/OFFSET expressions, so every step is a
 * MATERIALIZED one-row CTE and the walks read their offsets from it.
 */
import { sql, type SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { METRIC_IDS } from "../../uploader/src/contract/metrics.js";
import type { Rendered } from "./sql-template.js";

/** Every figure column of runs/configurations: `<metric>` and `<metric>_sd`. */
export const FIGURE_COLUMNS: readonly string[] = METRIC_IDS.flatMap((id) => [id, `${id}_sd`]);

/**
 * The median of two middle values, written once for both paths so the
 * incremental and the full recompute give the same double, bit for bit.
 */
export const middle = (lo: SQL, hi: SQL) => sql`(${lo} + ${hi}) / 2`;

/** The upload whose runs the batch just inserted, and the ingest token its INSERT carried. */
export interface MedianUpload {
  id: string;
  token: string;
}

const dialect = new SQLiteAsyncDialect();

/**
 * The statement's text, built once: it depends on nothing but FIGURE_COLUMNS.
 * It goes out with every upload's D1 batch, so it is kept short (the first
 * version, ~58 KB of four nested CTEs per figure, was the bulk of what the
 * D1 client serialised per upload). The arithmetic is written once over 20
 * rows (one per figure, `i`); only what must name a column is per figure:
 * its value range (a NOT MATERIALIZED CTE v<i> that SQLite inlines into each
 * use, so every walk still seeks runs_median_<column>), and, dispatched by
 * `CASE i`, the counts and the walks. SQLite refuses correlated OFFSETs, so
 * a walk reads its offset from a one-row subquery on a MATERIALIZED step
 * (`WHERE i=<i>`, not correlated). Values bind as numbered parameters: ?1
 * the configuration, ?2 the upload's submission id, ?3 its ingest token.
 *
 * Steps, per figure: s = the new count n1, the old lo (lo0; -Inf when there
 * is no valid state, so a walk from it starts at the smallest value), ba =
 * how many values are below lo0 now, r = (n1-1)/2 the new middle rank;
 * w = lo1, the value at rank r, walked up from lo0 by r-ba entries or down
 * by ba-1-r; t = b1, how many values are below lo1 (ba moved by the count
 * between lo0 and lo1); then the median: lo1 for an odd count, else the
 * middle of lo1 and the value at rank r+1 (walked up from lo1).
 */
function medianStateText(): string {
  const cols = FIGURE_COLUMNS;
  const each = (f: (c: string, i: number) => string) => `CASE i ${cols.map((c, i) => `WHEN ${i} THEN ${f(c, i)}`).join(" ")} END`;
  const text = (q: SQL) => dialect.sqlToQuery(q).sql;
  // The guard of ingest's count updates (insertedVisible in ingest.ts): 1 only in the batch whose INSERT stored the upload as visible.
  const ok = "EXISTS(SELECT 1 FROM submissions WHERE id=?2 AND ingest_token=?3 AND status='visible')";
  const ctes = [
    // e is NULL when the configuration row does not exist (an upload refused by admission): nothing is written.
    `k AS MATERIALIZED(SELECT ${ok} ok,(SELECT median_epoch FROM configurations WHERE id=?1) e)`,
    // This upload's own rows of the configuration (primary key on submission_id; `+` keeps SQLite off the configuration indexes).
    `o AS MATERIALIZED(SELECT * FROM runs WHERE submission_id=?2 AND +configuration_id=?1)`,
    // The configuration's visible values of each figure column: a range of runs_median_<column>.
    ...cols.map((c, i) => `v${i}(x) AS NOT MATERIALIZED(SELECT ${c} FROM runs WHERE configuration_id=?1 AND visible=1 AND ${c} IS NOT NULL)`),
    `ix(i) AS(SELECT 0 UNION ALL SELECT i+1 FROM ix WHERE i<${cols.length - 1})`,
    `f AS(SELECT i,${each((c) => `'${c}'`)} f FROM ix)`,
    // The state before (m.n NULL when missing or stale: rebuilt from the start) and the upload's values in it.
    `a AS(SELECT i,f,CASE WHEN m.n IS NULL THEN ${each((_, i) => `(SELECT COUNT(*) FROM v${i})`)} ` +
      `ELSE m.n+k.ok*${each((c) => `(SELECT COUNT(${c}) FROM o)`)} END n1,` +
      `CASE WHEN m.lo IS NULL THEN -1e999 ELSE m.lo END lo0,` +
      `CASE WHEN m.lo IS NULL THEN 0 ELSE m.below+k.ok*${each((c) => `(SELECT COUNT(*) FROM o WHERE ${c}<m.lo)`)} END ba ` +
      "FROM f JOIN k LEFT JOIN configuration_medians m ON m.configuration_id=?1 AND m.figure=f.f AND m.epoch=k.e)",
    "s AS MATERIALIZED(SELECT *,(n1-1)/2 r FROM a)",
    `w AS MATERIALIZED(SELECT i,CASE WHEN n1=0 THEN NULL WHEN r>=ba THEN ` +
      each((_, i) => `(SELECT x FROM v${i} WHERE x>=s.lo0 ORDER BY x LIMIT 1 OFFSET(SELECT r-ba FROM s WHERE i=${i}))`) +
      " ELSE " +
      each((_, i) => `(SELECT x FROM v${i} WHERE x<s.lo0 ORDER BY x DESC LIMIT 1 OFFSET(SELECT ba-1-r FROM s WHERE i=${i}))`) +
      " END lo1 FROM s)",
    `t AS MATERIALIZED(SELECT s.*,lo1,CASE WHEN lo1 IS NULL THEN 0 ELSE ba+(CASE WHEN lo1>=lo0 THEN 1 ELSE -1 END)*` +
      each((_, i) => `(SELECT COUNT(*) FROM v${i} WHERE x>=min(lo0,lo1) AND x<max(lo0,lo1))`) +
      " END b1 FROM s JOIN w USING(i))",
  ];
  const hi = each((_, i) => `(SELECT x FROM v${i} WHERE x>=t.lo1 ORDER BY x LIMIT 1 OFFSET(SELECT r+1-b1 FROM t WHERE i=${i}))`);
  return `WITH RECURSIVE ${ctes.join(",")} ` +
    "INSERT INTO configuration_medians(configuration_id,figure,epoch,n,lo,below,median) " +
    `SELECT ?1,f,k.e,n1,lo1,b1,CASE WHEN n1=0 THEN NULL WHEN n1%2=1 THEN lo1 ELSE ${text(middle(sql.raw("lo1"), sql.raw(hi)))} END ` +
    "FROM t JOIN k WHERE k.e IS NOT NULL " +
    "ON CONFLICT(configuration_id,figure) DO UPDATE SET epoch=excluded.epoch,n=excluded.n,lo=excluded.lo,below=excluded.below,median=excluded.median";
}

let MEDIAN_STATE_SQL: string | undefined;

/**
 * The statement that brings configuration_medians up to date for one
 * configuration after an upload (or, with upload null, rebuilds stale state
 * and otherwise leaves it as it is). The upload's values count only when
 * its submission row carries `token` and is visible (the batch that stored
 * it); the text is the same for every call, only the three values differ.
 */
export function updateMedianState(configId: string, upload: MedianUpload | null): Rendered {
  MEDIAN_STATE_SQL ??= medianStateText();
  return { sql: MEDIAN_STATE_SQL, params: [configId, upload?.id ?? null, upload?.token ?? null] };
}

/** `<figure> = <its median from configuration_medians>` for every figure column (after updateMedianState). */
export function mediansFromState(): SQL[] {
  return FIGURE_COLUMNS.map(
    (column) =>
      sql`${sql.raw(column)} = (SELECT median FROM configuration_medians WHERE configuration_id = (SELECT id FROM cfg) AND figure = ${sql.raw(`'${column}'`)})`,
  );
}

/**
 * The median state of every configuration at once, one statement per figure
 * column (window functions over all visible runs): what updateMedianState
 * would build from scratch, configuration by configuration, in one sort per
 * column. For bulk loads (bench/load.ts seeds 100,000 results); figures with
 * no value in a configuration get no row, which the next upload builds.
 */
export function rebuildAllMedianStates(): SQL[] {
  return FIGURE_COLUMNS.map((column) => {
    const c = sql.raw(column);
    return sql`INSERT INTO configuration_medians (configuration_id, figure, epoch, n, lo, below, median)
      SELECT r.configuration_id, ${sql.raw(`'${column}'`)}, cf.median_epoch, r.n, r.lo, r.below,
        CASE WHEN r.n % 2 = 1 THEN r.lo ELSE ${middle(sql`r.lo`, sql`r.hi`)} END
      FROM (SELECT configuration_id, n, x AS lo, rk - 1 AS below, nxt AS hi, rn FROM (
          SELECT configuration_id, ${c} AS x,
            ROW_NUMBER() OVER w AS rn, RANK() OVER w AS rk, COUNT(*) OVER (PARTITION BY configuration_id) AS n,
            LEAD(${c}) OVER w AS nxt
          FROM runs WHERE configuration_id IS NOT NULL AND visible = 1 AND ${c} IS NOT NULL
          WINDOW w AS (PARTITION BY configuration_id ORDER BY ${c}))
        WHERE rn = (n + 1) / 2) r
      JOIN configurations cf ON cf.id = r.configuration_id
      WHERE true
      ON CONFLICT (configuration_id, figure) DO UPDATE SET
        epoch = excluded.epoch, n = excluded.n, lo = excluded.lo, below = excluded.below, median = excluded.median`;
  });
}
