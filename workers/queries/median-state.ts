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
import { METRIC_IDS } from "@edgebench/contract";
import { storedByThisBatch } from "./ingest-guard.js";
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
 * The statements' text, built once: it depends on nothing but FIGURE_COLUMNS.
 * It goes out with every upload's D1 batch, so it is kept short (the first
 * version, one ~58 KB statement of four nested CTEs per figure, was the bulk
 * of what the D1 client serialised per upload). The arithmetic is written
 * once over the 20 figure rows of configuration_medians; only what must
 * name a column is per figure, dispatched by `CASE figure`: the counts and
 * the walks, each a seek in runs_median_<column>. The steps pass their
 * results on through the state rows themselves (one statement per step, in
 * the same batch, so one transaction), which also keeps every statement
 * cheap to prepare (a single statement whose CTEs were referenced from
 * every figure took SQLite ~2 s to compile). SQLite refuses correlated
 * OFFSETs, so a walk reads its offset from a one-row subquery on a small
 * MATERIALIZED CTE of the state rows (`q WHERE f='<figure>'`, not
 * correlated). Values bind as numbered parameters: ?1 the configuration,
 * ?2 the upload's submission id, ?3 its ingest token.
 *
 * 1. start: per figure, n = the new count, lo = the old lo (NULL when the
 *    state is missing or stale: the walk then starts below every value),
 *    below = how many values are below the old lo now;
 * 2. walk: lo = the value at the new middle rank r = (n-1)/2, walked up
 *    from the old lo by r-below entries or down by below-1-r; the old lo is
 *    kept in `median` for the next step;
 * 3. below: moved by the count of values between the old and the new lo;
 * 4. median: lo for an odd count, else the middle of lo and the value at
 *    rank r+1 (walked up from lo).
 */
