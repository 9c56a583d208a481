/**
 * The serving figures in a real browser: Debian's Chromium against a real
 * `wrangler dev` whose D1 holds signed results with concurrent tests at 1, 2
 * and 4 streams. The serving view ranks them, a result page draws its scaling
 * chart (one level skipped on another board), the compare page overlays the
 * curves. Screenshots go to test-artifacts/screenshots/ for a human to look at.
 */
import type { ResultDocument } from "@edgebench/contract";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDocument, keyPairFromSeed, signed } from "../../fixtures/documents.js";
import { type LocalRegistry, startLocalRegistry } from "../helpers/local-registry.js";
import { rankingsSettled } from "../helpers/rankings.js";
import { launchChromium, openPage, shot } from "./browser.js";

let registry: LocalRegistry;
let browser: Browser;
const results: Record<"pi" | "orin" | "rock", string> = { pi: "", orin: "", rock: "" };
const configurations: string[] = [];

/** The 4-stream level recorded as not run (it did not fit), the way the uploader records it. */
function skipFour(doc: ResultDocument): void {
  const tests = doc.runs[0]!.tests;
  const i = tests.findIndex((t) => t.kind === "concurrent" && t.concurrency === 4);
  tests[i] = {
    name: tests[i]!.name,
    kind: "concurrent",
    nPrompt: 128,
    nGen: 128,
    depth: 0,
    status: "failed",
    error: "skipped: needs 1024 tokens of context, the context holds 512",
    samplesNs: [],
    concurrency: 4,
  };
}

