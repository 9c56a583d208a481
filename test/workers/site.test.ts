/**
 * The leaderboard site rendered by the real Worker inside workerd, over a real
 * local D1 filled through POST /api/v1/submissions with signed documents.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDocument, keyPairFromSeed } from "../fixtures/documents.js";
import { call, ingest } from "./helpers.js";
import { EVIL_DISPLAY, EVIL_NAME, siteFixtures, THROUGHPUT_ORDER_Q4, WALL_ENERGY_ORDER, WALL_PARETO } from "./site-data.js";

async function page(path: string): Promise<{ status: number; html: string; type: string | null }> {
  const res = await call(path);
  return { status: res.status, html: await res.text(), type: res.headers.get("content-type") };
}

/** Configuration ids of the ranking table's rows, in order. */
function rowOrder(html: string): string[] {
  const table = html.slice(html.indexOf('<table id="ranking"'), html.indexOf("</table>", html.indexOf('<table id="ranking"')));
  return [...table.matchAll(/<tr data-cfg="([0-9a-f]+)"/g)].map((m) => m[1]!);
}

describe("site with an empty registry", () => {
  it("tells a newcomer how to submit", async () => {
    const { status, html } = await page("/");
    expect(status).toBe(200);
    expect(html).toContain("No results yet");
    for (const cmd of ["npx edgebench run", "edgebench keygen", "edgebench submit"]) expect(html).toContain(cmd);
  });
});

