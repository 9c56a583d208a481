/**
 * The leaderboard in a real browser: Debian's Chromium (playwright-core)
 * against a real `wrangler dev` on 127.0.0.1 whose D1 holds real signed
 * submissions POSTed through the API. Screenshots of every page go to
 * test-artifacts/screenshots/ for a human to look at.
 */
import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDocument, keyPairFromSeed, signed } from "../../fixtures/documents.js";
import { THROUGHPUT_ORDER_Q4, WALL_ENERGY_ORDER, WALL_PARETO } from "../../workers/site-data.js";
import { type LocalRegistry, REPO_ROOT, startLocalRegistry } from "../helpers/local-registry.js";
import { rankingsSettled } from "../helpers/rankings.js";
import { launchChromium, shot } from "./browser.js";
import { type Seeded, seedSite } from "./seed.js";

const run = promisify(execFile);
let registry: LocalRegistry;
let browser: Browser;
let seeded: Seeded;

beforeAll(async () => {
  registry = await startLocalRegistry();
  seeded = await seedSite(registry.url);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await registry?.stop();
});

async function open(path: string, options: { width?: number; height?: number; dark?: boolean; js?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    colorScheme: options.dark ? "dark" : "light",
    javaScriptEnabled: options.js ?? true,
  });
  const page = await context.newPage();
  // Two shared cores under load: generous, still bounded.
  page.setDefaultTimeout(30_000);
  await page.goto(registry.url + path);
  return page;
}

async function close(page: Page): Promise<void> {
  await page.context().close();
}

async function rowKeys(page: Page): Promise<string[]> {
  const ids = await page.locator("#ranking tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-cfg") ?? ""));
  return ids.map((id) => seeded.keyOf(id));
}

