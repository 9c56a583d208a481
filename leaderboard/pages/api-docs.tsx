/**
 * /api: every operation of the API, rendered from its OpenAPI document (/api/v1/openapi.json, generated from the
 * routes' own schemas), with curl and CSV examples, the metric ids, and the signing rule.
 */
import { METRICS } from "@edgebench/contract";
import { DATA_LICENCE_URL } from "../../workers/api/export.js";
import { apiDocument } from "../../workers/api/index.js";
import type { OpenApiDocument } from "../../workers/api/openapi-document.js";
import { ORDER_RULE, SCOPE_RULE } from "../../workers/ranking/scope.js";
import { EXPORT_CHUNK, EXPORT_MAX_LIMIT } from "../../workers/read/export.js";
import { Layout } from "../components/layout.js";
import { SIGNING_RULE, verifyScript } from "../verify-snippet.js";

const METHODS = ["get", "put", "post", "delete"] as const;

/** The parts of a JSON schema (as the document writes them) the page shows. */
interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  default?: unknown;
  format?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  description?: string;
  anyOf?: Schema[];
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}
interface Media {
  schema?: Schema;
}
interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { description?: string; required?: boolean; content: Record<string, Media> };
  responses: Record<string, { description: string; content?: Record<string, Media> }>;
  "x-body-limit-bytes"?: number;
  "x-rate-limits"?: { perKey: number; perAddress: number; windowSeconds: number };
  "x-data-licence"?: { name: string; url: string };
}
interface Listed {
  method: string;
  path: string;
  op: Operation;
}

function operationsOf(doc: OpenApiDocument): Listed[] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const op = (item as Partial<Record<string, Operation>>)[method];
      return op ? [{ method: method.toUpperCase(), path, op }] : [];
    }),
  );
}

