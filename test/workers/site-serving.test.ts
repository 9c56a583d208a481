/**
 * The serving figures on the site, through the real Worker and D1: the
 * serving view ranks by aggregate tokens/s at the suite's highest level with
 * its columns and a note built from the contract's constants; a result page
 * draws the run's scaling curve with the points servingCurve() computes and
 * says why a level has none; the compare page overlays the configurations'
 * curves, read with their sustained tests in one query.
 */
import { env } from "cloudflare:workers";
import {
  interTokenPercentileMs,
  type ResultDocument,
  SERVING_GEN_TOKENS,
  SERVING_PROMPT_TOKENS,
  SERVING_RANKED_C,
  SERVING_SLO,
  servingCurve,
  type TestResult,
} from "@edgebench/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { num } from "../../leaderboard/format.js";
import { meteredD1, newMeter } from "../../workers/d1-meter.js";
import { createDb } from "../../workers/db.js";
import type { RankedPage } from "../../workers/ranking/rank.js";
import { getConfigurations } from "../../workers/read/configurations.js";
import { sustainedCurves } from "../../workers/read/sustained-curves.js";
import { buildDocument, keyPairFromSeed } from "../fixtures/documents.js";
import { call, ingest } from "./helpers.js";

const SKIP_REASON = "skipped: needs 1024 tokens of context, the context holds 512";

/** The fixture's 4-stream test replaced by the record of a level that could not run (the uploader's pattern). */
function skipFour(doc: ResultDocument): void {
  const tests = doc.runs[0]!.tests;
  const i = tests.findIndex((t) => t.kind === "concurrent" && t.concurrency === 4);
  const t = tests[i]!;
  tests[i] = {
    name: t.name,
    kind: "concurrent",
    nPrompt: t.nPrompt,
    nGen: t.nGen,
    depth: 0,
    status: "failed",
    error: SKIP_REASON,
    samplesNs: [],
    concurrency: 4,
  };
}

async function configurationOf(submissionId: string): Promise<string> {
  const view = (await (await call(`/api/v1/submissions/${submissionId}`)).json()) as { runs: { configurationId: string }[] };
  return view.runs[0]!.configurationId;
}

/** The HTML from `start` to the matching close of the first element that opens there (no nesting of the same tag assumed). */
function slice(html: string, start: string, end: string): string {
  const i = html.indexOf(start);
  return i < 0 ? "" : html.slice(i, html.indexOf(end, i) + end.length);
}

/** Circles of one panel of a scaling chart: the series, level and value each stands for. */
function dots(panel: string): { series: string; level: number; value: number }[] {
  const out: { series: string; level: number; value: number }[] = [];
  for (const g of panel.split('<g class="series"').slice(1)) {
    const series = /^ data-series="([^"]+)"/.exec(g)![1]!;
    for (const m of g.matchAll(/<circle class="dot s\d" [^>]*data-level="(\d+)" data-value="([^"]+)"/g))
      out.push({ series, level: Number(m[1]), value: Number(m[2]) });
  }
  return out;
}

/** One panel's SVG: from its group to the next panel's, or to the end of the drawing. */
function panelHtml(figure: string, key: string): string {
  const start = figure.indexOf(`<g class="panel" data-panel="${key}">`);
  if (start < 0) return "";
  const next = figure.indexOf('<g class="panel"', start + 1);
  return figure.slice(start, next < 0 ? figure.indexOf("</svg>", start) : next);
}

const docs = {
  rpi: buildDocument({ board: "rpi5", seed: 91, tests: ["tg"], serving: { scaling: 1.7 } }),
  orin: buildDocument({ board: "orin-nano", seed: 92, tests: ["tg"], serving: { scaling: 1.9 } }),
  nuc: buildDocument({ board: "nuc", seed: 93, tests: ["tg"], serving: { scaling: 1.2 } }),
  rock: buildDocument({ board: "rock5b", seed: 94, tests: ["tg"], serving: {}, mutate: skipFour }),
  plain: buildDocument({ board: "rpi5", seed: 95, tests: ["tg"], models: ["qwen2.5-0.5b-q8_0"] }),
};
const sub: Record<keyof typeof docs, string> = { rpi: "", orin: "", nuc: "", rock: "", plain: "" };
const cfg: Record<keyof typeof docs, string> = { rpi: "", orin: "", nuc: "", rock: "", plain: "" };