describe("leaderboard in Chromium", () => {
  it("ranks by throughput, and sorting by a column header reverses it", async () => {
    const page = await open("/?quantisation=Q4_K_M&group=configuration");
    expect(await rowKeys(page)).toEqual(THROUGHPUT_ORDER_Q4);
    await page.screenshot({ path: shot("leaderboard-throughput"), fullPage: true });
    await page.locator('th a[data-sort="tg_tps"]').click();
    await page.waitForURL(/order=asc/);
    expect(await rowKeys(page)).toEqual([...THROUGHPUT_ORDER_Q4].reverse());
    await close(page);
  });

  it("applies a filter from the form, keeps it in the URL, and a reload reproduces it", async () => {
    const page = await open("/?quantisation=Q4_K_M&group=configuration");
    await page.getByLabel("Accelerator").selectOption("cpu");
    await page.waitForURL(/accelerator=cpu/);
    const expected = THROUGHPUT_ORDER_Q4.filter((k) => ["nuc", "rockA", "rpi5", "rockB", "evil"].includes(k));
    expect(await rowKeys(page)).toEqual(expected);
    const url = page.url();
    expect(new URL(url).searchParams.get("quantisation")).toBe("Q4_K_M");
    await page.reload();
    expect(page.url()).toBe(url);
    expect(await rowKeys(page)).toEqual(expected);
    expect(await page.getByLabel("Accelerator").inputValue()).toBe("cpu");
    // The same link in a fresh browser context gives the same view.
    const again = await open(new URL(url).pathname + new URL(url).search);
    expect(await rowKeys(again)).toEqual(expected);
    await close(again);
    await close(page);
  });

  it("switches to the energy view, ranking within one meter scope shown on the page", async () => {
    const page = await open("/?group=configuration");
    await page.getByRole("link", { name: "Energy", exact: true }).click();
    await page.waitForURL(/view=energy/);
    // The link names the model ranked (the default one), so the query string is the API's.
    expect(new URL(page.url()).searchParams.get("model")).toBe("qwen2-5-0-5b-instruct");
    // No scope in the URL: the scope rule (the API's) picks wall, and the page says so.
    expect(new URL(page.url()).searchParams.get("scope")).toBeNull();
    await expect.poll(() => page.locator("#scope-note strong").textContent()).toBe("wall");
    expect(await page.getByLabel(/Meter scope/).inputValue()).toBe("wall");
    expect(await rowKeys(page)).toEqual(WALL_ENERGY_ORDER);
    await page.screenshot({ path: shot("leaderboard-energy"), fullPage: true });
    await page.getByLabel(/Meter scope/).selectOption("module-input");
    await page.waitForURL(/scope=module-input/);
    // Within the default model's quantisation (Q4_K_M): the Orin's Q8_0 run is another model's ranking.
    expect(await rowKeys(page)).toEqual(["orin"]);
    await close(page);
  });

  it("shows the Pareto front: exactly the configurations nothing beats on all three axes", async () => {
    const page = await open("/?view=pareto&scope=wall");
    expect(new Set(await rowKeys(page))).toEqual(new Set(WALL_PARETO));
    const onFront = await page.locator(".chart a.pt.on").evaluateAll((as) => as.map((a) => a.getAttribute("data-cfg") ?? ""));
    expect(new Set(onFront.map((id) => seeded.keyOf(id)))).toEqual(new Set(WALL_PARETO));
    await page.screenshot({ path: shot("leaderboard-pareto"), fullPage: true });
    await close(page);
  });

  it("renders chart points; hover and keyboard focus show the configuration; click opens it", async () => {
    const page = await open("/?view=energy&scope=wall");
    const points = page.locator(".chart a.pt");
    expect(await points.count()).toBe(WALL_ENERGY_ORDER.length);
    const macPoint = page.locator(`.chart a.pt[data-cfg="${seeded.cfg.get("mac")}"]`);
    const box = await macPoint.locator("circle").boundingBox();
    expect(box && box.width > 0 && box.height > 0).toBe(true);
    await macPoint.hover();
    const tip = page.locator(".chartbox .tip");
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toContain("Mac mini");
    // Tokens per joule is tokens/s per watt: the watts are in the tooltip too.
    expect(await tip.textContent()).toContain("Average power (generation)");
    await page.screenshot({ path: shot("chart-hover") });
    // Keyboard: focus moves onto a point and the tooltip follows.
    await page.mouse.move(0, 0);
    await macPoint.focus();
    await expect.poll(() => tip.isVisible()).toBe(true);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/results\/[0-9a-f]{64}$/);
    expect(seeded.subs.get("mac")).toContain(page.url().split("/").pop());
    await close(page);
  });

  it("shows a result page with the signature, fingerprint, power trace and how to verify", async () => {
    const id = seeded.subs.get("rpi5")![0]!;
    const api = (await (await fetch(`${registry.url}/api/v1/submissions/${id}`)).json()) as { signature: string; fingerprint: string };
    const page = await open(`/results/${id}`);
    expect(await page.locator('[data-field="signature"]').textContent()).toBe(api.signature);
    expect(await page.locator('[data-field="fingerprint"]').textContent()).toBe(api.fingerprint);
    expect(await page.locator('svg.runchart [data-panel="power"] path.line').count()).toBeGreaterThan(0);
    await page.getByText("How to verify this result").click();
    expect(await page.locator("#signature pre").first().isVisible()).toBe(true);
    // The verification script printed on the page, run as printed, says valid.
    const script = (await page.locator("#signature pre").nth(1).textContent())!;
    const file = path.join(REPO_ROOT, ".tmp", `verify-${process.pid}.mjs`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, script);
    try {
      const out = await run(process.execPath, [file], { timeout: 30_000 });
      expect(out.stdout).toContain("valid: signed by this key, id matches");
    } finally {
      await rm(file, { force: true });
    }
    await page.screenshot({ path: shot("result"), fullPage: true });
    // The raw signed JSON link serves the document the page shows.
    const raw = await page.locator("#raw-json").getAttribute("href");
    const res = await page.request.get(registry.url + raw);
    expect(((await res.json()) as { signature: string }).signature).toBe(api.signature);
    await close(page);
  });

  it("compares configurations picked on the leaderboard and marks the better figure", async () => {
    const page = await open("/?view=energy&scope=wall");
    await page.locator(`tr[data-cfg="${seeded.cfg.get("mac")}"] input[type=checkbox]`).check();
    await page.locator(`tr[data-cfg="${seeded.cfg.get("rockA")}"] input[type=checkbox]`).check();
    await page.getByRole("button", { name: /Compare selected/ }).click();
    await page.waitForURL(/\/compare\?/);
    const best = async (metric: string) =>
      page.locator(`tr[data-metric="${metric}"] td`).evaluateAll((tds) => tds.map((td) => td.getAttribute("data-best") === "true"));
    expect(await best("tg_tps")).toEqual([true, false]);
    expect(await best("tps_per_litre")).toEqual([false, true]);
    expect(await best("tps_per_cm2")).toEqual([false, true]);
    expect(await page.locator('tr[data-metric="tg_tps"] td[data-best="true"] .best').isVisible()).toBe(true);
    await page.screenshot({ path: shot("compare"), fullPage: true });
    await close(page);
  });

  it("keeps a <script> in a submitted name as text, never running it", async () => {
    const evilId = seeded.subs.get("evil")![0]!;
    const { boardId } = (await (await fetch(`${registry.url}/api/v1/submissions/${evilId}`)).json()) as { boardId: string };
    for (const path of [
      "/",
      `/results/${evilId}`,
      `/boards/${encodeURIComponent(boardId)}`,
      `/compare?ids=${seeded.cfg.get("evil")},${seeded.cfg.get("rpi5")}`,
    ]) {
      const page = await open(path);
      expect(await page.locator("h1").count()).toBe(1);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      if (path === "/") expect(await page.locator("#ranking").textContent()).toContain("<script>window.__pwned=1</script>Acme EdgeBox");
      if (path.startsWith("/boards/")) {
        expect(await page.locator("h1").textContent()).toBe("<script>window.__pwned=1</script>Acme EdgeBox");
        await page.screenshot({ path: shot("board-injected-name") });
      }
      await close(page);
    }
  });

  it("renders board, model and API pages", async () => {
    for (const [path, name, text] of [
      ["/boards/radxa-rock-5b", "board", "Every configuration measured on it"],
      ["/models/qwen2-5-0-5b-instruct", "model", "Quantisations"],
      ["/api", "api", "Signing rule and verification"],
    ] as const) {
      const page = await open(path);
      expect(await page.locator("main").textContent()).toContain(text);
      await page.screenshot({ path: shot(name), fullPage: true });
      await close(page);
    }
  });

  it("is keyboard usable: the skip link is the first stop and focus is visible", async () => {
    const page = await open("/", { dark: true });
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => ({
      text: document.activeElement?.textContent,
      outline: getComputedStyle(document.activeElement!).outlineStyle,
    }));
    expect(focused.text).toBe("Skip to content");
    expect(focused.outline).not.toBe("none");
    await page.screenshot({ path: shot("leaderboard-dark-skip-link") });
    await close(page);
  });

  it("works without JavaScript: tables render and the filter form submits", async () => {
    const page = await open("/?quantisation=Q4_K_M&group=configuration", { js: false });
    expect(await rowKeys(page)).toEqual(THROUGHPUT_ORDER_Q4);
    await page.getByLabel("Backend").selectOption("metal");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/backend=metal/);
    expect(await rowKeys(page)).toEqual(["mac"]);
    await close(page);
  });

  it("ranks one model at a time, and a constraint leaves out what does not meet it", async () => {
    // Q4_K_M and Q8_0 of Qwen are seeded: / ranks the most-submitted one, says so and names it in the form.
    const page = await open("/");
    expect(await page.locator("#model-note").textContent()).toContain("Q4_K_M, the most-submitted model");
    expect(await page.locator('select[name="model"]').inputValue()).toBe("qwen2-5-0-5b-instruct");
    const models = new Set(await page.locator("#ranking tbody td.model").evaluateAll((tds) => tds.map((td) => td.textContent)));
    expect(models.size).toBe(1);
    expect([...models][0]).toContain("Q4_K_M");
    // The ROCK 5B's 4- and 8-thread runs are one setup: one row, the sweep folded under it.
    await page.locator(`tr[data-cfg="${seeded.cfg.get("rockA")}"] details.sweep summary`).click();
    expect(await page.locator(`li[data-setting="${seeded.cfg.get("rockB")}"]`).textContent()).toContain("8 threads");
    await page.screenshot({ path: shot("leaderboard-default-model"), fullPage: true });
    await close(page);
    // At most 10 W: the rows the API keeps are exactly those whose measured power is within it (unmetered ones left out).
    const query = "model=qwen2-5-0-5b-instruct&quantisation=Q4_K_M&group=configuration";
    const api = async (q: string) =>
      ((await (await fetch(`${registry.url}/api/v1/leaderboard?${q}`)).json()) as { rows: { id: string; metrics: { avg_w?: number } }[] }).rows;
    const all = await api(query);
    const expected = all.filter((r) => r.metrics.avg_w !== undefined && r.metrics.avg_w <= 10).map((r) => seeded.keyOf(r.id));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    const limited = await open(`/?${query}&max_w=10`);
    expect(await rowKeys(limited)).toEqual(expected);
    expect((await api(`${query}&max_w=10`)).map((r) => seeded.keyOf(r.id))).toEqual(expected);
    expect(await limited.locator("#constraint-note").textContent()).toContain("not measured counts as not meeting it");
    expect(await limited.getByLabel(/Max average power/).inputValue()).toBe("10");
    await limited.screenshot({ path: shot("leaderboard-constraint"), fullPage: true });
    await close(limited);
  });

  // Last: it adds a configuration the orders above do not expect.
  it("plots accuracy against tokens/s as a Pareto front and says what its ± is", async () => {
    // A 1B model on the ROCK 5B, its 400 HellaSwag choices 45 % right: the only configuration with accuracy.
    const doc = buildDocument({ board: "rock5b", seed: 31, models: ["llama-3.2-1b-q4_k_m"], accuracy: true });
    const { id, body } = await signed(doc, await keyPairFromSeed(43));
    const res = await fetch(`${registry.url}/api/v1/submissions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    await rankingsSettled(registry.url);
    const page = await open("/?view=pareto&axes=hellaswag_acc%2Ctg_tps&model=llama-3-2-1b-instruct");
    expect(await page.getByLabel("Pareto front over").inputValue()).toBe("hellaswag_acc,tg_tps");
    const point = page.locator(".chart a.pt.on");
    expect(await point.count()).toBe(1);
    // The chart script turns the point's <title> into its accessible name.
    expect(await point.getAttribute("aria-label")).toContain("HellaSwag accuracy: 45.0 %");
    const acc = page.locator('#ranking td[data-metric="hellaswag_acc"]');
    expect(await acc.locator("span").first().textContent()).toBe("45.0");
    expect(await acc.locator(".sd").getAttribute("title")).toBe("± standard error over 400 tasks, %");
    expect(await page.locator("#ranking tbody tr").getAttribute("data-cfg")).toBe(
      ((await (await fetch(`${registry.url}/api/v1/submissions/${id}`)).json()) as { runs: { configurationId: string }[] }).runs[0]!.configurationId,
    );
    await page.locator("#chart").screenshot({ path: shot("pareto-accuracy") });
    await close(page);
  });
});

// Whole pages at a phone's width (the "at phone width" cases of issue 20): the layout, the first screen and charts by touch.
describe("at phone width", () => {
  const PHONE = { width: 390, height: 844 };

  /** A touch-screen page 390 px wide. */
  async function phone(path: string): Promise<Page> {
    const context = await browser.newContext({ viewport: PHONE, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(registry.url + path);
    return page;
  }

  it("fits /, a result page and compare in 390 px, tables showing their priority columns", async () => {
    const result = seeded.subs.get("rpi5")![0]!;
    for (const [name, path] of [
      ["phone-leaderboard", "/?quantisation=Q4_K_M"],
      ["phone-result", `/results/${result}`],
      ["phone-compare", `/compare?ids=${seeded.cfg.get("mac")},${seeded.cfg.get("rockA")}`],
    ] as const) {
      const page = await phone(path);
      // Standards mode, where the root's scroll width is the page's.
      expect(await page.evaluate(() => document.compatMode)).toBe("CSS1Compat");
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(PHONE.width);
      await page.screenshot({ path: shot(name), fullPage: true });
      if (name === "phone-leaderboard") {
        // The sorted column and one more stay; every other figure is on the row's result page.
        const shown = await page
          .locator("#ranking thead th a[data-sort]")
          .evaluateAll((as) => as.filter((a) => (a as HTMLElement).offsetParent !== null).map((a) => a.getAttribute("data-sort")));
        expect(shown).toEqual(["tg_tps", "ttft_ms"]);
      }
      if (name === "phone-result") {
        // The headline figures are on the first screen; the signature is at the end.
        expect((await page.locator('[data-headline="tg_tps"]').boundingBox())!.y).toBeLessThan(PHONE.height);
        expect((await page.locator("#signature").boundingBox())!.y).toBeGreaterThan(PHONE.height);
      }
      await close(page);
    }
  });

  it("shows a chart point's figures on a tap, and a second tap opens it", async () => {
    const page = await phone("/?view=energy&scope=wall");
    const point = page.locator(`.chart a.pt[data-cfg="${seeded.cfg.get("mac")}"]`);
    const url = page.url();
    await point.tap();
    const tip = page.locator(".chartbox .tip");
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toContain("Mac mini");
    expect(page.url()).toBe(url);
    await page.locator(".chartbox").screenshot({ path: shot("phone-chart-tap") });
    await point.tap();
    await page.waitForURL(/\/results\/[0-9a-f]{64}$/);
    await close(page);
  });
});