/** A schema in a few words: its type or component, then its limits. */
function typeText(s: Schema | undefined): string {
  if (!s) return "any";
  if (s.$ref) return s.$ref.replace("#/components/schemas/", "");
  if (s.anyOf) return s.anyOf.map(typeText).join(" or ");
  const parts: string[] = [];
  if (s.enum) parts.push(`one of ${s.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  else if (s.const !== undefined) parts.push(JSON.stringify(s.const));
  else parts.push(s.type === "array" ? `array of ${typeText(s.items)}` : String(s.type ?? "any"));
  if (s.format) parts.push(s.format);
  if (s.minLength !== undefined || s.maxLength !== undefined) parts.push(`${s.minLength ?? 0}-${s.maxLength ?? "∞"} characters`);
  if (s.exclusiveMinimum !== undefined) parts.push(`> ${s.exclusiveMinimum}`);
  if (s.minimum !== undefined) parts.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined) parts.push(`≤ ${s.maximum}`);
  if (s.pattern) parts.push(`matching ${s.pattern}`);
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  return parts.join(", ");
}

/** The error codes a response lists (its schema's error.code enum). */
function codesOf(media: Media | undefined): string[] {
  const code = media?.schema?.properties?.error?.properties?.code;
  return (code?.enum as string[] | undefined) ?? [];
}

function Params(props: { params: Parameter[] }) {
  return (
    <div class="tablewrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col">In</th>
            <th scope="col">Type and limits</th>
            <th scope="col">What it does</th>
          </tr>
        </thead>
        <tbody>
          {props.params.map((p) => (
            <tr>
              <td>
                <code>{p.name}</code>
                {p.required ? " (required)" : ""}
              </td>
              <td>{p.in}</td>
              <td>{typeText(p.schema)}</td>
              <td>{p.description ?? p.schema?.description ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Body(props: { body: NonNullable<Operation["requestBody"]> }) {
  const [type, media] = Object.entries(props.body.content)[0] ?? ["application/json", {}];
  const schema = media.schema;
  const fields = Object.entries(schema?.properties ?? {});
  return (
    <p>
      Body ({type}
      {props.body.required ? "" : ", optional"}): {props.body.description}.{" "}
      {fields.length > 0 ? (
        fields.map(([name, f], i) => (
          <>
            {i > 0 ? "; " : ""}
            <code>{name}</code>
            {schema?.required?.includes(name) ? "" : " (optional)"}: {typeText(f)}
          </>
        ))
      ) : (
        <code>{typeText(schema)}</code>
      )}
    </p>
  );
}

function Responses(props: { responses: Operation["responses"] }) {
  return (
    <div class="tablewrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(props.responses).map(([status, r]) => {
            const codes = codesOf(r.content?.["application/json"]);
            return (
              <tr>
                <td>{status}</td>
                <td>
                  {codes.length > 0
                    ? r.description.split("; ").map((line, i) => (
                        <>
                          {i > 0 ? <br /> : null}
                          <code>{line.slice(0, line.indexOf(":"))}</code>
                          {line.slice(line.indexOf(":"))}
                        </>
                      ))
                    : `${r.description}${r.content ? ` (${Object.keys(r.content).join(", ")})` : ""}`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** One operation: what it is, its parameters, body, limits and every answer. */
function OperationDoc(props: { listed: Listed }) {
  const { method, path, op } = props.listed;
  const rates = op["x-rate-limits"];
  return (
    <section id={`op-${op.operationId}`}>
      <h3>
        <code>{method}</code> <code>/api/v1{path}</code>
      </h3>
      <p>
        {op.summary}
        {op.security ? " Admin: Authorization: Bearer <admin token>." : ""}
      </p>
      {op.description ? <p class="muted">{op.description}</p> : null}
      {op["x-body-limit-bytes"] !== undefined || rates ? (
        <p>
          Limits: {op["x-body-limit-bytes"] !== undefined ? `bodies up to ${op["x-body-limit-bytes"]} bytes` : ""}
          {rates ? `; ${rates.perKey} uploads per ${rates.windowSeconds} s per key and ${rates.perAddress} per client address (defaults)` : ""}.
        </p>
      ) : null}
      {op["x-data-licence"] ? (
        <p>
          Licence of the data: <a href={op["x-data-licence"].url}>{op["x-data-licence"].name}</a>.
        </p>
      ) : null}
      {op.parameters?.length ? <Params params={op.parameters} /> : null}
      {op.requestBody ? <Body body={op.requestBody} /> : null}
      <Responses responses={op.responses} />
    </section>
  );
}

export function ApiPage(props: { origin: string }) {
  const o = props.origin;
  const operations = operationsOf(apiDocument());
  return (
    <Layout title="API" section="api" description="The edgebench registry API: endpoints, examples, metric ids and how to verify a result.">
      <h1>API</h1>
      <p class="lede">
        Everything on this site comes from the same JSON API, served by the same Worker from the same database. GET endpoints allow cross-origin
        requests. Errors always have the shape <code>{`{"error":{"code","message","details"?}}`}</code>. The API is described by an OpenAPI 3.1
        document, <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>, generated from the schemas that validate each request; the reference below
        is rendered from it.
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
            {operations.map(({ method, path, op }) => (
              <tr>
                <td>
                  <code>{method}</code>
                </td>
                <td>
                  <a href={`#op-${op.operationId}`}>
                    <code>/api/v1{path}</code>
                  </a>
                </td>
                <td>{op.summary}</td>
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
        Every parameter, with its values and limits, is in the <a href="#op-leaderboard">reference</a>. Results without a declared cooling are a
        configuration of their own, left out by the <code>cooling</code> filter.
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
      <h2 id="reference">Reference</h2>
      <p>
        Every operation in <a href="/api/v1/openapi.json">the OpenAPI document</a>: its parameters with their types and limits, its body, and every
        answer with its error codes. Schemas named here (<code>ResultDocument</code>, <code>Submission</code>) are the contract's, under{" "}
        <code>components.schemas</code> in the document.
      </p>
      {operations.map((listed) => (
        <OperationDoc listed={listed} />
      ))}
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
