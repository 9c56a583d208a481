/**
 * /compare?ids=a,b: two to four configurations side by side. In each metric
 * row the better figure (by the metric's `better` in METRICS) is marked;
 * energy figures are only marked when every column shares one meter scope.
 */
import { METRICS } from "@edgebench/contract";
import { acceleratorText, configHref, MetricCell, UnconfirmedBadge } from "../components/config-cells.js";
import { Layout } from "../components/layout.js";
import type { ConfigRow } from "../types.js";

export const COMPARE_MIN = 2;
export const COMPARE_MAX = 4;

/** ids from ?ids=a,b and/or ?ids=a&ids=b, de-duplicated, in order. */
export function parseCompareIds(q: URLSearchParams): string[] {
  const ids = q
    .getAll("ids")
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => /^[0-9a-f]{1,64}$/i.test(v));
  return [...new Set(ids)];
}

/** The index(es) of the best value in a row, or none when fewer than two are measured. */
export function bestIndexes(metric: (typeof METRICS)[number], rows: ConfigRow[]): Set<number> {
  const vals = rows.map((r) => r.metrics[metric.id]);
  const present = vals.filter((v): v is number => v !== undefined);
  if (present.length < 2) return new Set();
  const best = metric.better === "higher" ? Math.max(...present) : Math.min(...present);
  if (present.every((v) => v === best)) return new Set();
  return new Set(vals.flatMap((v, i) => (v === best ? [i] : [])));
}

export function ComparePage(props: { rows: ConfigRow[]; asked: number; missing: number }) {
  const { rows } = props;
  const scopes = new Set(rows.map((r) => r.meterScope));
  const sameScope = scopes.size === 1 && !scopes.has(null);
  const fields: [string, (r: ConfigRow) => string][] = [
    ["Model", (r) => `${r.modelName} ${r.quantisation}`],
    ["Accelerator", (r) => acceleratorText(r)],
    ["Backend", (r) => r.backend],
    ["Runtime", (r) => r.runtime],
    ["Threads", (r) => String(r.threads)],
    ["GPU layers", (r) => String(r.gpuLayers)],
    ["Meter scope", (r) => r.meterScope ?? "none"],
    ["Submissions", (r) => String(r.submissions)],
    ["Contributors", (r) => String(r.contributors)],
  ];
  return (
    <Layout title="Compare" section="compare">
      <h1>Compare configurations</h1>
      {rows.length < COMPARE_MIN ? (
        <section class="empty">
          <h2>Pick two to four configurations</h2>
          <p>
            {props.asked > 0 && props.missing > 0 ? `${props.missing} of the requested configurations do not exist (any more). ` : ""}
            Tick the "Compare" boxes of two to four rows on the <a href="/">leaderboard</a> and press "Compare selected", or link here with{" "}
            <code>/compare?ids=ID1,ID2</code> (configuration ids from the API).
          </p>
        </section>
      ) : (
        <>
          <p class="lede">
            The better figure in each row is marked ★ (by the metric's direction: higher or lower is better).{" "}
            {sameScope
              ? `All share the meter scope ${rows[0]!.meterScope}, so energy figures are compared too.`
              : "Their meter scopes differ (or energy was not measured), so energy figures are shown but not compared."}
            {props.asked > COMPARE_MAX ? ` Only the first ${COMPARE_MAX} of ${props.asked} are shown.` : ""}
          </p>
          <div class="tablewrap">
            <table id="compare">
              <thead>
                <tr>
                  <th scope="col">Configuration</th>
                  {rows.map((r) => (
                    <th scope="col" class="n" data-cfg={r.id}>
                      <a href={configHref(r)}>{r.boardName}</a>
                      <UnconfirmedBadge contributors={r.contributors} />
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {fields.map(([label, f]) => (
                  <tr>
                    <th scope="row">{label}</th>
                    {rows.map((r) => (
                      <td class="n">{f(r)}</td>
                    ))}
                  </tr>
                ))}
                {METRICS.map((m) => {
                  const comparable = m.axis !== "energy" || sameScope;
                  const best = comparable ? bestIndexes(m, rows) : new Set<number>();
                  return (
                    <tr data-metric={m.id}>
                      <th scope="row" title={m.description}>
                        {m.label}
                        {m.unit ? ` (${m.unit})` : ""}
                        <span class="sd">{`${m.better} is better${comparable ? "" : "; not compared across meter scopes"}`}</span>
                      </th>
                      {rows.map((r, i) => (
                        <MetricCell id={m.id} row={r} best={best.has(i)} />
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Layout>
  );
}
