/**
 * The run chart in a real browser: Debian's Chromium against a real `wrangler
 * dev` whose D1 holds signed results with a sustained test, its thermal
 * series and a power trace. The result page stacks rate, clocks, temperature
 * and power on one time axis; the compare page overlays the configurations'
 * sustained curves. A fleet of three nodes and a result at its Service
 * renders its page. Screenshots go to test-artifacts/screenshots/ for a human
 * to look at.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDocument, keyPairFromSeed, signed } from "../../fixtures/documents.js";
import { type LocalRegistry, startLocalRegistry } from "../helpers/local-registry.js";
import { rankingsSettled } from "../helpers/rankings.js";
import { launchChromium, openPage, shot } from "./browser.js";

let registry: LocalRegistry;
let browser: Browser;
/** The hot board's result (ratio 0.6: its big cluster's clock falls), and the two compared configurations. */
let hotResult: string;
const configurations: string[] = [];

async function post(doc: ReturnType<typeof buildDocument>, seed: number): Promise<string> {
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
  const tests: ("tg" | "sustained")[] = ["tg", "sustained"];
  hotResult = await post(buildDocument({ board: "rock5b", seed: 81, tests, sustainedRatio: 0.6, sustainedSeries: true }), 51);
  await post(buildDocument({ board: "orin-nano", seed: 82, tests, sustainedRatio: 0.97, sustainedSeries: true }), 52);
  // A fleet: three nodes (the third without a meter) and a result driven at the cluster's Service.
  for (const [i, node] of ["pi-a", "pi-b", "pi-c"].entries()) {
    await post(
      buildDocument({
        board: "rpi5",
        seed: 83 + i,
        speed: 1 - i * 0.15,
        ...(i === 2 ? { meter: null } : {}),
        mutate: (d) => {
          d.fleet = { label: "shop", node };
        },
      }),
      53,
    );
  }
  await post(
    buildDocument({
      board: "rpi5",
      seed: 86,
      backend: "http",
      tests: ["tg"],
      serving: {},
      mutate: (d) => {
        d.fleet = { label: "shop", nodes: ["pi-a", "pi-b", "pi-c"] };
      },
    }),
    53,
  );
  await rankingsSettled(registry.url);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await registry?.stop();
});

const open = (path: string, js = true, options: { width?: number; dark?: boolean } = {}): Promise<Page> =>
  openPage(browser, registry.url + path, { js, ...options });

