/**
 * /fleets/:label: the boards of one site or cluster. Each node's newest
 * result, what the nodes add up to per model (tokens/s summed, power summed
 * only when every node measured it, the spread between nodes), and the
 * results that drove load at the cluster's Service, with their scaling. At
 * phone width each table keeps its names, its ranked figure and the link to
 * each result (.hide-sm columns go).
 */
import { type MetricId, SERVING_LEVELS, SERVING_RANKED_C } from "@edgebench/contract";
import type { FleetResult, FleetView } from "../../workers/read/fleets.js";
import { Layout } from "../components/layout.js";
import { metricText, NOT_MEASURED, num, plural, when } from "../format.js";

/** Goodput at the level the serving view ranks. */
const RANKED_GOODPUT = `goodput_rps_c${SERVING_RANKED_C}` as MetricId;

/** A serving level's cells: at phone width only the ranked level's stay. */
function rankedOnly(c: number): string {
  return c === SERVING_RANKED_C ? "n" : "n hide-sm";
}

function resultLink(r: FleetResult, text: string) {
  return <a href={`/results/${encodeURIComponent(r.submissionId)}`}>{text}</a>;
}

export function FleetPage(props: { fleet: FleetView }) {
  const f = props.fleet;
  return (
    <Layout
      title={`Fleet ${f.label}`}
      section="other"
      description={`The ${plural(f.nodes.length, "node")} of fleet ${f.label} and what they add up to.`}
    >
      <h1>Fleet {f.label}</h1>
      <p class="muted">
        {`${plural(f.nodes.length, "node")}, each with its newest result; ${plural(f.fleetLevel.length, "result")} at the fleet's Service. `}
        Totals add the nodes' generation tokens/s as if each served its own users; power adds up only where every node measured it.
      </p>
      <h2>Per model</h2>
      {f.models.length === 0 ? (
        <p class="nm">No node has a generation figure yet.</p>
      ) : (
        <div class="tablewrap">
          <table id="fleet-models">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col" class="n hide-sm">
                  Nodes
                </th>
                <th scope="col" class="n">
                  Generation tokens/s, summed
                </th>
                <th scope="col" class="n">
                  Power, summed
                </th>
                <th scope="col" class="n hide-sm">
                  Tokens per joule
                </th>
                <th scope="col" class="n hide-sm">
                  Fastest / slowest node
                </th>
              </tr>
            </thead>
            <tbody>
              {f.models.map((m) => (
                <tr data-model={m.modelId}>
                  <td>{`${m.modelName} ${m.quantisation}`}</td>
                  <td class="n hide-sm">{m.nodes}</td>
                  <td class="n" data-field="tg-sum">
                    {metricText("tg_tps", m.tgTps)}
                  </td>
                  <td class="n" data-field="w-sum">
                    {m.avgW !== null ? (
                      `${num(m.avgW)} W`
                    ) : (
                      <span class="nm">{`${NOT_MEASURED} (${plural(m.unmetered, "node")} without a meter)`}</span>
                    )}
                  </td>
                  <td class="n hide-sm">
                    {m.tokensPerJ !== null ? metricText("tokens_per_j", m.tokensPerJ) : <span class="nm">{NOT_MEASURED}</span>}
                  </td>
                  <td class="n hide-sm" data-field="spread">
                    {m.spread !== null ? `${num(m.spread)} x` : <span class="nm">{NOT_MEASURED}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Nodes</h2>
      <div class="tablewrap">
        <table id="fleet-nodes">
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">Board</th>
              <th scope="col" class="hide-sm">
                Model
              </th>
              <th scope="col" class="n">
                Generation
              </th>
              <th scope="col" class="n hide-sm">
                Power
              </th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {f.nodes.flatMap((n) =>
              n.runs.map((r, i) => (
                <tr data-node={n.node ?? ""}>
                  <td>{i === 0 ? n.node : ""}</td>
                  <td>{i === 0 ? n.boardName : ""}</td>
                  <td class="hide-sm">{`${r.modelName} ${r.quantisation}`}</td>
                  <td class="n">{r.status === "ok" ? metricText("tg_tps", r.metrics.tg_tps?.value) : <span class="nm">failed</span>}</td>
                  <td class="n hide-sm">{metricText("avg_w", r.metrics.avg_w?.value)}</td>
                  <td>{i === 0 ? resultLink(n, when(n.receivedAt)) : ""}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
      <h2>At the fleet's Service</h2>
      {f.fleetLevel.length === 0 ? (
        <p class="muted">
          No fleet-level result yet: <code>{`edgebench run --runtime openai:http://SERVICE --fleet ${f.label} --fleet-nodes a,b,c`}</code> drives load
          at the cluster's Service endpoint and records it here.
        </p>
      ) : (
        <div class="tablewrap">
          <table id="fleet-serving">
            <thead>
              <tr>
                <th scope="col">Result</th>
                <th scope="col" class="hide-sm">
                  Model
                </th>
                {SERVING_LEVELS.map((c) => (
                  <th scope="col" class={rankedOnly(c)}>{`${c} stream${c > 1 ? "s" : ""}`}</th>
                ))}
                <th scope="col" class="n">{`Goodput at ${SERVING_RANKED_C}`}</th>
                <th scope="col" class="hide-sm">
                  Nodes behind the Service (declared)
                </th>
              </tr>
            </thead>
            <tbody>
              {f.fleetLevel.flatMap((r) =>
                r.runs.map((run) => (
                  <tr data-fleet-result={r.submissionId}>
                    <td>{resultLink(r, when(r.receivedAt))}</td>
                    <td class="hide-sm">{`${run.modelName} ${run.quantisation}`}</td>
                    {SERVING_LEVELS.map((c) => (
                      <td class={rankedOnly(c)}>{metricText(`serve_tps_c${c}`, run.metrics[`serve_tps_c${c}`]?.value)}</td>
                    ))}
                    <td class="n">{metricText(RANKED_GOODPUT, run.metrics[RANKED_GOODPUT]?.value)}</td>
                    <td class="hide-sm">{r.declaredNodes.length ? r.declaredNodes.join(", ") : <span class="nm">not declared</span>}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
