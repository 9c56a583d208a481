/**
 * /results/:id: one signed submission in readable form. The figures a reader
 * comes for lead (each run's speeds, energy, first-token time, accuracy);
 * then system, settings, each test's repetitions, power traces, thermals and
 * charts; last the signature and key fingerprint, a link to the raw signed
 * JSON and how to verify it. Everything the submitter wrote is interpolated
 * through hono/jsx, which escapes it.
 */
import {
  batteryDrain,
  envelopeLitres,
  footprintCm2,
  interTokenPercentileMs,
  isRankedSustained,
  joulesPerTokenFigure,
  METRIC_BY_ID,
  METRICS,
  type MetricId,
  type ModelRun,
  netJoulesPerTokenFigure,
  peakTempC,
  type ResultDocument,
  repRates,
  SUSTAINED_EDGE_S,
  SUSTAINED_RANKED_SECONDS,
  sustainedRateFigure,
  sustainedRatioFigure,
  type TestResult,
  throttleOnsetMs,
  throttleWatched,
} from "@edgebench/contract";
import { isTestResult } from "../../workers/ranking/test-data.js";
import type { SubmissionRunView, SubmissionView } from "../../workers/read/submissions.js";
import { AccuracyCard } from "../components/accuracy-card.js";
import { StandardFileBadge } from "../components/config-cells.js";
import { Layout } from "../components/layout.js";
import { RunChart, WIDE } from "../components/run-chart.js";
import { type TestChart, THROTTLE_NOTE, testChart } from "../components/run-series.js";
import { ScalingChart } from "../components/scaling-chart.js";
import { atLevels, notesAtLevels, scalingLevels, scalingRemarks, servingScaling } from "../components/scaling-series.js";
import { TestDataBadge } from "../components/test-data-badge.js";
import { bytes, metricText, NOT_MEASURED, num, spreadTitle, when } from "../format.js";
import { SIGNING_RULE, verifyScript } from "../verify-snippet.js";

/** How the uploader that made a result was installed (the document's uploader.install). */
const INSTALL_TEXT: Record<NonNullable<ResultDocument["uploader"]["install"]>, string> = {
  npm: "npm package",
  "release-archive": "release archive",
  source: "from source",
};

