/**
 * The API and the site rank with one module (workers/ranking): for every
 * metric of the contract's list, both directions and a spread of filters, the
 * JSON API and the / page list the same configurations in the same order, and
 * name the same meter scope.
 */
import { METRIC_BY_ID, METRIC_IDS } from "@edgebench/contract";
import { beforeAll, describe, expect, it } from "vitest";
import type { RankedPage } from "../../workers/ranking/rank.js";
import { buildDocument, keyPairFromSeed } from "../fixtures/documents.js";
import { call, ingest } from "./helpers.js";
import { siteFixtures } from "./site-data.js";

/** Configuration ids of the / page's ranking table, in order. */
function siteRows(html: string): string[] {
  const start = html.indexOf('<table id="ranking"');
  if (start < 0) return [];
  const table = html.slice(start, html.indexOf("</table>", start));
  return [...table.matchAll(/<tr data-cfg="([0-9a-f]+)"/g)].map((m) => m[1]!);
}

let variantId = "";

beforeAll(async () => {
  const signers = [await keyPairFromSeed(41), await keyPairFromSeed(42)];
  for (const f of siteFixtures()) await ingest(f.doc, signers[f.signer]!);
  // More of the same boards, so filters leave several rows and ties in scope are possible.
  // Some with the 120 s sustained test, throttling by different amounts; two with load timings.
  const withSustained = ["pp", "tg", "pg", "tg_depth", "ttft", "sustained"] as const;
  await ingest(
    buildDocument({
      board: "rpi5",
      seed: 51,
      serving: { scaling: 1.5 },
      threads: 2,
      speed: 0.6,
      tests: [...withSustained],
      sustainedRatio: 0.6,
      cooling: "passive",
      load: true,
      accuracy: true,
    }),
    signers[0]!,
  );
  await ingest(
    buildDocument({ board: "rpi5", seed: 52, models: ["llama-3.2-1b-q4_k_m"], tests: [...withSustained], cooling: "fan", accuracy: true }),
    signers[1]!,
  );
  await ingest(
    buildDocument({
      board: "nuc",
      seed: 53,
      load: true,
      serving: { scaling: 1.8, servingTtftMs: 1400 },
      threads: 4,
      models: ["qwen2.5-0.5b-q8_0"],
      tests: [...withSustained],
      sustainedRatio: 1,
      batteryDrainPct: 2,
      // A quick check: shown on its page, not ranked.
      accuracy: { tasks: 40 },
    }),
    signers[1]!,
  );
  await ingest(buildDocument({ board: "orin-nano", seed: 54, gpuLayers: 0, backend: "cpu" }), signers[0]!);
  const page = (await (await call("/api/v1/leaderboard?quantisation=Q8_0&limit=1")).json()) as RankedPage;
  variantId = page.rows[0]!.modelId;
});

describe("the API and the site rank alike", () => {
  const filters = [
    "",
    "quantisation=Q4_K_M",
    "accelerator=cpu",
    "scope=wall",
    "scope=soc-rails",
    "board=raspberry-pi-5",
    "model=qwen2-5-0-5b-instruct",
    "backend=metal",
    "accelerator=cpu&quantisation=Q4_K_M",
    "scope=none",
    "cooling=passive",
    "cooling=fan&board=raspberry-pi-5",
  ];
  /**
   * Filters narrow configurations the same way whatever the sort, so every
   * filter is tried with one metric of each kind the rule treats apart (the
   * default, one ranked within a meter scope, one better when lower, one few
   * configurations have); every other metric with a filter of each path
   * (none, an indexed one, a scope).
   */
  const everyFilterFor = new Set(["tg_tps", "tokens_per_j", "ttft_ms", "sustained_ratio"]);
  const someFilters = ["", "accelerator=cpu&quantisation=Q4_K_M", "scope=wall"];
  for (const sort of METRIC_IDS) {
    it(`sort=${sort}: the same rows in the same order, ${everyFilterFor.has(sort) ? "every filter" : "each filter path"}, both directions`, async () => {
      let compared = 0;
      for (const f of everyFilterFor.has(sort) ? [...filters, `model=${variantId}`] : someFilters) {
        // The default (the metric's better direction first) and the other direction: both directions, each once.
        for (const order of ["", METRIC_BY_ID[sort].better === "higher" ? "asc" : "desc"]) {
          // The site ranks within one model (the default one when the URL names none): every query names one, as the site's links do.
          const model = f.includes("model=") ? "" : "model=qwen2-5-0-5b-instruct";
          const q = [f, model, `sort=${sort}`, order && `order=${order}`].filter(Boolean).join("&");
          const api = (await (await call(`/api/v1/leaderboard?${q}&limit=500`)).json()) as RankedPage;
          const html = await (await call(`/?${q}`)).text();
          expect(siteRows(html), q).toEqual(api.rows.map((r) => r.id));
          if (api.scope && api.rows.length) expect(html, q).toContain(`meter: ${api.scope}`);
          compared += api.rows.length;
        }
      }
      // Not a comparison of empty lists: every metric ranks something in this registry.
      expect(compared).toBeGreaterThan(0);
    }, 60_000);
  }
});