function medianStateTexts(): string[] {
  const cols = FIGURE_COLUMNS;
  const byFigure = (f: (c: string) => string, on = "m.figure") => `CASE ${on} ${cols.map((c) => `WHEN '${c}' THEN ${f(c)}`).join(" ")} END`;
  const text = (q: SQL) => dialect.sqlToQuery(q).sql;
  // The configuration's visible values of column c: a range of runs_median_<c>. That index is partial (c IS NOT
  // NULL); a comparison on c implies it for SQLite's planner, so the term is written only where there is none.
  const range = (c: string, what: string, where = "") =>
    `(SELECT ${what} FROM runs WHERE configuration_id=?1 AND visible=1 AND ${where ? where.slice(5) : `${c} IS NOT NULL`})`;
  // The offsets of the walks, per figure, read once from the state rows into q (one-row reads by figure
  // are not correlated, so they may stand in an OFFSET). The statements reading q never change n or below.
  const offsets = (cols: Record<string, string>) =>
    `WITH q AS MATERIALIZED(SELECT figure f,${Object.entries(cols).map(([name, expr]) => `${expr} ${name}`).join(",")} FROM configuration_medians WHERE configuration_id=?1) `;
  const own = (c: string, name: string) => `(SELECT ${name} FROM q WHERE f='${c}')`;
  const NEG_INF = "-1e999";
  // The guard of ingest's count updates: 1 only in the batch whose INSERT stored the upload as visible.
  const ok = text(storedByThisBatch(sql.raw("?2"), sql.raw("?3"), true));
  const start =
    // e is NULL when the configuration row does not exist (an upload refused by admission): nothing is written.
    `WITH RECURSIVE k AS MATERIALIZED(SELECT ${ok} ok,(SELECT median_epoch FROM configurations WHERE id=?1) e),` +
    // This upload's own rows of the configuration (primary key on submission_id; `+` keeps SQLite off the configuration indexes).
    "o AS MATERIALIZED(SELECT * FROM runs WHERE submission_id=?2 AND +configuration_id=?1)," +
    `ix(i) AS(SELECT 0 UNION ALL SELECT i+1 FROM ix WHERE i<${cols.length - 1}),` +
    `f AS(SELECT CASE i ${cols.map((c, i) => `WHEN ${i} THEN '${c}'`).join(" ")} END figure FROM ix) ` +
    "INSERT INTO configuration_medians(configuration_id,figure,epoch,n,lo,below) " +
    `SELECT ?1,f.figure,k.e,CASE WHEN m.n IS NULL THEN ${byFigure((c) => range(c, "COUNT(*)"), "f.figure")} ` +
    `ELSE m.n+k.ok*${byFigure((c) => `(SELECT COUNT(${c}) FROM o)`, "f.figure")} END,m.lo,` +
    `CASE WHEN m.lo IS NULL THEN 0 ELSE m.below+k.ok*${byFigure((c) => `(SELECT COUNT(*) FROM o WHERE ${c}<m.lo)`, "f.figure")} END ` +
    "FROM f JOIN k LEFT JOIN configuration_medians m ON m.configuration_id=?1 AND m.figure=f.figure AND m.epoch=k.e WHERE k.e IS NOT NULL " +
    "ON CONFLICT(configuration_id,figure) DO UPDATE SET epoch=excluded.epoch,n=excluded.n,lo=excluded.lo,below=excluded.below";
  const walk =
    offsets({ u: "(n-1)/2-below", d: "below-1-(n-1)/2" }) +
    `UPDATE configuration_medians AS m SET median=lo,lo=CASE WHEN n=0 THEN NULL WHEN (n-1)/2>=below THEN ` +
    byFigure((c) => range(c, c, ` AND ${c}>=COALESCE(m.lo,${NEG_INF}) ORDER BY ${c} LIMIT 1 OFFSET${own(c, "u")}`)) +
    " ELSE " +
    byFigure((c) => range(c, c, ` AND ${c}<m.lo ORDER BY ${c} DESC LIMIT 1 OFFSET${own(c, "d")}`)) +
    " END WHERE configuration_id=?1";
  // Here `median` holds the old lo and `lo` the new one.
  const lo0 = `COALESCE(m.median,${NEG_INF})`;
  const below =
    `UPDATE configuration_medians AS m SET below=CASE WHEN lo IS NULL THEN 0 ELSE below+(CASE WHEN lo>=${lo0} THEN 1 ELSE -1 END)*` +
    byFigure((c) => range(c, "COUNT(*)", ` AND ${c}>=min(${lo0},m.lo) AND ${c}<max(${lo0},m.lo)`)) +
    " END WHERE configuration_id=?1";
  const hi = byFigure((c) => range(c, c, ` AND ${c}>=m.lo ORDER BY ${c} LIMIT 1 OFFSET${own(c, "h")}`));
  const median =
    offsets({ h: "(n-1)/2+1-below" }) +
    `UPDATE configuration_medians AS m SET median=CASE WHEN n=0 THEN NULL WHEN n%2=1 THEN lo ELSE ${text(middle(sql.raw("lo"), sql.raw(hi)))} END ` +
    "WHERE configuration_id=?1";
  return [start, walk, below, median];
}

let MEDIAN_STATE_SQL: string[] | undefined;

/**
 * The statements that bring configuration_medians up to date for one
 * configuration after an upload (rebuilding its state first when stale), in
 * this order in one batch. The
 * upload's values count only when its submission row carries `token` and is
 * visible (the batch that stored it); the text is the same for every call,
 * only the three values differ. Without a configuration row nothing is
 * written; a refused upload rewrites the same values.
 */
export function updateMedianState(configId: string, upload: MedianUpload): Rendered[] {
  MEDIAN_STATE_SQL ??= medianStateTexts();
  const params = [configId, upload.id, upload.token];
  // Each statement binds only the parameters it names (D1 checks the count).
  return MEDIAN_STATE_SQL.map((sql, i) => ({ sql, params: i === 0 ? params : [configId] }));
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
