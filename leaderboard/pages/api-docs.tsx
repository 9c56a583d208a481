/** /api: the endpoints with curl and CSV examples, the metric ids, and the signing rule. */
import { COOLING, METER_SCOPES, METRICS, OUTLIER_RULE } from "@edgebench/contract";
import { DATA_LICENCE_URL } from "../../workers/api/export.js";
import { ORDER_RULE, SCOPE_RULE } from "../../workers/ranking/scope.js";
import { EXPORT_CHUNK, EXPORT_DEFAULT_LIMIT, EXPORT_MAX_LIMIT } from "../../workers/read/export.js";
import { Layout } from "../components/layout.js";
import { SIGNING_RULE, verifyScript } from "../verify-snippet.js";

export function ApiPage(props: { origin: string }) {
  const o = props.origin;
  const endpoints: [string, string, string][] = [
    [
      "POST",
      "/api/v1/submissions",
      'Submit a signed result: {"document", "signature", "publicKey"}. 201 with {id, url}; the same document again is 200 with the same id.',
    ],
    [
      "GET",
      "/api/v1/submissions/:id",
      `The stored document, its signature and key (verify it offline), plus the figures the server computed; each run's outliers: headline speed figures far from its configuration's other runs (${OUTLIER_RULE.text}), shown, never removed.`,
    ],
    [
      "GET",
      "/api/v1/export",
      `Every visible signed submission as NDJSON, one per line: {id, document, signature, publicKey, receivedAt, status, retired, runs: [{index, status, configurationId, metrics}]}, oldest upload first. ?limit (default ${EXPORT_DEFAULT_LIMIT}, at most ${EXPORT_MAX_LIMIT}) and ?cursor: see "Bulk export" below.`,
    ],
    [
      "GET",
      "/api/v1/export/runs.csv",
      "Every run of those submissions as CSV, one row per run: submission, configuration and settings columns, then one column per metric id of the list below (empty where not measured). Same limit and cursor.",
    ],
    [
      "GET",
      "/api/v1/leaderboard",
      "Configurations aggregated over their submissions; filters, sort, pagination; ?format=csv for CSV. The site's / takes the same parameters and ranks the same rows.",
    ],
    [
      "GET",
      "/api/v1/status",
      "How many configurations are waiting for the aggregation step after an upload or a moderation action ({pending}); 0 when the rankings include every stored result.",
    ],
    ["GET", "/api/v1/boards", "The board catalogue and every board with results, with counts."],
    [
      "GET",
      "/api/v1/boards/:id",
      "One board: its catalogue figures (size, envelope, memory bandwidth, power) each with its public sources, and every configuration measured on it.",
    ],
    ["GET", "/api/v1/models", "Model families and their variants (quantisations), with counts."],
    ["GET", "/api/v1/models/:id", "One model family (or variant id): every configuration of its variants."],
    ["GET", "/api/v1/configurations?ids=a,b", "Configurations by id (what the compare page shows)."],
    ["GET", "/api/v1/metrics", "The metric definitions: id, label, unit, which direction is better, whether it ranks within one meter scope."],
    [
      "GET",
      "/api/v1/standard-files",
      "The model files the registry pins by SHA-256 (name, quantisation, suite, source): ?standard=1 keeps only configurations of these files, so boards are compared on identical weights.",
    ],
    [
      "GET",
      "/api/v1/retired-builds",
      "Runtime builds a moderator retired (a llama.cpp commit, or a runtime version range) with the reason: their results are kept and shown, not ranked.",
    ],
  ];
  return (
    <Layout title="API" section="api" description="The edgebench registry API: endpoints, examples, metric ids and how to verify a result.">
      <h1>API</h1>
      <p class="lede">
        Everything on this site comes from the same JSON API, served by the same Worker from the same database. GET endpoints allow cross-origin
        requests. Errors always have the shape <code>{`{"error":{"code","message","details"?}}`}</code>.
      </p>
      <h2>Endpoints</h2>
      <div class="tablewrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Method</th>
              <th scope="col">Path</th>
              <th scope="col">What it returns</th>
            </tr>
          </thead>
          <tbody>
            {endpoints.map(([m, p, d]) => (
              <tr>
                <td>
                  <code>{m}</code>
                </td>
                <td>
                  <code>{p}</code>
                </td>
                <td>{d}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Examples</h2>
      <h3>The fastest configurations (JSON)</h3>
      <pre>
        <code>{`curl -s '${o}/api/v1/leaderboard?sort=tg_tps&limit=10'`}</code>
      </pre>
      <h3>Energy ranking within one meter scope, as CSV</h3>
      <pre>
        <code>{`curl -s '${o}/api/v1/leaderboard?sort=tokens_per_j&scope=board-input&format=csv' -o energy.csv
curl -s -H 'Accept: text/csv' '${o}/api/v1/leaderboard?model=qwen2-5-0-5b-instruct&accelerator=npu'`}</code>
      </pre>
      <h3>One result, to verify it yourself</h3>
      <pre>
        <code>{`curl -s '${o}/api/v1/submissions/<id>' | jq '{signature, publicKey}'`}</code>
      </pre>
      <h3>Submit (the uploader does this for you)</h3>
      <pre>
        <code>{`npx edgebench run       # run the suite, queue the signed result
edgebench keygen        # once: your Ed25519 key
edgebench submit        # send queued results; safe to retry (idempotent)

curl -s -X POST '${o}/api/v1/submissions' -H 'content-type: application/json' --data @signed.json`}</code>
      </pre>
      <h2 id="export">Bulk export and licence</h2>
      <p>
        The data (documents, signatures and the figures computed from them) is published under{" "}
        <a href={DATA_LICENCE_URL} rel="license">
          CC BY 4.0
        </a>
        : use it for anything, crediting "edgebench contributors" and linking this registry. Both export answers say so in{" "}
        <code>{`Link: <${DATA_LICENCE_URL}>; rel="license"`}</code>.
      </p>
      <p>
        A page holds <code>limit</code> submissions (the CSV: all their runs), in order of upload (received time, then id). While more remain, the
        answer's <code>X-Next-Cursor</code> header (also a <code>Link: rel="next"</code>) is the next page's <code>cursor</code>; the last page has
        none. Keep the last cursor to fetch only what was uploaded since. A page is streamed {EXPORT_CHUNK} submissions at a time; an answer cut off
        mid-stream is fetched again with the same cursor. Each line verifies offline: the signature covers the RFC 8785 canonical JSON of its{" "}
        <code>document</code> (below). Hidden, withdrawn and flagged results are not exported; a result of a retired build is, with{" "}
        <code>retired</code> saying why it does not rank.
      </p>
      <pre>
        <code>{`cursor=; while :; do
  curl -sD headers -o page.ndjson "${o}/api/v1/export?limit=${EXPORT_MAX_LIMIT}\${cursor:+&cursor=$cursor}"
  cat page.ndjson >> edgebench.ndjson
  cursor=$(grep -i '^x-next-cursor:' headers | cut -d' ' -f2 | tr -d '\\r'); [ -n "$cursor" ] || break
done`}</code>
      </pre>
      <h2 id="withdraw">Withdrawing your own result</h2>
      <p>
        <code>edgebench withdraw ID</code> sends <code>POST /api/v1/submissions/ID/withdraw</code> with{" "}
        <code>{`{"withdraw":{"action":"withdraw","id":ID,"at":RFC3339,"nonce":N,"reason"?:text},"signature","publicKey"}`}</code>, where the signature
        is Ed25519 over the RFC 8785 bytes of the <code>withdraw</code> object. Accepted only from the key that signed the result, with{" "}
        <code>at</code> within 10 minutes of the registry's clock and a nonce (16-64 base64url characters) the key has not used before. The result is
        hidden, not deleted.
      </p>
      <h2 id="limits">Limits and review</h2>
      <p>
        Uploads are limited per key and per client address (default 60 and 120 per minute); over the limit the answer is 429 with{" "}
        <code>Retry-After</code>. Physically impossible figures are refused (400); implausible ones (above the board's memory-bandwidth roofline,
        power below what the meter scope can see, idle above load) are stored as <code>flagged</code>, kept out of the rankings until reviewed, with
        the reason on the result page and in <code>GET /api/v1/submissions/:id</code>.
      </p>
      <h2>Leaderboard parameters</h2>
      <p>
        <code>model</code>, <code>quantisation</code>, <code>board</code>, <code>accelerator</code> (cpu, gpu, npu, tpu), <code>backend</code>,{" "}
        <code>scope</code> ({METER_SCOPES.join(", ")}), <code>cooling</code> ({COOLING.join(", ")}: as declared by the contributor; results that
        declare none are a configuration of their own, left out by this filter), <code>sort</code> (a metric id below), <code>order</code> (asc, desc;
        default: the metric's better direction), <code>standard=1</code> (standard files only), <code>limit</code>, <code>offset</code> or{" "}
        <code>cursor</code>, <code>format=csv</code>.
      </p>
      <p id="order-rule">{ORDER_RULE}</p>
      <p id="scope-rule">{SCOPE_RULE}</p>
      <p>
        A <code>model</code> of 64 hex digits (a GGUF's SHA-256) or with a <code>~</code> (<code>name~quantisation</code>) is a model variant id;
        anything else is a model family slug (all quantisations of one model name).
      </p>
      <h2>Metrics</h2>
      <div class="tablewrap">
        <table id="metrics">
          <thead>
            <tr>
              <th scope="col">id</th>
              <th scope="col">Label</th>
              <th scope="col">Unit</th>
              <th scope="col">Better</th>
              <th scope="col">Ranked</th>
              <th scope="col">Definition</th>
            </tr>
          </thead>
          <tbody>
            {METRICS.map((m) => (
              <tr>
                <td>
                  <code>{m.id}</code>
                </td>
                <td>{m.label}</td>
                <td>{m.unit || "none"}</td>
                <td>{m.better}</td>
                <td>{m.withinMeterScope ? "within one meter scope" : "across all"}</td>
                <td>{m.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 id="verify">Signing rule and verification</h2>
      <pre>
        <code>{SIGNING_RULE.join("\n")}</code>
      </pre>
      <pre>
        <code>{verifyScript(o, "<id>")}</code>
      </pre>
    </Layout>
  );
}