describe("site with signed submissions", () => {
  /** fixture key -> configuration id (first run) and the submission ids behind it */
  const cfg = new Map<string, string>();
  const subs = new Map<string, string[]>();
  const keyOf = (id: string) => [...cfg].find(([, v]) => v === id)?.[0] ?? id;

  beforeAll(async () => {
    const signers = [await keyPairFromSeed(41), await keyPairFromSeed(42)];
    for (const f of siteFixtures()) {
      const id = await ingest(f.doc, signers[f.signer]!);
      subs.set(f.key, [...(subs.get(f.key) ?? []), id]);
      const view = (await (await call(`/api/v1/submissions/${id}`)).json()) as { runs: { configurationId: string }[] };
      // Later runs of one document are other configurations (another quantisation): "key#1".
      view.runs.forEach((r, i) => {
        cfg.set(i === 0 ? f.key : `${f.key}#${i}`, r.configurationId);
      });
    }
  });

  it("ranks by generation throughput and applies filters from the URL", async () => {
    const { html } = await page("/?quantisation=Q4_K_M&group=configuration");
    expect(rowOrder(html).map(keyOf)).toEqual(THROUGHPUT_ORDER_Q4);
    // The filter is reflected in the form, so the page reproduces the state it was linked with.
    expect(html).toMatch(/<option value="Q4_K_M" selected/);
    // The menus offer exactly the values some visible result has.
    const options = (name: string) => {
      const start = html.indexOf(`<select name="${name}"`);
      return [...html.slice(start, html.indexOf("</select>", start)).matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
    };
    expect(options("backend")).toEqual(["", "cpu", "cuda", "metal", "http"]);
    expect(options("accelerator")).toEqual(["", "cpu", "gpu", "npu"]);
    expect(options("scope")).toEqual(["", "wall", "board-input", "module-input", "soc-rails", "cpu-package"]);
    const cpuOnly = rowOrder((await page("/?quantisation=Q4_K_M&accelerator=cpu&group=configuration")).html).map(keyOf);
    expect(cpuOnly).toEqual(THROUGHPUT_ORDER_Q4.filter((k) => ["nuc", "rockA", "rpi5", "rockB", "evil"].includes(k)));
  });

  it("sorts by any metric in both directions, adding its column when the view does not show it", async () => {
    const asc = rowOrder((await page("/?quantisation=Q4_K_M&sort=tg_tps&order=asc&group=configuration")).html).map(keyOf);
    expect(asc).toEqual([...THROUGHPUT_ORDER_Q4].reverse());
    const { html } = await page("/?quantisation=Q4_K_M&sort=perplexity");
    expect(html).toContain('data-sort="perplexity"');
    const values = [...html.matchAll(/data-metric="perplexity" data-value="([\d.e+-]+)"/g)].map((m) => Number(m[1]));
    expect(values.length).toBe(rowOrder(html).length);
    expect([...values].sort((a, b) => a - b)).toEqual(values); // lower is better: ascending by default
    // Every metric of the contract's list is a sort choice.
    for (const id of ["pp_tps", "tps_per_cm2", "tokens_per_j", "perplexity"]) expect(html).toContain(`<option value="${id}"`);
  });

  it("ranks energy only within one meter scope and shows the scope", async () => {
    const { html } = await page("/?view=energy&group=configuration");
    expect(html).toContain('data-scope="wall"');
    expect(rowOrder(html).map(keyOf)).toEqual(WALL_ENERGY_ORDER);
    const other = await page("/?view=energy&scope=module-input&model=qwen2-5-0-5b-instruct");
    // Q4_K_M generates faster than Q8_0 at the same power: more tokens per joule.
    expect(rowOrder(other.html).map(keyOf)).toEqual(["orin", "orin#1"]);
    expect(other.html).toContain('data-scope="module-input"');
  });

  it("ranks by footprint every board with a known size, best first, and by volume where a height is known", async () => {
    const { html } = await page("/?view=size&quantisation=Q4_K_M&group=configuration");
    const values = [...html.matchAll(/<td class="n" data-metric="tps_per_cm2" data-value="([\d.e+-]+)"/g)].map((m) => Number(m[1]));
    const keys = rowOrder(html).map(keyOf);
    // rockA (60 x 40 mm declared) beats the Mac mini (127 x 127 mm) beats rockB (same box as rockA, slower).
    expect(keys.indexOf("rockA")).toBeLessThan(keys.indexOf("mac"));
    expect(keys.indexOf("mac")).toBeLessThan(keys.indexOf("rockB"));
    // A Pi 5 declares nothing: the catalogue's board size (85 x 56 mm, sourced) ranks it; its height is unknown, so no volume.
    expect(keys).toContain("rpi5");
    const rpi5 = html.slice(html.indexOf(`<tr data-cfg="${cfg.get("rpi5")}"`));
    expect(rpi5.slice(0, rpi5.indexOf("</tr>"))).toMatch(/data-metric="tps_per_cm2"[\s\S]*not measured/);
    expect(values.length).toBe(keys.length);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    // No size figure, no size rank (not a zero at the bottom).
    expect(keys).not.toContain("evil");
    expect(html).toContain("not ranked here");
  });

  it("lists exactly the Pareto front of the scope", async () => {
    const { html } = await page("/?view=pareto&scope=wall");
    expect(new Set(rowOrder(html).map(keyOf))).toEqual(new Set(WALL_PARETO));
  });

  it("draws the chart as SVG points linked to configurations", async () => {
    const { html } = await page("/?view=energy&scope=wall");
    const points = [...html.matchAll(/<a class="pt[^"]*" href="([^"]+)" data-cfg="([0-9a-f]+)"/g)];
    expect(new Set(points.map((p) => keyOf(p[2]!)))).toEqual(new Set(WALL_ENERGY_ORDER));
    expect(html).toContain('class="front"');
    const onFront = [...html.matchAll(/<a class="pt on[^"]*" href="[^"]+" data-cfg="([0-9a-f]+)"/g)].map((m) => keyOf(m[1]!));
    expect(new Set(onFront)).toEqual(new Set(WALL_PARETO));
  });

  it("marks single-contributor rows unconfirmed and shows counts", async () => {
    const { html } = await page("/?quantisation=Q4_K_M&group=configuration");
    const rowHtml = (key: string) => {
      const start = html.indexOf(`<tr data-cfg="${cfg.get(key)}"`);
      return html.slice(start, html.indexOf("</tr>", start));
    };
    expect(rowHtml("mac")).toContain('data-contributors="2"');
    expect(rowHtml("mac")).not.toContain("unconfirmed");
    expect(rowHtml("rockA")).toContain("unconfirmed");
  });

  it("renders a submitter's <script> in a board or display name as text", async () => {
    for (const path of ["/", `/results/${subs.get("evil")![0]}`, `/compare?ids=${cfg.get("evil")},${cfg.get("rpi5")}`]) {
      const { html } = await page(path);
      expect(html).not.toContain("<script>window.__pwned");
      expect(html).not.toContain("<img src=x");
      if (path === "/") expect(html).toContain("&lt;script&gt;window.__pwned=1&lt;/script&gt;Acme EdgeBox");
    }
    const result = (await page(`/results/${subs.get("evil")![0]}`)).html;
    expect(result).toContain("&lt;img src=x onerror=");
    expect(EVIL_NAME).toContain("<script>");
    expect(EVIL_DISPLAY).toContain("<img");
  });

  it("shows a result with its signature, fingerprint, raw JSON link and verification", async () => {
    const id = subs.get("rpi5")![0]!;
    const { status, html } = await page(`/results/${id}`);
    expect(status).toBe(200);
    const raw = (await (await call(`/api/v1/submissions/${id}`)).json()) as { signature: string; fingerprint: string };
    expect(html).toContain(raw.signature);
    expect(html).toContain(raw.fingerprint);
    expect(html).toContain(`href="/api/v1/submissions/${id}"`);
    expect(html).toContain("RFC 8785");
    // Energy per token: gross (what ranks) and, beside it, net of the meter's idle reading (shown, never ranked).
    expect(html).toMatch(/data-field="energy-per-token">[\d.]+ J\/token gross, [\d.]+ J\/token net of idle \([\d.]+ W\)/);
    // Conditions nobody declared are said to be unstated, not guessed.
    expect(html).toContain('data-field="conditions">cooling not stated, room temperature not stated<');
    // Which llama.cpp binaries ran: a prebuilt's CPU variant and commit, so a native number can be told apart.
    expect(html).toContain("prebuilt release binaries; commit 0ad4a86; CPU variant armv8.2_2; loaded ggml-cpu-armv8.2_2");
    // The generation test's power trace is plotted.
    expect(html).toMatch(/<g class="panel" data-panel="power">[\s\S]*?<path class="line s\d" d="M[\d.,LM]+" data-series="power"/);
  });

  it("compares configurations and marks the better figure per row", async () => {
    const { html } = await page(`/compare?ids=${cfg.get("mac")},${cfg.get("rockA")}`);
    const row = (metric: string) => {
      const start = html.indexOf(`<tr data-metric="${metric}"`);
      return html.slice(start, html.indexOf("</tr>", start));
    };
    // mac is faster; rockA is smaller per token/s (higher tokens/s per litre and per cm²); both are wall-metered.
    const cells = (metric: string) => [...row(metric).matchAll(/<td class="n"[^>]*?(data-best="true")?>/g)].map((m) => Boolean(m[1]));
    expect(cells("tg_tps")).toEqual([true, false]);
    expect(cells("tps_per_litre")).toEqual([false, true]);
    expect(cells("tps_per_cm2")).toEqual([false, true]);
    expect(cells("tokens_per_j")).toEqual([true, false]);
    // Lower is better for time to first token.
    expect(cells("ttft_ms")).toEqual([true, false]);
  });

  it("writes not measured, never 0, for a figure nobody measured", async () => {
    const { html } = await page(`/compare?ids=${cfg.get("evil")},${cfg.get("rpi5")}`);
    const start = html.indexOf('<tr data-metric="tokens_per_j"');
    const row = html.slice(start, html.indexOf("</tr>", start));
    expect(row).toContain("not measured");
    expect(row).not.toMatch(/>0</);
  });

  it("serves board, model and API pages", async () => {
    const board = await page("/boards/radxa-rock-5b");
    expect(board.status).toBe(200);
    expect(board.html).toContain("Best per model");
    const model = await page("/models/qwen2-5-0-5b-instruct");
    expect(model.status).toBe(200);
    expect(model.html).toMatch(/data-quant="Q4_K_M"[\s\S]*data-quant="Q8_0"/);
    expect(model.html).toContain("14.2");
    const api = await page("/api");
    expect(api.html).toContain("format=csv");
    expect(api.html).toContain("curl");
    expect((await page(`/results/${"0".repeat(64)}`)).status).toBe(404);
    const missing = await page("/no/such/page");
    expect(missing.status).toBe(404);
    expect(missing.type).toContain("text/html");
    expect(missing.html).toContain("<h1>Not found</h1>");
    expect(missing.html).toContain('href="/boards"');
    const apiMissing = await call("/api/v1/no-such-endpoint");
    expect(apiMissing.status).toBe(404);
    expect(((await apiMissing.json()) as { error: { code: string } }).error.code).toBeTruthy();
  });

  it("links its CSS and script as static assets that exist, never from another origin", async () => {
    const { html } = await page("/");
    const css = html.match(/<link rel="stylesheet" href="(\/assets\/[a-z.]+\.css)"/)![1]!;
    const js = html.match(/<script src="(\/assets\/[a-z.]+\.js)"/)![1]!;
    for (const [path, type] of [
      [css, "text/css"],
      [js, "javascript"],
    ] as const) {
      // The assets binding serves what Cloudflare serves in front of the Worker.
      const res = await env.ASSETS.fetch(new Request(`http://edgebench.test${path}`));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain(type);
      expect(res.headers.get("etag")).toBeTruthy();
      expect((await res.text()).length).toBeGreaterThan(500);
    }
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
  });

  it("says how the uploader behind a result was installed and on which Node.js", async () => {
    const doc = buildDocument({ board: "nuc", seed: 91, mutate: (d) => Object.assign(d.uploader, { install: "release-archive", node: "24.22.3" }) });
    const id = await ingest(doc, await keyPairFromSeed(92));
    const { html } = await page(`/results/${id}`);
    expect(html).toContain(`with ${doc.uploader.name} ${doc.uploader.version} (release archive, Node.js 24.22.3)`);
  });
});
