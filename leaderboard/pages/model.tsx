/**
 * /models/:id: a model family (or one variant's family): its quantisations side
 * by side with perplexity, and every board's figures for each of them.
 */
import { METRIC_BY_ID, type MetricId } from "@edgebench/contract";
import type { ModelDetail } from "../../workers/read/models.js";
import { acceleratorText } from "../components/config-cells.js";
import { ConfigTable } from "../components/config-table.js";
import { Layout } from "../components/layout.js";
import { bytes, medianOrNull, metricText, NOT_MEASURED, num } from "../format.js";
import type { ConfigRow } from "../types.js";

export function ModelPage(props: { detail: ModelDetail; focus: string | null }) {
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
  const perplexity = (q: string) =>
    medianOrNull(rows.filter((r) => r.quantisation === q).flatMap((r) => (r.metrics.perplexity !== undefined ? [r.metrics.perplexity] : [])));
  const tg: MetricId = "tg_tps";
  return (
    <Layout title={name} section="other">
      <p>
        <a href="/">← Leaderboard</a>
      </p>
      <h1>{name}</h1>
      <p class="lede">
        {variants.length} quantisation{variants.length === 1 ? "" : "s"} measured on {new Set(rows.map((r) => r.boardId)).size} board
        {new Set(rows.map((r) => r.boardId)).size === 1 ? "" : "s"}. Perplexity is over the suite's fixed text, so it compares quantisations of this
        model.
      </p>
      <h2>Quantisations</h2>
      <div class="tablewrap">
        <table id="quantisations">
          <thead>
            <tr>
              <th scope="col">Quantisation</th>
              <th scope="col" class="n" title={METRIC_BY_ID.perplexity.description}>
                {METRIC_BY_ID.perplexity.label}
              </th>
              <th scope="col" class="n">
                File size
              </th>
              <th scope="col" class="n">
                Parameters
              </th>
              <th scope="col" class="n">
                Best {METRIC_BY_ID[tg].label.toLowerCase()} ({METRIC_BY_ID[tg].unit})
              </th>
              <th scope="col" class="n">
                Submissions
              </th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {variants.map((v) => {
              const best = rows.find((r) => r.modelId === v.id && r.metrics.tg_tps !== undefined);
              const ppl = perplexity(v.quantisation);
              return (
                <tr data-quant={v.quantisation} class={props.focus === v.id ? "focus" : undefined}>
                  <th scope="row">{v.quantisation}</th>
                  <td class="n">{ppl === null ? <span class="nm">{NOT_MEASURED}</span> : num(ppl)}</td>
                  <td class="n">{bytes(v.sizeBytes)}</td>
                  <td class="n">{v.parameters ? `${num(v.parameters / 1e9)} B` : <span class="nm">unknown</span>}</td>
                  <td class="n">{best ? `${metricText(tg, best.metrics.tg_tps)} on ${best.boardName}` : <span class="nm">{NOT_MEASURED}</span>}</td>
                  <td class="n">{v.submissions}</td>
                  <td class="mono">{v.sha256 ? `${v.sha256.slice(0, 16)}…` : "not given"}</td>
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
            {[...setups.values()].map(({ first, byQuant }) => (
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
      <h2>All configurations</h2>
      <ConfigTable rows={rows} show="model" id="model-configs" columns={["tg_tps", "pp_tps", "ttft_ms", "tokens_per_j", "perplexity"]} />
    </Layout>
  );
}
