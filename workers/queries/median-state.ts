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
import { METRIC_IDS } from "../../uploader/src/contract/metrics.js";

/** Every figure column of runs/configurations: `<metric>` and `<metric>_sd`. */
export const FIGURE_COLUMNS: readonly string[] = METRIC_IDS.flatMap((id) => [id, `${id}_sd`]);

/**
 * The median of two middle values, written once for both paths so the
 * incremental and the full recompute give the same double, bit for bit.
 */
export const middle = (lo: SQL, hi: SQL) => sql`(${lo} + ${hi}) / 2`;

/** The upload whose runs the batch just inserted; `counts` is 1 when they are this batch's, visible rows. */
export interface MedianUpload {
  id: string;
  counts: SQL;
}

/**
 * The statement that brings configuration_medians up to date for one
 * configuration after an upload (or, with upload null, rebuilds stale state
 * and otherwise leaves it as it is). Needs the CTE names free: cfg, me, mine,
 * ep, and a<i>/b<i>/c<i>/d<i> per figure.
 */
export function updateMedianState(configId: string, upload: MedianUpload | null): SQL {
  const ctes: SQL[] = [
    sql`cfg(id) AS (SELECT ${configId})`,
    sql`me(id) AS (SELECT ${upload?.id ?? null})`,
    sql`mine(ok) AS MATERIALIZED (SELECT ${upload ? upload.counts : sql`0`})`,
    // NULL when the configuration row does not exist (an upload refused by admission): nothing is written.
    sql`ep(e) AS MATERIALIZED (SELECT (SELECT median_epoch FROM configurations WHERE id = (SELECT id FROM cfg)))`,
  ];
  const pick = (column: "figure" | "n1" | "lo1" | "b1" | "median") =>
    sql`CASE i ${sql.join(
      FIGURE_COLUMNS.map((f, i) => sql`WHEN ${sql.raw(String(i))} THEN ${column === "figure" ? sql.raw(`'${f}'`) : sql.raw(`(SELECT ${column} FROM d${i})`)}`),
      sql` `,
    )} END`;
  FIGURE_COLUMNS.forEach((column, i) => {
    const c = sql.raw(column);
    const name = sql.raw(`'${column}'`); // a constant from METRIC_IDS, inlined so the statement's text is the same for every upload
    const [a, b, cc, d] = ["a", "b", "c", "d"].map((p) => sql.raw(`${p}${i}`));
    // The configuration's visible values of this column: a range of runs_median_<column>.
    const R = sql`FROM runs WHERE configuration_id = (SELECT id FROM cfg) AND visible = 1 AND ${c} IS NOT NULL`;
    // This upload's own rows (primary key on submission_id; `+` keeps SQLite off the configuration indexes).
    const own = sql`FROM runs WHERE submission_id = (SELECT id FROM me) AND +configuration_id = (SELECT id FROM cfg) AND ${c} IS NOT NULL`;
    // a: state before (NULL n when missing or stale), the new count, and how many values are below the old lo now.
    ctes.push(sql`${a} AS MATERIALIZED (SELECT
      CASE WHEN m.n IS NULL THEN (SELECT COUNT(*) ${R}) ELSE m.n + (SELECT ok FROM mine) * (SELECT COUNT(*) ${own}) END AS n1,
      m.lo AS lo0,
      CASE WHEN m.n IS NULL THEN 0 ELSE m.below + (SELECT ok FROM mine) * (SELECT COUNT(*) ${own} AND ${c} < m.lo) END AS ba
      FROM (SELECT 1) LEFT JOIN configuration_medians m
        ON m.configuration_id = (SELECT id FROM cfg) AND m.figure = ${name} AND m.epoch = (SELECT e FROM ep))`);
    // b: the value at the new middle rank r = (n1 - 1) / 2, walked from the old lo (from the start without one).
    const r = sql`(n1 - 1) / 2`;
    ctes.push(sql`${b} AS MATERIALIZED (SELECT CASE
      WHEN (SELECT n1 FROM ${a}) = 0 THEN NULL
      WHEN (SELECT lo0 FROM ${a}) IS NULL THEN (SELECT ${c} ${R} ORDER BY ${c} LIMIT 1 OFFSET (SELECT ${r} FROM ${a}))
      WHEN (SELECT ${r} - ba FROM ${a}) >= 0
        THEN (SELECT ${c} ${R} AND ${c} >= (SELECT lo0 FROM ${a}) ORDER BY ${c} LIMIT 1 OFFSET (SELECT ${r} - ba FROM ${a}))
      ELSE (SELECT ${c} ${R} AND ${c} < (SELECT lo0 FROM ${a}) ORDER BY ${c} DESC LIMIT 1 OFFSET (SELECT ba - 1 - ${r} FROM ${a}))
      END AS lo1)`);
    // c: how many values are below the new lo (the old count moved by the values between old and new lo).
    ctes.push(sql`${cc} AS MATERIALIZED (SELECT n1, lo1, CASE
      WHEN lo1 IS NULL THEN 0
      WHEN lo0 IS NULL THEN (SELECT COUNT(*) ${R} AND ${c} < lo1)
      WHEN lo1 = lo0 THEN ba
      WHEN lo1 > lo0 THEN ba + (SELECT COUNT(*) ${R} AND ${c} >= lo0 AND ${c} < lo1)
      ELSE ba - (SELECT COUNT(*) ${R} AND ${c} >= lo1 AND ${c} < lo0)
      END AS b1 FROM ${a}, ${b})`);
    // d: the median: lo for an odd count, else lo and the value at rank r + 1 (walked from lo).
    const hi = sql`(SELECT ${c} ${R} AND ${c} >= (SELECT lo1 FROM ${cc}) ORDER BY ${c} LIMIT 1 OFFSET (SELECT ${r} + 1 - b1 FROM ${cc}))`;
    ctes.push(sql`${d} AS MATERIALIZED (SELECT n1, lo1, b1, CASE
      WHEN n1 = 0 THEN NULL WHEN n1 % 2 = 1 THEN lo1 ELSE ${middle(sql`lo1`, hi)} END AS median FROM ${cc})`);
  });
  // One output row per figure: workerd's SQLite refuses a 20-term UNION ALL, so number the rows with a recursive CTE.
  ctes.push(sql`ix(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM ix WHERE i < ${sql.raw(String(FIGURE_COLUMNS.length - 1))})`);
  return sql`WITH RECURSIVE ${sql.join(ctes, sql`, `)}
    INSERT INTO configuration_medians (configuration_id, figure, epoch, n, lo, below, median)
    SELECT (SELECT id FROM cfg), ${pick("figure")}, (SELECT e FROM ep), ${pick("n1")}, ${pick("lo1")}, ${pick("b1")}, ${pick("median")} FROM ix WHERE (SELECT e FROM ep) IS NOT NULL
    ON CONFLICT (configuration_id, figure) DO UPDATE SET
      epoch = excluded.epoch, n = excluded.n, lo = excluded.lo, below = excluded.below, median = excluded.median`;
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