beforeAll(async () => {
  const keys = await keyPairFromSeed(91);
  for (const k of Object.keys(docs) as (keyof typeof docs)[]) {
    sub[k] = await ingest(docs[k], keys);
    cfg[k] = await configurationOf(sub[k]);
  }
});

describe("serving view", () => {
  it("ranks by aggregate tokens/s at the highest level, as the API does, with the serving columns and the note", async () => {
    const html = await (await call("/?view=serving")).text();
    expect(html).toMatch(/<a href="\/\?view=serving&amp;model=[^"]+" aria-current="page">Serving<\/a>/);
    const table = slice(html, '<table id="ranking" data-view="serving"', "</table>");
    expect(table).not.toBe("");
    const headers = [...table.matchAll(/data-sort="([a-z0-9_]+)"/g)].map((m) => m[1]);
    expect(headers).toEqual(["serve_tps_c4", "serve_stream_tps_c4", "serve_ttft_p95_ms_c4", "goodput_rps_c4", "serve_tps_c1"]);
    expect(table).toContain('aria-sort="descending"');

    const rowIds = [...table.matchAll(/<tr data-cfg="([0-9a-f]+)"/g)].map((m) => m[1]);
    // Only configurations with a ranked 4-stream figure: the skipped level and the run without serving tests are not ranked here.
    expect(new Set(rowIds)).toEqual(new Set([cfg.rpi, cfg.orin, cfg.nuc]));
    const api = (await (await call("/api/v1/leaderboard?sort=serve_tps_c4")).json()) as RankedPage;
    expect(rowIds).toEqual(api.rows.map((r) => r.id));
    const values = api.rows.map((r) => r.metrics.serve_tps_c4!);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    // Aggregate at 4 streams is about the single-stream rate times the scaling squared (two doublings): Orin 60 x 1.9^2,
    // the NUC 45 x 1.2^2, the Pi 20 x 1.7^2. The Pi scales better than the NUC but starts too far behind.
    expect(rowIds).toEqual([cfg.orin, cfg.nuc, cfg.rpi]);
    for (const r of api.rows) {
      for (const m of ["serve_stream_tps_c4", "serve_ttft_p95_ms_c4", "goodput_rps_c4", "serve_tps_c1"] as const) expect(r.metrics[m]).toBeDefined();
      // Batched streams: together faster than one stream alone, each slower.
      expect(r.metrics.serve_tps_c4!).toBeGreaterThan(r.metrics.serve_tps_c1!);
      expect(r.metrics.serve_stream_tps_c4!).toBeLessThan(r.metrics.serve_tps_c1!);
    }

    const note = slice(html, '<p class="scope-note" id="serving-note">', "</p>");
    expect(note).toContain(`each a ${SERVING_PROMPT_TOKENS}-token prompt and ${SERVING_GEN_TOKENS} generated tokens`);
    expect(note).toContain(`ranked at ${SERVING_RANKED_C}`);
    expect(note).toContain(`within ${SERVING_SLO.ttftMs / 1000} s`);
    expect(note).toContain(`within ${SERVING_SLO.itlP95Ms} ms`);
    // The note is the serving view's alone.
    expect(await (await call("/")).text()).not.toContain('id="serving-note"');
  });
});

