/**
 * /compare?ids=a,b: two to four configurations side by side. In each metric
 * row the better figure (by the metric's `better` in METRICS) is marked;
 * energy figures are only marked when every column shares one meter scope.
 */
import { isRankedSustained, METRICS, SUSTAINED_RANKED_SECONDS } from "@edgebench/contract";
import type { SustainedCurve } from "../../workers/read/sustained-curves.js";
import { acceleratorText, configHref, MetricCell, UnconfirmedBadge } from "../components/config-cells.js";
import { Layout } from "../components/layout.js";
import { RunChart, type RunSeries } from "../components/run-chart.js";
import { rateSeries } from "../components/run-series.js";
import { ScalingChart, type ScalingSeries } from "../components/scaling-chart.js";
import { atLevels, notesAtLevels, scalingLevels, scalingRemarks, servingScaling } from "../components/scaling-series.js";
import { num } from "../format.js";
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

export function ComparePage(props: { rows: ConfigRow[]; asked: number; missing: number; curves?: ReadonlyMap<string, SustainedCurve> }) {
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
    ["Cooling", (r) => (r.cooling ? `${r.cooling} (declared)` : "not stated")],
    ["Submissions", (r) => String(r.submissions)],
    ["Contributors", (r) => String(r.contributors)],
  ];
  return (
    // The script: the scaling chart's points show their figures on hover, focus or tap.
    <Layout title="Compare" section="compare" script>
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
          <ModelsDifferNote rows={rows} />
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
          <SustainedOverlay rows={rows} curves={props.curves ?? new Map()} />
          <ServingOverlay rows={rows} curves={props.curves ?? new Map()} />
        </>
      )}
    </Layout>
  );
}

/** "ROCK 5B, Qwen2.5 0.5B Q4_K_M, CPU, 4 threads": the legend's name for a configuration, numbered when two would read the same. */
function curveLabels(rows: ConfigRow[]): string[] {
  const plain = rows.map((r) => `${r.boardName}, ${r.modelName} ${r.quantisation}, ${acceleratorText(r)}, ${r.threads} threads`);
  return plain.map((l, i) => (plain.indexOf(l) !== plain.lastIndexOf(l) ? `${l} (column ${i + 1})` : l));
}

/**
 * The compared configurations' sustained generation rate on one time axis.
 * Each line is one run, the configuration's newest visible result (read by
 * workers/read/sustained-curves.ts); the table's figures are medians over all
 * its runs, so the caption says which run each line is.
 */
