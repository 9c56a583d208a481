/**
 * The compare page's sustained curves: one representative run per
 * configuration (its newest visible result), read for all compared
 * configurations in one bounded query, and drawn as one line each.
 */
import { env } from "cloudflare:workers";
import { windowRates } from "@edgebench/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { meteredD1, newMeter } from "../../workers/d1-meter.js";
import { createDb } from "../../workers/db.js";
import { getConfigurations } from "../../workers/read/configurations.js";
import { sustainedCurves } from "../../workers/read/sustained-curves.js";
import { buildDocument, keyPairFromSeed } from "../fixtures/documents.js";
import { call, ingest } from "./helpers.js";

interface RunView {
  runs: { configurationId: string }[];
}

async function configurationOf(id: string, run = 0): Promise<string> {
  return ((await (await call(`/api/v1/submissions/${id}`)).json()) as RunView).runs[run]!.configurationId;
}

describe("sustained curves for the compare page", () => {
  let rockOld: string;
  let rockNew: string;
  let orin: string;
  let nuc: string;
  const cfg = { rock: "", orin: "", orinQ8: "", nuc: "" };

  beforeAll(async () => {
    const keys = await keyPairFromSeed(61);
    const sustained = ["tg", "sustained"] as ("tg" | "sustained")[];
    // Two results of one configuration: the newer (a hotter board, ratio 0.6) is the one drawn.
    rockOld = await ingest(buildDocument({ board: "rock5b", seed: 61, tests: sustained, sustainedRatio: 0.95, sustainedSeries: true }), keys);
    rockNew = await ingest(buildDocument({ board: "rock5b", seed: 62, tests: sustained, sustainedRatio: 0.6, sustainedSeries: true }), keys);
    // One document with runs of two configurations: each configuration gets its own run's test.
    orin = await ingest(
      buildDocument({ board: "orin-nano", seed: 63, tests: sustained, sustainedRatio: 0.98, models: ["qwen2.5-0.5b-q4_k_m", "qwen2.5-0.5b-q8_0"] }),
      keys,
    );
    // No sustained test at all: no curve, said in words.
    nuc = await ingest(buildDocument({ board: "nuc", seed: 64, tests: ["tg"] }), keys);
    cfg.rock = await configurationOf(rockNew);
    cfg.orin = await configurationOf(orin, 0);
    cfg.orinQ8 = await configurationOf(orin, 1);
    cfg.nuc = await configurationOf(nuc);
  });

  it("picks each configuration's newest visible result and only its sustained test, in one bounded query", async () => {
    expect(await configurationOf(rockOld)).toBe(cfg.rock);
    const db = createDb(env.DB);
    const rows = await getConfigurations(db, [cfg.rock, cfg.orin, cfg.orinQ8, cfg.nuc]);
    const meter = newMeter();
    const curves = await sustainedCurves(createDb(meteredD1(env.DB, meter)), rows);
    expect(meter.queries).toBe(1);

    const rock = curves.get(cfg.rock)!;
    expect(rock.submissionId).toBe(rockNew);
    expect(rock.test?.kind).toBe("sustained");
    const stored = ((await (await call(`/api/v1/submissions/${rockNew}`)).json()) as { document: { runs: { tests: { kind: string }[] }[] } })
      .document;
    expect(rock.test).toEqual(stored.runs[0]!.tests.find((t) => t.kind === "sustained"));
    const rates = windowRates(rock.test!);
    expect(rates.at(-1)! / rates[0]!).toBeCloseTo(0.6, 1);

    // The Q8 run of the same document is slower: each configuration's line is its own run's.
    const q4 = windowRates(curves.get(cfg.orin)!.test!);
    const q8 = windowRates(curves.get(cfg.orinQ8)!.test!);
    expect(curves.get(cfg.orinQ8)!.submissionId).toBe(orin);
    expect(q8[0]!).toBeLessThan(q4[0]!);

    expect(curves.get(cfg.nuc)).toMatchObject({ submissionId: nuc, test: null });
  });

  it("overlays one line per configuration with a legend naming each, and says which has none", async () => {
    const html = await (await call(`/compare?ids=${cfg.rock},${cfg.orin},${cfg.nuc}`)).text();
    const start = html.indexOf('<section aria-labelledby="sustained-title"');
    expect(start).toBeGreaterThan(0);
    const section = html.slice(start, html.indexOf("</section>", start));
    const lines = [...section.matchAll(/<path class="line s\d" d="M[\d.,LM]+" data-series="([^"]+)"/g)].map((m) => m[1]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Radxa ROCK 5B, .*Q4_K_M, CPU \([^)]*\), 4 threads$/);
    expect(lines[1]).toMatch(/^NVIDIA Jetson Orin Nano dev kit, .*Q4_K_M, GPU/);
    for (const l of lines) expect(section).toContain(`data-legend="${l}"`);
    expect(section).toContain("Generation rate (tokens/s)");
    expect(section).toContain("Time since the test started (s)");
    expect(section).toContain("its newest visible result");
    expect(section).toContain(`href="/results/${rockNew}"`);
    expect(section).toMatch(/NUC[^<]*: its newest result has no sustained test, so no curve/);
  });

  it("reads no more rows as a configuration gathers results (D1 bills rows read)", async () => {
    const db = createDb(env.DB);
    const rowsRead = async () => {
      const meter = newMeter();
      await sustainedCurves(createDb(meteredD1(env.DB, meter)), await getConfigurations(db, [cfg.rock, cfg.orin, cfg.nuc]));
      return meter.rowsRead;
    };
    const before = await rowsRead();
    // The chosen results' submission rows, their runs and the tests looked through for the sustained one: a few dozen at most.
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(40);
    const keys = await keyPairFromSeed(61);
    for (let seed = 65; seed < 77; seed++) {
      await ingest(buildDocument({ board: "rock5b", seed, tests: ["tg", "sustained"], sustainedRatio: 0.6, sustainedSeries: true }), keys);
    }
    // Twelve more results of one configuration: the same reads, give or take the index step past each of the three looked-up keys.
    expect(await rowsRead()).toBeLessThanOrEqual(before + 3);
  });
});