export function ResultPage(props: { data: SubmissionView; origin: string }) {
  const { data } = props;
  const doc: ResultDocument = data.document;
  const s = data;
  const env = data.envelope;
  const title = `${doc.system.board.name}: ${doc.runs.map((r) => `${r.model.name} ${r.model.quantisation}`).join(", ")}`;
  return (
    // The script: the scaling chart's points show their figures on hover, focus or tap.
    <Layout title={`Result ${s.id.slice(0, 12)}`} section="other" script>
      <p>
        <a href="/">← Leaderboard</a>
      </p>
      <h1>{title}</h1>
      {isTestResult(s.boardId, doc.runs) ? <TestDataBadge what="This result" /> : null}
      <p class="lede">
        Run {when(doc.createdAt)} with {doc.uploader.name} {doc.uploader.version}
        {doc.uploader.install ? ` (${INSTALL_TEXT[doc.uploader.install]}${doc.uploader.node ? `, Node.js ${doc.uploader.node}` : ""})` : ""} (suite{" "}
        {doc.suite.id} {doc.suite.version}), received {when(s.receivedAt)}.
        {doc.origin.kind === "imported" ? ` Imported from ${doc.origin.tool ?? "another tool"}: no power was measured by edgebench.` : ""}
        {s.status !== "visible" ? ` Status: ${s.status}${s.statusReason ? ` (${s.statusReason})` : ""}; not counted in the rankings.` : ""}
        {s.status === "visible" && s.retired ? ` Runtime build retired: ${s.retired.reason}; not counted in the rankings.` : ""}
        {s.status === "visible" && !s.retired && s.rankings === "pending"
          ? " Its leaderboard rows are being recomputed; they include it within seconds."
          : ""}
      </p>
      <p class="muted">
        Signed by {s.displayName ?? "an anonymous contributor"}: <a href="#signature">signature and how to verify it</a>, at the end of the page.
      </p>
      {doc.runs.map((run, i) => (
        <Headline run={run} index={i} computed={data.runs.find((r) => r.index === i)} />
      ))}
      <h2>System</h2>
      <div class="cards">
        <div class="card">
          <h3>Board</h3>
          <dl class="kv">
            <dt>Name</dt>
            <dd>
              <a href={`/boards/${encodeURIComponent(s.boardId)}`}>{doc.system.board.name}</a>
            </dd>
            <dt>Vendor</dt>
            <dd>{doc.system.board.vendor ?? "not given"}</dd>
            <dt>Identified by</dt>
            <dd>{doc.system.board.identifiedBy}</dd>
            <dt>SoC</dt>
            <dd>{doc.system.soc?.name ?? doc.system.soc?.compatible?.join(", ") ?? "not given"}</dd>
            <dt>Envelope</dt>
            <dd data-field="envelope">
              {env
                ? `${env.widthMm} x ${env.depthMm} x ${env.heightMm} mm (${num(envelopeLitres(env)!)} L), ${env.source === "declared" ? "declared by submitter" : "from the catalogue"}`
                : "unknown (size not measured)"}
            </dd>
            <dt>Footprint</dt>
            <dd data-field="footprint">
              {data.footprint
                ? `${data.footprint.widthMm} x ${data.footprint.depthMm} mm (${num(footprintCm2(data.footprint)!)} cm²), ${data.footprint.source === "declared" ? "declared by submitter" : "from the catalogue"}`
                : "unknown (size not measured)"}
            </dd>
            <dt>Conditions</dt>
            <dd data-field="conditions">{conditionsText(doc.system.conditions)}</dd>
            {doc.fleet ? (
              <>
                {/* Cluster runs: which node of which fleet produced this result (rows aggregate nodes of one configuration). */}
                <dt>Fleet / node</dt>
                <dd data-field="fleet">
                  {doc.fleet.label ? <a href={`/fleets/${encodeURIComponent(doc.fleet.label)}`}>{doc.fleet.label}</a> : "no fleet label"}
                  {` / ${doc.fleet.node ?? (doc.fleet.nodes ? `the fleet's Service (nodes declared: ${doc.fleet.nodes.join(", ")})` : "no node name")}`}
                </dd>
              </>
            ) : null}
          </dl>
        </div>
        <div class="card">
          <h3>CPU, memory, OS</h3>
          <dl class="kv">
            <dt>CPU</dt>
            <dd>{`${doc.system.cpu.model} (${doc.system.cpu.arch})`}</dd>
            <dt>Cores</dt>
            <dd>{`${doc.system.cpu.cores} physical, ${doc.system.cpu.threads} logical`}</dd>
            <dt>Memory</dt>
            <dd>{bytes(doc.system.memory.totalBytes)}</dd>
            <dt>OS</dt>
            <dd>{`${doc.system.os.name}${doc.system.os.release ? ` (${doc.system.os.release})` : ""}`}</dd>
            <dt>Kernel</dt>
            <dd>{doc.system.os.kernel}</dd>
          </dl>
        </div>
        <div class="card">
          <h3>Accelerators and runtime</h3>
          <dl class="kv">
            {doc.system.accelerators.length === 0 ? (
              <>
                <dt>Accelerators</dt>
                <dd>none detected</dd>
              </>
            ) : (
              doc.system.accelerators.map((a) => (
                <>
                  <dt>{a.kind.toUpperCase()}</dt>
                  <dd>
                    {a.name}
                    {a.memoryBytes ? `, ${bytes(a.memoryBytes)}` : ""}
                    {a.driver ? `, driver ${a.driver}` : ""}
                    {a.detectedBy ? ` (found by ${a.detectedBy})` : ""}
                  </dd>
                </>
              ))
            )}
            <dt>Runtime</dt>
            <dd>{`${doc.runtime.name} ${doc.runtime.version}${doc.runtime.llamaCppBuild ? `, llama.cpp ${doc.runtime.llamaCppBuild}` : ""}`}</dd>
            <dt>Backend</dt>
            <dd>{doc.runtime.backend}</dd>
            {doc.runtime.llamaCpp ? (
              <>
                <dt>llama.cpp binaries</dt>
                <dd>{binariesText(doc.runtime.llamaCpp)}</dd>
              </>
            ) : null}
            {doc.runtime.http ? (
              <>
                <dt>Server</dt>
                <dd>
                  {`${doc.runtime.http.api} API${doc.runtime.http.serverName ? `, ${doc.runtime.http.serverName}` : ""}${doc.runtime.http.serverVersion ? ` ${doc.runtime.http.serverVersion}` : ""}`}
                  {doc.runtime.http.declaredAccelerator ? ` (declares ${doc.runtime.http.declaredAccelerator}; not verified)` : ""}
                </dd>
              </>
            ) : null}
          </dl>
        </div>
        <div class="card">
          <h3>Power meter</h3>
          {doc.power.meters.length === 0 ? (
            <p>
              <span class="nm">{NOT_MEASURED}</span>
              {doc.power.note ? `: ${doc.power.note}` : ""}
            </p>
          ) : (
            <dl class="kv">
              {doc.power.meters.map((m, i) => (
                <>
                  <dt>{i === 0 ? "Primary" : `Meter ${i + 1}`}</dt>
                  <dd>
                    {`${m.kind}, scope ${m.scope}, ${m.method}`}
                    {m.sampleRateHz ? `, ${num(m.sampleRateHz)} Hz` : ""}
                    {m.label ? ` (${m.label})` : ""}
                    {m.rails?.length ? `; rails: ${m.rails.join(", ")}` : ""}
                    {m.idle ? `; idle ${num(m.idle.watts)} W over ${num(m.idle.seconds)} s` : ""}
                  </dd>
                </>
              ))}
              {doc.power.note ? (
                <>
                  <dt>Note</dt>
                  <dd>{doc.power.note}</dd>
                </>
              ) : null}
            </dl>
          )}
        </div>
      </div>
      {doc.runs.map((run, i) => (
        <RunSection run={run} index={i} computed={data.runs.find((r) => r.index === i)} doc={doc} />
      ))}
      <Signature data={data} origin={props.origin} />
    </Layout>
  );
}

function Signature(props: { data: SubmissionView; origin: string }) {
  const s = props.data;
  const raw = `/api/v1/submissions/${s.id}`;
  return (
    <section aria-labelledby="sig-title" class="card" id="signature">
      <h2 id="sig-title" style="margin-top:0">
        Signature
      </h2>
      <dl class="kv">
        <dt>Submission id</dt>
        <dd class="mono" data-field="id">
          {s.id}
        </dd>
        <dt>Contributor</dt>
        <dd>
          {props.data.displayName ?? "anonymous"} · key fingerprint{" "}
          <span class="mono" data-field="fingerprint">
            {props.data.fingerprint}
          </span>
        </dd>
        <dt>Public key</dt>
        <dd class="mono" data-field="public-key">
          {s.publicKey}
        </dd>
        <dt>Signature</dt>
        <dd class="mono" data-field="signature">
          {s.signature}
        </dd>
        <dt>Raw signed JSON</dt>
        <dd>
          <a href={raw} id="raw-json">
            {raw}
          </a>
        </dd>
      </dl>
      <details>
        <summary>How to verify this result</summary>
        <p>The registry stores the document exactly as signed. Anyone can check it without trusting this site:</p>
        <pre>
          <code>{SIGNING_RULE.join("\n")}</code>
        </pre>
        <pre>
          <code>{verifyScript(props.origin, s.id)}</code>
        </pre>
      </details>
    </section>
  );
}

/** The figures each run leads with, in this order (labels and units from the contract's list); the full list follows in the run's table. */
const HEADLINE: readonly MetricId[] = ["tg_tps", "pp_tps", "tokens_per_j", "ttft_ms"];

/** A run's headline: its figures as the registry computed them, its task accuracy, and what marks it (failed, outlier). */
function Headline(props: { run: ModelRun; index: number; computed: SubmissionRunView | undefined }) {
  const { run, computed } = props;
  return (
    <section aria-labelledby={`run-${props.index}`} class="headline" data-run={props.index}>
      <h2 id={`run-${props.index}`}>
        {`Run ${props.index + 1}: ${run.model.name} ${run.model.quantisation}`}
        {run.status === "failed" ? <span class="badge unconfirmed">failed</span> : null}
        {computed?.outliers.length ? (
          <span class="badge unconfirmed outlier" title={computed.outliers[0]!.rule}>
            outlier
          </span>
        ) : null}
      </h2>
      {run.error ? <p>Error: {run.error}</p> : null}
      <div class="cards lead">
        <div class="card">
          <dl class="figs">
            {HEADLINE.map((id) => {
              const metric = METRIC_BY_ID[id];
              const v = computed?.metrics[id]?.value;
              const sd = computed?.metrics[id]?.stddev;
              return (
                <div class="fig" data-headline={id}>
                  <dt title={metric.description}>{metric.label}</dt>
                  <dd>
                    {v === undefined ? (
                      <span class="nm">{NOT_MEASURED}</span>
                    ) : (
                      <>
                        <span class="big">{num(v)}</span> {metric.unit}
                        {sd !== undefined ? (
                          <span class="sd" title={spreadTitle(id)}>
                            ± {num(sd)}
                          </span>
                        ) : null}
                      </>
                    )}
                  </dd>
                </div>
              );
            })}
          </dl>
          <p class="muted" style="margin-bottom:0">
            <a href={`#run-${props.index}-details`}>Every figure, the tests and their charts</a>
          </p>
        </div>
        <AccuracyCard accuracy={run.accuracy} />
      </div>
      {computed?.outliers.map((o) => (
        <p class="outlier-note" data-metric={o.metric}>
          {`Outlier within its configuration: ${METRIC_BY_ID[o.metric].label} ${metricText(o.metric, o.value)} against the configuration's median ${metricText(o.metric, o.median)} (MAD ${num(o.mad)}, modified z-score ${o.score.toFixed(1)}). Rule: ${o.rule}. The mark changes nothing stored: the median the configuration ranks by resists one far-off run.`}
        </p>
      ))}
    </section>
  );
}

function RunSection(props: { run: ModelRun; index: number; computed: SubmissionRunView | undefined; doc: ResultDocument }) {
  const { run, computed } = props;
  const m = run.model;
  const st = run.settings;
  return (
    <section aria-labelledby={`run-${props.index}-details`}>
      <h2 id={`run-${props.index}-details`}>{`Run ${props.index + 1} in detail: ${m.name} ${m.quantisation}`}</h2>
      <div class="cards">
        <div class="card">
          <h3>Model</h3>
          <dl class="kv">
            <dt>File</dt>
            <dd>{m.fileName ?? "not given"}</dd>
            <dt>Size</dt>
            <dd>{bytes(m.sizeBytes)}</dd>
            <dt>Parameters</dt>
            <dd>{m.parameters ? m.parameters.toLocaleString("en-US") : "not given"}</dd>
            <dt>Arch</dt>
            <dd>{m.arch ?? "not given"}</dd>
            <dt>SHA-256</dt>
            <dd class="mono">
              {m.sha256 ?? "not given"}
              <StandardFileBadge standardFile={computed?.standardFile ?? false} />
            </dd>
            <dt>Source</dt>
            <dd>{m.source ?? "not given"}</dd>
          </dl>
        </div>
        <div class="card">
          <h3>Settings</h3>
          <dl class="kv">
            <dt>Threads</dt>
            <dd>{st.threads}</dd>
            <dt>GPU layers</dt>
            <dd>{st.gpuLayers}</dd>
            <dt>Context</dt>
            <dd>{st.contextSize}</dd>
            <dt>Batch / ubatch</dt>
            <dd>{`${st.batchSize} / ${st.ubatchSize}`}</dd>
            <dt>Flash attention</dt>
            <dd>{st.flashAttention ? "on" : "off"}</dd>
            <dt>Perplexity</dt>
            <dd>{run.quality ? `${num(run.quality.perplexity)} over ${run.quality.tokens} tokens of ${run.quality.corpus.id}` : NOT_MEASURED}</dd>
          </dl>
        </div>
      </div>
      <h3>Figures computed by the registry</h3>
      <div class="tablewrap">
        <table class="figures">
          <tbody>
            {METRICS.map((metric) => {
              const v = computed?.metrics[metric.id]?.value;
              const sd = computed?.metrics[metric.id]?.stddev;
              return (
                <tr data-metric={metric.id}>
                  <th scope="row" title={metric.description}>
                    {metric.label}
                  </th>
                  <td class="n">{v === undefined ? <span class="nm">{NOT_MEASURED}</span> : metricText(metric.id, v)}</td>
                  <td class="n muted" title={sd !== undefined && v !== undefined ? spreadTitle(metric.id) : undefined}>
                    {sd !== undefined && v !== undefined ? `± ${num(sd)}` : ""}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ServingScalingSection run={run} index={props.index} />
      <h3>Tests</h3>
      <div class="cards wide">
        {run.tests.map((t) => (
          <TestBlock test={t} doc={props.doc} />
        ))}
      </div>
    </section>
  );
}

/**
 * Gross energy per token as ranked, and net beside it: idle power over the
 * repetition subtracted (the primary meter's idle reading), what the model
 * itself cost. Net is shown, never ranked: idle is measured once, before the
 * run, and its share depends on the board's other loads.
 */
function energyPerToken(t: TestResult, doc: ResultDocument): string | null {
  if (t.kind === "ttft" || t.nPrompt + t.nGen === 0) return null;
  const gross = joulesPerTokenFigure(t);
  if (!gross) return null;
  const net = netJoulesPerTokenFigure(t, doc);
  return `${num(gross.value)} J/token gross${net ? `, ${num(net.value)} J/token net of idle (${num(doc.power.meters[0]!.idle!.watts)} W)` : ", net not known (no idle reading)"}`;
}

function TestBlock(props: { test: TestResult; doc: ResultDocument }) {
  const t = props.test;
  const perToken = energyPerToken(t, props.doc);
  const energy = t.energy?.find((e) => e.meter === 0);
  const rates = t.status === "ok" ? repRates(t) : [];
  // A chart of several panels needs the card's whole row to stay readable.
  const chart = testChart(t);
  return (
    <div class={`card${chart.panels.length > 1 ? " full" : ""}`} data-test={t.name}>
      <h3 style="margin-top:0">
        {t.name}
        <span class="muted">{` · ${t.kind}, ${t.nPrompt} prompt + ${t.nGen} generated tokens${t.depth ? ` at depth ${t.depth}` : ""}`}</span>
        {t.status === "failed" ? <span class="badge unconfirmed">failed</span> : null}
      </h3>
      {t.error ? <p>Error: {t.error}</p> : null}
      {t.samplesNs.length > 0 ? (
        <div class="tablewrap">
          <table class="reps">
            <thead>
              <tr>
                <th scope="col">Repetition</th>
                {t.samplesNs.map((_, i) => (
                  <th scope="col" class="n">
                    {i + 1}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Time (ms)</th>
                {t.samplesNs.map((ns) => (
                  <td class="n">{num(ns / 1e6)}</td>
                ))}
              </tr>
              {t.kind !== "ttft" ? (
                <tr>
                  <th scope="row">Tokens/s</th>
                  {rates.map((r) => (
                    <td class="n">{num(r)}</td>
                  ))}
                </tr>
              ) : null}
              <tr>
                <th scope="row">Energy (J)</th>
                {energy?.status === "measured" && energy.joulesPerRep ? (
                  energy.joulesPerRep.map((j) => <td class="n">{num(j)}</td>)
                ) : (
                  <td colspan={t.samplesNs.length}>
                    <span class="nm">{NOT_MEASURED}</span>
                  </td>
                )}
              </tr>
            </tbody>
          </table>
        </div>
      ) : null}
      <dl class="kv" style="margin-top:.5rem">
        {t.timing ? (
          <>
            <dt>Timing</dt>
            <dd>{`${t.timing}${t.tokenCounts ? `, token counts ${t.tokenCounts}` : ""}`}</dd>
          </>
        ) : null}
        {t.interTokenNs ? (
          <>
            <dt>Inter-token latency</dt>
            <dd>{`p50 ${num(t.interTokenNs.p50 / 1e6)} ms, p90 ${num(t.interTokenNs.p90 / 1e6)} ms`}</dd>
          </>
        ) : null}
        {t.tokenNs || t.tokenTimes ? (
          <>
            <dt>Token times</dt>
            <dd data-field="token-times">{tokenTimesText(t)}</dd>
          </>
        ) : null}
        <dt>Energy</dt>
        <dd>
          {energy
            ? energy.status === "measured"
              ? `measured${energy.peakW !== undefined ? `, peak ${num(energy.peakW)} W` : ""}${energy.samples !== undefined ? `, ${energy.samples} samples` : ""}${energy.achievedRateHz !== undefined ? ` at ${num(energy.achievedRateHz)} Hz` : ""}`
              : `${NOT_MEASURED} (${energy.status}: ${energy.reason ?? "no reason given"})`
            : NOT_MEASURED}
        </dd>
        {perToken ? (
          <>
            <dt>Energy per token</dt>
            <dd data-field="energy-per-token">{perToken}</dd>
          </>
        ) : null}
        <dt>Thermals</dt>
        <dd>
          {t.thermal
            ? [
                t.thermal.startTempC !== undefined ? `start ${num(t.thermal.startTempC)} °C` : null,
                t.thermal.maxTempC !== undefined ? `max ${num(t.thermal.maxTempC)} °C` : null,
                t.thermal.minCpuFreqMHz !== undefined || t.thermal.maxCpuFreqMHz !== undefined
                  ? `CPU ${t.thermal.minCpuFreqMHz ?? "?"} to ${t.thermal.maxCpuFreqMHz ?? "?"} MHz`
                  : null,
                t.thermal.throttled === undefined ? null : t.thermal.throttled ? "throttled" : "not throttled",
              ]
                .filter(Boolean)
                .join(", ") || NOT_MEASURED
            : NOT_MEASURED}
        </dd>
        <dt>Resources</dt>
        <dd>
          {t.resources
            ? [
                t.resources.peakRssBytes !== undefined ? `peak RSS ${bytes(t.resources.peakRssBytes)}` : null,
                t.resources.cpuPercent !== undefined ? `CPU ${num(t.resources.cpuPercent)} %` : null,
                t.resources.peakVramBytes !== undefined ? `peak VRAM ${bytes(t.resources.peakVramBytes)}` : null,
              ]
                .filter(Boolean)
                .join(", ") || NOT_MEASURED
            : NOT_MEASURED}
        </dd>
      </dl>
      {t.windows ? <SustainedFigures test={t} /> : null}
      <TestRunChart test={t} chart={chart} />
    </div>
  );
}

/** A run's concurrent tests as one scaling chart: what all streams together and each stream get, and how long they wait, as streams are added. */
function ServingScalingSection(props: { run: ModelRun; index: number }) {
  const scaling = servingScaling(props.run.tests);
  if (!scaling) return null;
  const levels = scalingLevels([scaling]);
  const notes = notesAtLevels(scaling, levels);
  const id = `serving-${props.index}`;
  return (
    <section aria-labelledby={id} data-serving={props.index}>
      <h3 id={id}>Serving: scaling with concurrent streams</h3>
      {scaling.points.length === 0 ? (
        <p data-field="serving-none">
          No concurrency level ran:{" "}
          {scaling.notRun.map((n) => `${n.concurrency !== null ? `${n.concurrency} streams` : n.name}: ${n.reason}`).join("; ")}.
        </p>
      ) : (
        <ScalingChart
          label={`${props.run.model.name} serving scaling chart`}
          caption="Each concurrency level's test. All streams together: every stream's generated tokens over the wall time from the first prompt token, so prompt processing is in it; each stream: its tokens after its first, over the time they took. Time to first token and between tokens: 95th percentile over every stream and repetition."
          levels={levels}
          panels={[
            {
              key: "throughput",
              title: "Generation rate",
              unit: "tokens/s",
              series: [
                { label: "all streams together", key: "all streams together", values: atLevels(scaling, levels, (p) => p.aggregateTps), notes },
                { label: "each stream", key: "each stream", values: atLevels(scaling, levels, (p) => p.streamTps), notes },
              ],
            },
            {
              key: "ttft",
              title: "Time to first token, 95th percentile",
              unit: "ms",
              series: [
                { label: "time to first token p95", key: "time to first token p95", values: atLevels(scaling, levels, (p) => p.ttftP95Ms), notes },
              ],
            },
            {
              key: "itl",
              title: "Inter-token time, 95th percentile",
              unit: "ms",
              series: [{ label: "inter-token p95", key: "inter-token p95", values: atLevels(scaling, levels, (p) => p.interTokenP95Ms), notes }],
            },
          ]}
          remarks={scalingRemarks(scaling)}
        />
      )}
    </section>
  );
}

/** "p50 38.1 ms, p95 40.2 ms, p99 52.0 ms, max 61.3 ms": each generated token's time, from the raw times or the sustained test's histogram. */
function tokenTimesText(t: TestResult): string {
  const p = (q: number) => interTokenPercentileMs(t, q);
  const max = t.tokenTimes ? t.tokenTimes.maxNs / 1e6 : Math.max(...(t.tokenNs ?? []).flat()) / 1e6;
  const parts = [50, 95, 99].map((q) => `p${q} ${p(q) === null ? "?" : num(p(q)!)} ms`);
  return `${parts.join(", ")}, max ${num(max)} ms${t.tokenTimes ? " (percentiles within 5 %: counted in buckets)" : ""}`;
}

/** "prebuilt, commit 0ad4a86, CPU variant haswell, loaded ggml-cpu-haswell": what a reader needs to tell builds apart. */
function binariesText(b: NonNullable<ResultDocument["runtime"]["llamaCpp"]>): string {
  const parts = [
    b.origin === "prebuilt" ? "prebuilt release binaries" : b.origin === "local" ? "built on this machine" : "origin not stated",
    b.commit ? `commit ${b.commit}` : "commit not recorded",
    b.cpuVariant ? `CPU variant ${b.cpuVariant}` : null,
    b.backendLibraries?.length ? `loaded ${b.backendLibraries.join(", ")}` : null,
    b.systemInfo ? b.systemInfo : null,
  ];
  return parts.filter((p) => p !== null).join("; ");
}

/** A sustained test's ranked figures in words (the chart below plots its windows). */
function SustainedFigures(props: { test: TestResult }) {
  const t = props.test;
  const w = t.windows!;
  const ratio = sustainedRatioFigure(t);
  const last = sustainedRateFigure(t);
  const onset = t.thermal ? throttleOnsetMs(t.thermal) : null;
  const peak = t.thermal ? peakTempC(t.thermal) : null;
  const drain = batteryDrain(t);
  const watched = t.thermal ? throttleWatched(t.thermal) : false;
  return (
    <>
      <p class="muted" style="margin-bottom:.2rem" data-field="sustained">
        {`Generation without pause, ${w.tokens.length} windows of ${num(w.ms / 1000)} s: last ${SUSTAINED_EDGE_S} s median ${last ? num(last.value) : "?"} tokens/s, last over first ${SUSTAINED_EDGE_S} s ${ratio ? num(ratio.value) : "?"}`}
        {isRankedSustained(t) ? null : ` (ranked only at ${SUSTAINED_RANKED_SECONDS} s)`}
      </p>
      <p class="muted" style="margin-bottom:.2rem" data-field="sustained-thermal">
        {[
          onset !== null ? `throttled after ${num(onset / 1000)} s` : watched ? "not throttled" : `throttling ${NOT_MEASURED}`,
          peak !== null ? `peak ${num(peak)} °C` : `temperature ${NOT_MEASURED}`,
        ].join(", ")}
      </p>
      {drain ? (
        <p class="muted" style="margin-bottom:.2rem" data-field="battery">
          {`Battery: ${num(drain.pctLost)} % used, ${num(drain.pctPer1kTokens)} ± ${num(drain.pctPer1kResolution)} % per 1,000 tokens (the gauge reads whole percent)${drain.joulesPerToken !== undefined ? `; ${num(drain.joulesPerToken)} J/token from its energy counter` : ""}`}
        </p>
      ) : null}
    </>
  );
}

/** The test's generation rate, clocks, hottest zone and power on one time axis, when it recorded any of them over time. */
function TestRunChart(props: { test: TestResult; chart: TestChart }) {
  const t = props.test;
  const { panels, shaded } = props.chart;
  if (panels.length === 0) return null;
  const words: Record<string, string> = {
    rate: "generation rate",
    clock: "clocks",
    temperature: "hottest zone's temperature",
    power: "primary meter's power",
  };
  const what = panels.map((p) => words[p.key] ?? p.title.toLowerCase());
  const list = what.length > 1 ? `${what.slice(0, -1).join(", ")} and ${what.at(-1)}` : what[0]!;
  return (
    <RunChart
      label={`${t.name} run chart`}
      caption={`${t.name}: ${list} over the test${panels.length > 1 ? ", on one time axis" : ""}.`}
      // A one-panel chart shares a row of cards, so it is drawn for the width of a card.
      width={panels.length > 1 ? WIDE : 420}
      panels={panels}
      shaded={shaded}
      shadedNote={THROTTLE_NOTE}
    />
  );
}

/** "Jetson power mode 15W (id 2), clocks locked by jetson_clocks": a mode caps clocks on purpose, so it is part of the configuration a reader compares. */
function jetsonText(j: NonNullable<NonNullable<ResultDocument["system"]["conditions"]>["jetson"]>): string {
  const mode =
    j.powerMode !== undefined
      ? `Jetson power mode ${j.powerMode}${j.powerModeId !== undefined ? ` (id ${j.powerModeId})` : ""}`
      : "Jetson power mode not read";
  const clocks = j.clocksLocked === undefined ? null : j.clocksLocked ? "clocks locked (jetson_clocks)" : "clocks not locked";
  return [mode, clocks].filter((p) => p !== null).join(", ");
}

/** "fan (declared), room 23 °C (declared), on battery": what is not said stays "not stated", never guessed. */
function conditionsText(c: ResultDocument["system"]["conditions"]): string {
  const source = { battery: "on battery", charging: "charging", mains: "battery on mains (full)" } as const;
  return [
    c?.cooling ? `${c.cooling} cooling (declared)` : "cooling not stated",
    c?.ambientC !== undefined ? `room ${num(c.ambientC)} °C (declared)` : "room temperature not stated",
    c?.powerSource ? source[c.powerSource] : null,
    c?.jetson ? jetsonText(c.jetson) : null,
  ]
    .filter((p) => p !== null)
    .join(", ");
}