function SustainedOverlay(props: { rows: ConfigRow[]; curves: ReadonlyMap<string, SustainedCurve> }) {
  const labels = curveLabels(props.rows);
  const drawn: { row: ConfigRow; label: string; curve: SustainedCurve; series: RunSeries }[] = [];
  const missing: string[] = [];
  props.rows.forEach((row, i) => {
    const curve = props.curves.get(row.id);
    const series = curve?.test ? rateSeries(curve.test, labels[i]!) : null;
    if (curve && series) drawn.push({ row, label: labels[i]!, curve, series });
    else missing.push(labels[i]!);
  });
  if (drawn.length === 0) return null;
  return (
    <section aria-labelledby="sustained-title" id="sustained">
      <h2 id="sustained-title">Sustained generation over time</h2>
      <RunChart
        label="Sustained generation rate of the compared configurations"
        caption={`Tokens/s in each window of the sustained test, one line per configuration: its newest visible result (one run, not the median over its runs that the table shows). Ranked figures come from the ${SUSTAINED_RANKED_SECONDS} s test only.`}
        panels={[{ key: "rate", title: "Generation rate", unit: "tokens/s", fromZero: true, series: drawn.map((d) => d.series) }]}
        legend={true}
      />
      <ul class="curves">
        {drawn.map((d) => (
          <li data-cfg={d.row.id}>
            {`${d.label}: `}
            <a href={`/results/${encodeURIComponent(d.curve.submissionId)}`}>{`result ${d.curve.submissionId.slice(0, 12)}`}</a>
            {` (${num((d.curve.test!.windows!.tokens.length * d.curve.test!.windows!.ms) / 1000)} s${isRankedSustained(d.curve.test!) ? "" : ", not the ranked length"}; its page shows the clocks and temperature)`}
          </li>
        ))}
        {missing.map((l) => (
          <li class="muted">{`${l}: its newest result has no sustained test, so no curve`}</li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The compared configurations' serving scaling curves on one concurrency
 * axis, read from the same representative run as the sustained overlay (its
 * concurrent tests come in the same query). Colour names the configuration.
 */
function ServingOverlay(props: { rows: ConfigRow[]; curves: ReadonlyMap<string, SustainedCurve> }) {
  const labels = curveLabels(props.rows);
  const drawn = props.rows.flatMap((row, i) => {
    const curve = props.curves.get(row.id);
    const scaling = curve ? servingScaling(curve.concurrent) : null;
    return curve && scaling && scaling.points.length > 0 ? [{ row, label: labels[i]!, curve, scaling }] : [];
  });
  const missing = props.rows.flatMap((row, i) => (drawn.some((d) => d.row.id === row.id) ? [] : [labels[i]!]));
  if (drawn.length === 0) return null;
  const levels = scalingLevels(drawn.map((d) => d.scaling));
  const series = (pick: Parameters<typeof atLevels>[2], suffix: string): ScalingSeries[] =>
    drawn.map((d) => ({
      label: suffix ? `${d.label}: ${suffix}` : d.label,
      key: d.label,
      values: atLevels(d.scaling, levels, pick),
      notes: notesAtLevels(d.scaling, levels),
    }));
  return (
    <section aria-labelledby="serving-title" id="serving">
      <h2 id="serving-title">Serving: scaling with concurrent streams</h2>
      <ScalingChart
        label="Serving scaling of the compared configurations"
        caption="Each configuration's newest visible result (one run, not the median over its runs that the table shows): generated tokens/s of all streams together, and the 95th percentile of the time to first token and between tokens, at each number of streams."
        levels={levels}
        panels={[
          { key: "throughput", title: "Generation rate, all streams together", unit: "tokens/s", series: series((p) => p.aggregateTps, "") },
          { key: "ttft", title: "Time to first token, 95th percentile", unit: "ms", series: series((p) => p.ttftP95Ms, "time to first token p95") },
          { key: "itl", title: "Inter-token time, 95th percentile", unit: "ms", series: series((p) => p.interTokenP95Ms, "inter-token p95") },
        ]}
        remarks={drawn.flatMap((d) => scalingRemarks(d.scaling, d.label))}
      />
      <ul class="curves">
        {drawn.map((d) => (
          <li data-cfg={d.row.id}>
            {`${d.label}: `}
            <a href={`/results/${encodeURIComponent(d.curve.submissionId)}`}>{`result ${d.curve.submissionId.slice(0, 12)}`}</a>
            {` (${d.scaling.points.length} of ${d.scaling.points.length + d.scaling.notRun.length} levels ran)`}
          </li>
        ))}
        {missing.map((l) => (
          <li class="muted">{`${l}: its newest result has no concurrent test that ran, so no curve`}</li>
        ))}
      </ul>
    </section>
  );
}

/** Speed and energy depend on the model first: comparing boards on different models (or quantisations) compares the models too. */
function ModelsDifferNote(props: { rows: readonly ConfigRow[] }) {
  const names = [...new Set(props.rows.map((r) => `${r.modelName} ${r.quantisation}`))];
  const files = new Set(props.rows.map((r) => r.modelId));
  if (files.size < 2) return null;
  return (
    <p class="scope-note" id="models-differ">
      {names.length > 1
        ? `These run different models or quantisations (${names.join(", ")}): their figures differ by the model as much as by the hardware.`
        : "These run different files of the same model and quantisation: the weights may differ."}
    </p>
  );
}