describe("result page scaling chart", () => {
  it("plots the run's servingCurve at 1, 2 and 4 streams, and tabulates it", async () => {
    const html = await (await call(`/results/${sub.rpi}`)).text();
    const section = slice(html, '<section aria-labelledby="serving-0"', "</section>");
    expect(section).toContain("Serving: scaling with concurrent streams");
    const figure = slice(section, '<figure class="chartbox runbox" data-chart="scaling"', "</figure>");
    expect(figure).not.toBe("");
    const curve = servingCurve(docs.rpi.runs[0]!.tests);
    expect(curve.map((p) => p.concurrency)).toEqual([1, 2, 4]);

    const throughput = dots(panelHtml(figure, "throughput"));
    const ttft = dots(panelHtml(figure, "ttft"));
    const itl = dots(panelHtml(figure, "itl"));
    const expectSeries = (got: typeof throughput, series: string, pick: (p: (typeof curve)[number]) => number | null) => {
      const pts = got.filter((d) => d.series === series);
      expect(pts.map((d) => d.level)).toEqual([1, 2, 4]);
      for (const [i, d] of pts.entries()) expect(d.value).toBeCloseTo(pick(curve[i]!)!, 6);
    };
    expectSeries(throughput, "all streams together", (p) => p.aggregateTps);
    expectSeries(throughput, "each stream", (p) => p.streamTps);
    expectSeries(ttft, "time to first token p95", (p) => p.ttftP95Ms);
    expectSeries(itl, "inter-token p95", (p) => p.interTokenP95Ms);
    // Batched streams (the fixture scales 1.7 per doubling, less the longer prompt phase): together faster, each slower.
    expect(curve.map((p) => p.aggregateTps)).toEqual([...curve.map((p) => p.aggregateTps)].sort((a, b) => a - b));
    expect(curve[2]!.streamTps!).toBeLessThan(curve[0]!.streamTps!);

    // The x axis is the levels, evenly spaced, labelled, and named.
    const xs = [...new Set(throughput.filter((d) => d.series === "all streams together").map((d) => d.level))];
    expect(xs).toEqual([1, 2, 4]);
    const cx = [...panelHtml(figure, "throughput").matchAll(/<circle class="dot s0" cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(cx[1]! - cx[0]!).toBeCloseTo(cx[2]! - cx[1]!, 0);
    expect(figure).toContain(">Concurrent streams</text>");
    expect(figure).toContain("Generation rate (tokens/s)");
    expect(figure).toContain("Time to first token, 95th percentile (ms)");
    expect(figure).toContain("Inter-token time, 95th percentile (ms)");
    // Four lines (two rates, two latencies), each through its three points.
    expect([...figure.matchAll(/<path class="line s\d" d="M[\d.]+,[\d.]+L[\d.]+,[\d.]+L[\d.]+,[\d.]+"/g)]).toHaveLength(4);

    const table = slice(figure, '<table class="reps" data-panel="throughput">', "</table>");
    const row4 = slice(table, '<tr data-level="4">', "</tr>");
    const cells = [...row4.matchAll(/<td class="n">([^<]+)<\/td>/g)].map((m) => m[1]);
    expect(cells).toHaveLength(2);
    expect(Number(cells[0]!.replace(/,/g, ""))).toBeCloseTo(curve[2]!.aggregateTps, curve[2]!.aggregateTps >= 100 ? -1 : 0);
  });

  it("lists a level that could not run with its reason, and plots the others", async () => {
    const html = await (await call(`/results/${sub.rock}`)).text();
    const figure = slice(html, '<figure class="chartbox runbox" data-chart="scaling"', "</figure>");
    const agg = dots(panelHtml(figure, "throughput")).filter((d) => d.series === "all streams together");
    expect(agg.map((d) => d.level)).toEqual([1, 2]);
    // Level 4 is still on the axis and in the table, with the uploader's reason instead of a number.
    expect(figure).toContain(">4</text>");
    const row4 = slice(slice(figure, '<table class="reps" data-panel="throughput">', "</table>"), '<tr data-level="4">', "</tr>");
    expect(row4).toContain(`<span class="skipped">${SKIP_REASON}</span>`);
    expect(figure).toContain(`4 streams: ${SKIP_REASON}`);
  });

  it("states each generated token's time on the generation test, from its raw times", async () => {
    const html = await (await call(`/results/${sub.rpi}`)).text();
    const tg = docs.rpi.runs[0]!.tests.find((t) => t.kind === "tg" && t.depth === 0)!;
    const p99 = interTokenPercentileMs(tg, 99)!;
    expect(p99).toBeGreaterThan(interTokenPercentileMs(tg, 50)!);
    const block = slice(html, `<div class="card" data-test="${tg.name}"`, "</dl>");
    expect(block).toMatch(
      new RegExp(`data-field="token-times">p50 [\\d.]+ ms, p95 [\\d.]+ ms, p99 ${num(p99).replace(".", "\\.")} ms, max [\\d.]+ ms<`),
    );
  });

  it("has no scaling section for a run without concurrent tests", async () => {
    const html = await (await call(`/results/${sub.plain}`)).text();
    expect(html).not.toContain('data-chart="scaling"');
    expect(html).not.toContain("Serving: scaling");
  });
});

describe("compare page scaling overlay", () => {
  it("reads the representative runs' concurrent tests with their sustained ones in one query", async () => {
    const rows = await getConfigurations(createDb(env.DB), [cfg.rpi, cfg.orin, cfg.rock, cfg.plain]);
    const meter = newMeter();
    const curves = await sustainedCurves(createDb(meteredD1(env.DB, meter)), rows);
    expect(meter.queries).toBe(1);
    const concurrent = (d: ResultDocument): TestResult[] => d.runs[0]!.tests.filter((t) => t.kind === "concurrent");
    expect(curves.get(cfg.rpi)!.concurrent).toEqual(concurrent(docs.rpi));
    expect(curves.get(cfg.rock)!.concurrent).toEqual(concurrent(docs.rock));
    expect(curves.get(cfg.plain)).toMatchObject({ submissionId: sub.plain, test: null, concurrent: [] });
  });

  it("overlays one curve per configuration with a legend, and says which has none", async () => {
    const html = await (await call(`/compare?ids=${cfg.orin},${cfg.rpi},${cfg.rock},${cfg.plain}`)).text();
    const section = slice(html, '<section aria-labelledby="serving-title" id="serving">', "</section>");
    expect(section).not.toBe("");
    const throughput = panelHtml(section, "throughput");
    const lines = [...throughput.matchAll(/<path class="line (s\d)" d="[^"]+" data-series="([^"]+)"/g)].map((m) => ({ colour: m[1], name: m[2]! }));
    // Three configurations with concurrent tests (the one with level 4 skipped too, through its two levels).
    expect(lines.map((l) => l.name.split(",")[0])).toEqual(["NVIDIA Jetson Orin Nano dev kit", "Raspberry Pi 5", "Radxa ROCK 5B"]);
    expect(new Set(lines.map((l) => l.colour)).size).toBe(3);
    for (const l of lines) expect(section).toContain(`data-legend="${l.name}"`);
    // Each curve's points are its representative run's servingCurve.
    const orinDots = dots(throughput).filter((d) => d.series === lines[0]!.name);
    for (const [i, p] of servingCurve(docs.orin.runs[0]!.tests).entries()) expect(orinDots[i]!.value).toBeCloseTo(p.aggregateTps, 6);
    // Each latency panel: one line per configuration, in that configuration's colour.
    for (const key of ["ttft", "itl"]) {
      const colours = [...panelHtml(section, key).matchAll(/<path class="line (s\d)" d="[^"]+" data-series="([^"]+)"/g)].map((m) => m[1]);
      expect(colours).toEqual(lines.map((l) => l.colour));
    }
    expect(section).toContain(`, 4 streams: ${SKIP_REASON}`);
    expect(section).toContain(`href="/results/${sub.orin}"`);
    expect(section).toMatch(/Raspberry Pi 5[^<]*Q8_0[^<]*: its newest result has no concurrent test that ran, so no curve/);
  });
});
