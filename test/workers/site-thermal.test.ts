/**
 * What the sustained test says about heat, through the real Worker and D1:
 * declared cooling splits configurations and filters the ranking, the time to
 * throttle and the peak temperature are computed from the signed windows and
 * thermal series, and the leaderboard marks the configurations that throttle.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { RankedPage } from "../../workers/ranking/rank.js";
import { buildDocument, keyPairFromSeed } from "../fixtures/documents.js";
import { call, ingest } from "./helpers.js";

const tests = ["pp", "tg", "ttft", "sustained"] as const;

/** Submission id -> the configuration id of its first run. */
async function configurationOf(submissionId: string): Promise<string> {
  const view = (await (await call(`/api/v1/submissions/${submissionId}`)).json()) as { runs: { configurationId: string }[] };
  return view.runs[0]!.configurationId;
}

/** The ranking table row of one configuration, as HTML. */
function rowHtml(html: string, id: string): string {
  const start = html.indexOf(`<tr data-cfg="${id}"`);
  return start < 0 ? "" : html.slice(start, html.indexOf("</tr>", start));
}

const cfg = { passive: "", fan: "", unstated: "" };

beforeAll(async () => {
  const keys = await keyPairFromSeed(61);
  // One board, model and thread count three ways: bare and throttling, with a fan and holding, and cooling not stated.
  cfg.passive = await configurationOf(
    await ingest(buildDocument({ board: "rpi5", seed: 71, tests: [...tests], sustainedRatio: 0.6, cooling: "passive" }), keys),
  );
  cfg.fan = await configurationOf(
    await ingest(buildDocument({ board: "rpi5", seed: 72, tests: [...tests], sustainedRatio: 1, cooling: "fan" }), keys),
  );
  cfg.unstated = await configurationOf(await ingest(buildDocument({ board: "rpi5", seed: 73, tests: [...tests], sustainedRatio: 0.95 }), keys));
});

describe("cooling and throttling", () => {
  it("keeps each declared cooling a configuration of its own, apart from the undeclared one", () => {
    expect(new Set(Object.values(cfg)).size).toBe(3);
  });

  it("computes time to throttle and peak temperature from the signed series", async () => {
    const page = (await (await call("/api/v1/leaderboard?sort=throttle_s&board=raspberry-pi-5")).json()) as RankedPage;
    const byId = new Map(page.rows.map((r) => [r.id, r]));
    // The fixture's clocks follow its rate: at ratio 0.6 the cluster falls under 90 % of 2,400 MHz 45 s in (see buildDocument).
    expect(byId.get(cfg.passive)?.metrics.throttle_s).toBe(45);
    // Clocks held for the whole test: the test's length, first in the ranking (higher is better).
    expect(byId.get(cfg.fan)?.metrics.throttle_s).toBe(120);
    expect(byId.get(cfg.unstated)?.metrics.throttle_s).toBe(120);
    expect(page.rows.at(-1)!.id).toBe(cfg.passive);
    expect(byId.get(cfg.passive)!.cooling).toBe("passive");
    expect(byId.get(cfg.unstated)!.cooling).toBeNull();
    const passiveTemp = byId.get(cfg.passive)!.metrics.peak_temp_c!;
    const fanTemp = byId.get(cfg.fan)!.metrics.peak_temp_c!;
    expect(passiveTemp).toBeGreaterThan(fanTemp);
    expect(fanTemp).toBe(60);
  });

  it("filters by declared cooling in the API, the CSV and the site", async () => {
    const api = (await (await call("/api/v1/leaderboard?cooling=fan")).json()) as RankedPage;
    expect(api.rows.map((r) => r.id)).toEqual([cfg.fan]);
    const bad = await call("/api/v1/leaderboard?cooling=water");
    expect(bad.status).toBe(400);

    const csv = await (await call("/api/v1/leaderboard?format=csv&cooling=passive")).text();
    const [header, row] = csv.trim().split("\r\n");
    const cells = header!.split(",");
    expect(row!.split(",")[cells.indexOf("cooling")]).toBe("passive");
    expect(row!.split(",")[cells.indexOf("throttle_s")]).toBe("45");

    const html = await (await call("/")).text();
    const menu = html.slice(html.indexOf('<select name="cooling"'), html.indexOf("</select>", html.indexOf('<select name="cooling"')));
    expect([...menu.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1])).toEqual(["", "passive", "fan"]);
    const filtered = await (await call("/?cooling=passive")).text();
    expect(rowHtml(filtered, cfg.passive)).not.toBe("");
    expect(rowHtml(filtered, cfg.fan)).toBe("");
  });

  it("marks the configuration that throttles, and says when cooling is not stated", async () => {
    const html = await (await call("/?board=raspberry-pi-5")).text();
    expect(rowHtml(html, cfg.passive)).toMatch(/class="badge throttles" title="Throttled after 45 s of the 120 s sustained test/);
    expect(rowHtml(html, cfg.passive)).toContain("cooling: passive (declared)");
    expect(rowHtml(html, cfg.fan)).not.toContain("badge throttles");
    expect(rowHtml(html, cfg.unstated)).toContain("cooling: not stated");
    // Ratio 0.95 at 2,400 MHz stays above 90 % of the clock: neither badge.
    expect(rowHtml(html, cfg.unstated)).not.toContain("badge throttles");
  });
});
