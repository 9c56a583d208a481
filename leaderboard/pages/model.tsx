/**
 * /models/:id: a model family (or one variant's family): its quantisations side
 * by side with their quality figures (perplexity, task accuracy), and every
 * board's figures for each of them.
 */
import { METRIC_BY_ID, METRICS, type MetricId } from "@edgebench/contract";
import type { ModelDetail } from "../../workers/read/models.js";
import { acceleratorText, MetricCell } from "../components/config-cells.js";
import { ConfigTable } from "../components/config-table.js";
import { Layout } from "../components/layout.js";
import { ListPager, pageSlice } from "../components/pager.js";
import { TestDataBadge } from "../components/test-data-badge.js";
import { bytes, medianOrNull, metricText, NOT_MEASURED, num } from "../format.js";
import type { ConfigRow } from "../types.js";

/** Every quality figure: within one model's quantisations even perplexity compares. */
const QUALITY: readonly MetricId[] = METRICS.filter((m) => m.axis === "quality").map((m) => m.id);

/** A quantisation's quality figures: per metric, the median over its configurations (and of their ±), as one row's figures. */
function qualityOf(rows: readonly ConfigRow[]): Pick<ConfigRow, "metrics" | "stddev"> {
  const metrics: ConfigRow["metrics"] = {};
  const stddev: ConfigRow["stddev"] = {};
  for (const id of QUALITY) {
    const v = medianOrNull(rows.flatMap((r) => (r.metrics[id] !== undefined ? [r.metrics[id]] : [])));
    const sd = medianOrNull(rows.flatMap((r) => (r.metrics[id] !== undefined && r.stddev[id] !== undefined ? [r.stddev[id]] : [])));
    if (v !== null) metrics[id] = v;
    if (v !== null && sd !== null) stddev[id] = sd;
  }
  return { metrics, stddev };
}

/** `page` and `test` as the model page's links keep them. */
export function modelHref(id: string, at: { page?: number; test: boolean }): string {
  const q = new URLSearchParams();
  if (at.test) q.set("test", "1");
  if (at.page && at.page > 1) q.set("page", String(at.page));
  const s = q.toString();
  return `/models/${encodeURIComponent(id)}${s ? `?${s}` : ""}`;
}