describe("run chart in Chromium", () => {
  it("stacks the sustained test's rate, clocks, temperature and power on one time axis, without JavaScript", async () => {
    const page = await open(`/results/${hotResult}`, false);
    const chart = page.locator('[data-test="sustained"] figure[data-chart="run"]');
    const svg = chart.locator("svg.runchart");
    expect(await svg.getAttribute("aria-label")).toMatch(
      /^sustained run chart: Generation rate from [\d.]+ to [\d.]+ tokens\/s; Clock from [\d,]+ to [\d,]+ MHz; Temperature, hottest zone from [\d.]+ to [\d.]+ °C; Power, primary meter from [\d.]+ to [\d.]+ W, over 120 s$/,
    );
    const panels = await svg.locator("g.panel").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-panel")));
    expect(panels).toEqual(["rate", "clock", "temperature", "power"]);
    // A drawn line in every panel (two in the clock panel: the two CPU clusters), each with a visible extent.
    const lines = svg.locator("path.line");
    expect(await lines.count()).toBe(5);
    const widths = await lines.evaluateAll((ps) => ps.map((p) => (p as SVGPathElement).getBBox().width));
    for (const w of widths) expect(w).toBeGreaterThan(100);
    const texts = await svg.locator("text").allTextContents();
    for (const axis of [
      "Generation rate (tokens/s)",
      "Clock (MHz)",
      "Temperature, hottest zone (°C)",
      "Power, primary meter (W)",
      "Time since the test started (s)",
    ]) {
      expect(texts).toContain(axis);
    }
    // Ticks on the shared time axis reach the end of the 120 s test.
    expect(texts).toContain("120");
    // The big cluster fell below 90 % of its peak: shaded in every panel, and the legend says what shading means.
    expect(await svg.locator("rect.thr").count()).toBeGreaterThanOrEqual(4);
    expect(await chart.locator("figcaption").textContent()).toContain("Shaded: throttled (a CPU cluster's clock below 90 % of its peak so far");
    const legend = await chart.locator("[data-legend]").allTextContents();
    expect(legend).toContain("CPU 4,5,6,7 (max 1,800 MHz, schedutil)");
    expect(legend.some((l) => l.startsWith("CPU 0,1,2,3 (max 2,400 MHz"))).toBe(true);
    // The numbers behind it, readable as a table without the picture.
    await chart.locator("summary").click();
    expect(await chart.locator('table[data-panel="rate"] tbody tr').count()).toBe(120);
    await chart.locator("summary").click();
    await chart.screenshot({ path: shot("run-chart-result") });
    await page.context().close();
  });

  it("overlays the compared configurations' sustained curves with a legend naming each", async () => {
    const page = await open(`/compare?ids=${configurations.join(",")}`);
    const section = page.locator("section#sustained");
    const svg = section.locator("svg.runchart");
    const names = await svg.locator('[data-panel="rate"] path.line').evaluateAll((ps) => ps.map((p) => p.getAttribute("data-series")));
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^Radxa ROCK 5B, /);
    expect(names[1]).toMatch(/^NVIDIA Jetson Orin Nano/);
    const legend = await section.locator("figcaption [data-legend]").allTextContents();
    expect(legend).toEqual(names);
    // Each legend key has the colour of its line.
    const colours = await section.evaluate((s) => {
      const stroke = (el: Element | null) => (el ? getComputedStyle(el).borderTopColor || "" : "");
      return Array.from(s.querySelectorAll("figcaption [data-legend]"), (l, i) => ({
        key: stroke(l.querySelector(".key")),
        line: getComputedStyle(s.querySelectorAll("svg path.line")[i]!).stroke,
      }));
    });
    for (const c of colours) expect(c.key).toBe(c.line);
    expect(new Set(colours.map((c) => c.line)).size).toBe(2);
    expect(await svg.locator("text").allTextContents()).toEqual(
      expect.arrayContaining(["Generation rate (tokens/s)", "Time since the test started (s)"]),
    );
    expect(await section.locator("figcaption").textContent()).toContain("newest visible result");
    await section.screenshot({ path: shot("run-chart-compare") });
    await page.context().close();
  });

  it("fits a phone in the dark scheme: the chart shrinks to the screen and its text stays legible", async () => {
    const page = await open(`/results/${hotResult}`, true, { width: 390, dark: true });
    const svg = page.locator('[data-test="sustained"] svg.runchart');
    const box = (await svg.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Drawn at least 9 px high on screen (the viewBox is scaled down to the phone's width).
    const px = await svg
      .locator("text.ptitle")
      .first()
      .evaluate((t) => (t as SVGTextElement).getBoundingClientRect().height);
    expect(px).toBeGreaterThanOrEqual(9);
    await svg.screenshot({ path: shot("run-chart-phone-dark") });
    await page.context().close();
  });

  it("shows a fleet: its nodes, what they add up to, and the result at its Service", async () => {
    const page = await open("/fleets/shop", false);
    expect(await page.locator("h1").textContent()).toBe("Fleet shop");
    expect(await page.locator("#fleet-nodes tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-node")))).toEqual([
      "pi-a",
      "pi-b",
      "pi-c",
    ]);
    const total = page.locator("#fleet-models tbody tr").first();
    expect(await total.locator('[data-field="w-sum"]').textContent()).toBe("not measured (1 node without a meter)");
    expect(await total.locator('[data-field="spread"]').textContent()).toMatch(/^1\.\d+ x$/);
    expect(await page.locator("#fleet-serving").textContent()).toContain("pi-a, pi-b, pi-c");
    await page.screenshot({ path: shot("fleet"), fullPage: true });
    await page.context().close();
  });
});