async function post(doc: ResultDocument, seed: number): Promise<string> {
  const { id, body } = await signed(doc, await keyPairFromSeed(seed));
  const res = await fetch(`${registry.url}/api/v1/submissions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  if (res.status !== 201) throw new Error(`POST: ${res.status} ${await res.text()}`);
  const view = (await (await fetch(`${registry.url}/api/v1/submissions/${id}`)).json()) as { runs: { configurationId: string }[] };
  configurations.push(view.runs[0]!.configurationId);
  return id;
}

beforeAll(async () => {
  registry = await startLocalRegistry();
  results.pi = await post(buildDocument({ board: "rpi5", seed: 101, tests: ["tg"], serving: { scaling: 1.7 } }), 53);
  results.orin = await post(buildDocument({ board: "orin-nano", seed: 102, tests: ["tg"], serving: { scaling: 1.9 } }), 54);
  results.rock = await post(buildDocument({ board: "rock5b", seed: 103, tests: ["tg"], serving: {}, mutate: skipFour }), 55);
  await rankingsSettled(registry.url);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await registry?.stop();
});

const open = (path: string, js = true, options: { width?: number; dark?: boolean } = {}): Promise<Page> =>
  openPage(browser, registry.url + path, { js, ...options });

describe("serving in Chromium", () => {
  it("ranks the serving view by aggregate tokens/s at 4 streams, with its columns and note", async () => {
    const page = await open("/?view=serving");
    await page.locator("nav .views a", { hasText: "Serving" }).waitFor();
    expect(await page.locator('nav .views a[aria-current="page"]').textContent()).toBe("Serving");
    const headers = await page.locator("#ranking thead a[data-sort]").evaluateAll((as) => as.map((a) => a.getAttribute("data-sort")));
    expect(headers).toEqual(["serve_tps_c4", "serve_stream_tps_c4", "serve_ttft_p95_ms_c4", "goodput_rps_c4", "serve_tps_c1"]);
    // Orin first, then the Pi; the ROCK 5B's 4-stream level was skipped, so it has no figure to rank by here.
    const rows = await page.locator("#ranking tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-cfg")));
    expect(rows).toEqual([configurations[1], configurations[0]]);
    const note = await page.locator("#serving-note").textContent();
    expect(note).toMatch(/first token came within 1 s and whose p95 inter-token time stayed within 200 ms/);
    await page.locator("#serving-note").scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot("serving-view"), fullPage: true });
    await page.context().close();
  });

  it("draws the result's scaling chart on a concurrency axis, without JavaScript", async () => {
    const page = await open(`/results/${results.pi}`, false);
    const chart = page.locator('section[data-serving="0"] figure[data-chart="scaling"]');
    const svg = chart.locator("svg.scalingchart");
    expect(await svg.getAttribute("aria-label")).toMatch(
      /^Qwen2\.5-0\.5B-Instruct serving scaling chart: Generation rate from [\d.]+ to [\d.]+ tokens\/s; Time to first token, 95th percentile from [\d,.]+ to [\d,.]+ ms; Inter-token time, 95th percentile from [\d.]+ to [\d.]+ ms, at 1, 2, 4 concurrent streams$/,
    );
    expect(await svg.locator("g.panel").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-panel")))).toEqual(["throughput", "ttft", "itl"]);
    // Four lines, each with a visible extent across the three levels, and a dot at every level.
    const widths = await svg.locator("path.line").evaluateAll((ps) => ps.map((p) => (p as SVGPathElement).getBBox().width));
    expect(widths).toHaveLength(4);
    for (const w of widths) expect(w).toBeGreaterThan(300);
    expect(await svg.locator("circle.dot").count()).toBe(12);
    const texts = await svg.locator("text").allTextContents();
    expect(texts).toEqual(
      expect.arrayContaining([
        "1",
        "2",
        "4",
        "Concurrent streams",
        "Generation rate (tokens/s)",
        "Time to first token, 95th percentile (ms)",
        "Inter-token time, 95th percentile (ms)",
      ]),
    );
    // The aggregate line rises to the right: y falls in SVG coordinates.
    const agg = await svg
      .locator('[data-panel="throughput"] g.series[data-series="all streams together"] circle')
      .evaluateAll((cs) => cs.map((c) => Number(c.getAttribute("cy"))));
    expect(agg[2]!).toBeLessThan(agg[0]!);
    await chart.locator("summary").click();
    expect(await chart.locator('table[data-panel="throughput"] tbody tr').count()).toBe(3);
    await chart.screenshot({ path: shot("serving-result-chart") });
    await page.context().close();
  });

  it("says which level was skipped and why, on the result page", async () => {
    const page = await open(`/results/${results.rock}`, false);
    const chart = page.locator('section[data-serving="0"] figure[data-chart="scaling"]');
    expect(await chart.locator('[data-panel="throughput"] circle.dot').count()).toBe(4);
    expect(await chart.locator("figcaption").textContent()).toContain("4 streams: skipped: needs 1024 tokens of context, the context holds 512");
    await chart.locator("summary").click();
    expect(await chart.locator('table[data-panel="itl"] tr[data-level="4"] .skipped').first().textContent()).toMatch(/^skipped: /);
    await chart.screenshot({ path: shot("serving-result-skipped") });
    await page.context().close();
  });

  it("overlays the compared configurations' curves with a legend naming each", async () => {
    const page = await open(`/compare?ids=${configurations.join(",")}`);
    const section = page.locator("section#serving");
    const names = await section.locator('[data-panel="throughput"] path.line').evaluateAll((ps) => ps.map((p) => p.getAttribute("data-series")));
    expect(names).toHaveLength(3);
    const legend = await section.locator("figcaption [data-legend]").allTextContents();
    expect(legend).toEqual(names);
    // Each legend key has its line's colour, the same configuration's colour in every panel.
    const colours = await section.evaluate((s) =>
      Array.from(s.querySelectorAll("figcaption [data-legend]"), (l, i) => ({
        key: getComputedStyle(l.querySelector(".key")!).borderTopColor,
        lines: ["throughput", "ttft", "itl"].map((p) => getComputedStyle(s.querySelectorAll(`[data-panel="${p}"] path.line`)[i]!).stroke),
      })),
    );
    for (const c of colours) expect(c.lines).toEqual([c.key, c.key, c.key]);
    expect(new Set(colours.map((c) => c.key)).size).toBe(3);
    expect(await section.locator("figcaption").textContent()).toContain("4 streams: skipped: needs 1024 tokens of context");
    await section.screenshot({ path: shot("serving-compare") });
    await page.context().close();
  });

  it("fits a phone in the dark scheme", async () => {
    const page = await open(`/results/${results.pi}`, true, { width: 390, dark: true });
    const svg = page.locator('section[data-serving="0"] svg.scalingchart');
    expect((await svg.boundingBox())!.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Panel titles drawn at least 9 px high on screen although the viewBox is scaled down to the phone's width.
    const px = await svg.locator("text.ptitle").evaluateAll((ts) => ts.map((t) => (t as SVGTextElement).getBoundingClientRect().height));
    for (const h of px) expect(h).toBeGreaterThanOrEqual(9);
    await svg.screenshot({ path: shot("serving-result-phone-dark") });
    await page.context().close();
  });
});