export function ModelPage(props: { detail: ModelDetail; focus: string | null; page: number; test: boolean }) {
  const { name, variants } = props.detail;
  const rows = props.detail.rows;
  // Quantisations as columns; one row per board setup (board, accelerator, backend, threads, layers, scope).
  const quants = [...new Set(variants.map((v) => v.quantisation))];
  const setupKey = (r: ConfigRow) =>
    [r.boardId, r.acceleratorKind, r.acceleratorName, r.backend, r.runtime, r.threads, r.gpuLayers, r.meterScope].join("|");
  const setups = new Map<string, { first: ConfigRow; byQuant: Map<string, ConfigRow> }>();
  for (const r of rows) {
    const k = setupKey(r);
    const s = setups.get(k) ?? { first: r, byQuant: new Map() };
    if (!s.byQuant.has(r.quantisation)) s.byQuant.set(r.quantisation, r);
    setups.set(k, s);
  }
  const tg: MetricId = "tg_tps";
  const id = props.focus ?? props.detail.slug;
  // One page number for both long tables (a setup holds one or more configurations, so the setups run out first).
  const setupsShown = pageSlice([...setups.values()], props.page);
  return (
    <Layout title={name} section="other">
      <p>
        <a href="/">← Leaderboard</a>
      </p>
      <h1>{name}</h1>
      <p class="lede">
        {variants.length} quantisation{variants.length === 1 ? "" : "s"} measured on {new Set(rows.map((r) => r.boardId)).size} board
        {new Set(rows.map((r) => r.boardId)).size === 1 ? "" : "s"}. Perplexity is over the suite's fixed text, so it compares quantisations of this
        model; task accuracy (± its standard error over the tasks) compares across models too.
      </p>
      {props.detail.testData ? (
        <TestDataBadge what="A model the uploader generated" />
      ) : (
        <p class="muted">
          {props.test ? (
            <a href={modelHref(id, { test: false })}>Leave out test data</a>
          ) : (
            <a href={modelHref(id, { test: true })}>Include test data (unidentified boards)</a>
          )}
        </p>
      )}
      <h2>Quantisations</h2>
      <div class="tablewrap">
        <table id="quantisations">
          <thead>
            <tr>
              <th scope="col">Quantisation</th>
              {QUALITY.map((id) => (
                <th scope="col" class="n" title={METRIC_BY_ID[id].description}>
                  {METRIC_BY_ID[id].label}
                  {METRIC_BY_ID[id].unit ? <span class="unit">{METRIC_BY_ID[id].unit}</span> : null}
                </th>
              ))}
              {/* At phone width the quality figures and the best speed stay; the file's particulars go. */}
              <th scope="col" class="n hide-sm">
                File size
              </th>
              <th scope="col" class="n hide-sm">
                Parameters
              </th>
              <th scope="col" class="n">
                Best {METRIC_BY_ID[tg].label.toLowerCase()} ({METRIC_BY_ID[tg].unit})
              </th>
              <th scope="col" class="n hide-sm">
                Submissions
              </th>
              <th scope="col" class="hide-sm">
                SHA-256
              </th>
            </tr>
          </thead>
          <tbody>
            {variants.map((v) => {
              const best = rows.find((r) => r.modelId === v.id && r.metrics.tg_tps !== undefined);
              const quality = qualityOf(rows.filter((r) => r.quantisation === v.quantisation));
              return (
                <tr data-quant={v.quantisation} class={props.focus === v.id ? "focus" : undefined}>
                  <th scope="row">{v.quantisation}</th>
                  {QUALITY.map((id) => (
                    <MetricCell id={id} row={quality} />
                  ))}
                  <td class="n hide-sm">{bytes(v.sizeBytes)}</td>
                  <td class="n hide-sm">{v.parameters ? `${num(v.parameters / 1e9)} B` : <span class="nm">unknown</span>}</td>
                  <td class="n">{best ? `${metricText(tg, best.metrics.tg_tps)} on ${best.boardName}` : <span class="nm">{NOT_MEASURED}</span>}</td>
                  <td class="n hide-sm">{v.submissions}</td>
                  <td class="mono hide-sm">{v.sha256 ? `${v.sha256.slice(0, 16)}…` : "not given"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h2>Every board, quantisations side by side</h2>
      <p class="muted">
        {METRIC_BY_ID[tg].label} ({METRIC_BY_ID[tg].unit}) per quantisation; each cell opens the configuration's latest result.
      </p>
      <div class="tablewrap">
        <table id="board-by-quant">
          <thead>
            <tr>
              <th scope="col">Board and setup</th>
              {quants.map((q) => (
                <th scope="col" class="n">
                  {q}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {setupsShown.map(({ first, byQuant }) => (
              <tr>
                <th scope="row" class="cfg">
                  <a href={`/boards/${encodeURIComponent(first.boardId)}`}>{first.boardName}</a>
                  <span class="sub">{`${acceleratorText(first)} · ${first.backend} · ${first.runtime} · ${first.threads} threads, ${first.gpuLayers} GPU layers`}</span>
                </th>
                {quants.map((q) => {
                  const r = byQuant.get(q);
                  const v = r?.metrics.tg_tps;
                  return (
                    <td class="n">
                      {r && v !== undefined ? (
                        <a href={r.latestSubmissionId ? `/results/${encodeURIComponent(r.latestSubmissionId)}` : "#"}>{num(v)}</a>
                      ) : (
                        <span class="nm">{NOT_MEASURED}</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {setupsShown.length === 0 && setups.size > 0 ? <p class="muted">Every board setup is on an earlier page.</p> : null}
      <h2>All configurations</h2>
      <ConfigTable
        rows={pageSlice(rows, props.page)}
        show="model"
        id="model-configs"
        columns={["tg_tps", "pp_tps", "ttft_ms", "tokens_per_j", ...QUALITY]}
      />
      <ListPager page={props.page} total={rows.length} href={(page) => modelHref(id, { page, test: props.test })} label="Configurations" />
    </Layout>
  );
}
