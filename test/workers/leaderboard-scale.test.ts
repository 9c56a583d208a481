/**
 * The ranking at a size where both of its plans run: 5,000 synthetic
 * configurations with a figure row per metric (more than TOTAL_CAP matches
 * walks the rank index; fewer goes through the filter columns' indexes).
 * Every page is checked against a brute-force ranking of all rows done here
 * in JS, by offset and by cursor, with ties on the sort metric (tg_tps is
 * rounded to 0.1) broken by id.
 */
import { env } from "cloudflare:workers";
import { METRIC_BY_ID, type MetricId } from "@edgebench/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { type ConfigurationMetricRow, type ConfigurationRow, configurationMetrics, configurations } from "../../db/schema.js";
import { createDb } from "../../workers/db.js";
import type { RankFilters } from "../../workers/ranking/query.js";
import { rank, TOTAL_CAP } from "../../workers/ranking/rank.js";
import { syntheticConfigurationsSql } from "../fixtures/configurations.js";

const N = 5000;
let all: ConfigurationRow[];
let figures: Map<string, Map<string, ConfigurationMetricRow>>;

beforeAll(async () => {
  for (const q of syntheticConfigurationsSql(N)) await env.DB.prepare(q).run();
  const db = createDb(env.DB);
  all = await db.select().from(configurations);
  figures = new Map();
  for (const f of await db.select().from(configurationMetrics)) {
    if (!figures.has(f.configurationId)) figures.set(f.configurationId, new Map());
    figures.get(f.configurationId)!.set(f.metric, f);
  }
});

type Case = RankFilters & { sort: MetricId; order?: "asc" | "desc" };

/** The expected ranking, computed without SQL: the scope rule and the ordering as the /api page states them. */
function reference(c: Case, scope: string | null): string[] {
  const def = METRIC_BY_ID[c.sort];
  const dir = c.order === "asc" || (!c.order && def.better === "lower") ? 1 : -1;
  const value = (r: ConfigurationRow) => figures.get(r.id)?.get(c.sort)?.value;
  return all
    .filter((r) => value(r) !== undefined)
    .filter((r) => !c.board || r.boardId === c.board)
    .filter((r) => !c.accelerator || r.acceleratorKind === c.accelerator)
    .filter((r) => !c.backend || r.backend === c.backend)
    .filter((r) => !c.cooling || r.cooling === c.cooling)
    .filter((r) => !c.quantisation || r.quantisation === c.quantisation)
    .filter((r) => !c.model || r.modelSlug === c.model || r.modelId === c.model)
    .filter((r) => !scope || r.meterScope === scope)
    .sort((a, b) => dir * (value(a)! - value(b)!) || dir * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => r.id);
}

const db = () => createDb(env.DB);
const request = ({ sort, order, ...filters }: Case, page: { limit: number; offset?: number; cursor?: string }) =>
  rank(db(), { filters, sort, order, ...page });

async function walkByCursor(c: Case, limit: number, maxPages: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await request(c, { limit, ...(cursor ? { cursor } : {}) });
    ids.push(...page.rows.map((r) => r.id));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return ids;
}

describe(`ranking over ${N} configurations`, () => {
  const cases: Case[] = [
    { sort: "tg_tps" }, // many matches: rank index walk
    { sort: "tg_tps", order: "asc" },
    { sort: "ttft_ms" },
    { sort: "tg_tps", accelerator: "cpu" }, // 2,500 matches: walk, filter row by row
    { sort: "tg_tps", accelerator: "npu", backend: "http" }, // 1,250
    { sort: "pp_tps", board: "board-7" }, // 126: filter index, then sort
    { sort: "tg_tps", model: "model-3", quantisation: "Q8_0" },
    { sort: "tokens_per_j", scope: "soc-rails" }, // 1,000: the rank index's scope range
    { sort: "j_per_token", scope: "wall", accelerator: "gpu" },
    { sort: "tps_per_litre" },
    { sort: "tps_per_cm2", scope: "wall" }, // a metric ranked across scopes, filtered to one
    { sort: "tg_tps", cooling: "fan" }, // 833: through the cooling index, then sort
    { sort: "sustained_ratio", cooling: "passive", accelerator: "cpu" },
  ];

  for (const c of cases) {
    it(`ranks ${JSON.stringify(c)} like the brute-force reference, by offset and by cursor`, async () => {
      const first = await request(c, { limit: 100 });
      const expected = reference(c, first.scope);
      expect(expected.length).toBeGreaterThan(0);
      expect(first.total).toBe(Math.min(expected.length, TOTAL_CAP));
      expect(first.totalCapped).toBe(expected.length > TOTAL_CAP);
      expect(first.rows.map((r) => r.id)).toEqual(expected.slice(0, 100));
      // Every row carries every figure it has, not only the sort metric.
      for (const r of first.rows.slice(0, 5)) expect(Object.keys(r.metrics).sort()).toEqual([...figures.get(r.id)!.keys()].sort());

      const deep = await request(c, { limit: 37, offset: 300 });
      expect(deep.rows.map((r) => r.id)).toEqual(expected.slice(300, 337));

      const walked = await walkByCursor(c, 250, 8);
      expect(walked).toEqual(expected.slice(0, walked.length));
      expect(walked.length).toBe(Math.min(expected.length, 2000));
    });
  }

  it("breaks ties on the sort metric by id, so cursor pages neither skip nor repeat", async () => {
    const tied = new Map<number, number>();
    for (const m of figures.values()) {
      const v = m.get("tg_tps")?.value;
      if (v !== undefined) tied.set(v, (tied.get(v) ?? 0) + 1);
    }
    expect([...tied.values()].some((n) => n > 1)).toBe(true);
    const walked = await walkByCursor({ sort: "tg_tps" }, 500, 20);
    expect(walked).toHaveLength(N);
    expect(new Set(walked).size).toBe(N);
  });

  it("without a scope, ranks energy within the first preferred scope that has results", async () => {
    const page = await request({ sort: "tokens_per_j" }, { limit: 500 });
    expect(page.scope).toBe("wall");
    expect(new Set(page.rows.map((r) => r.meterScope))).toEqual(new Set(["wall"]));
  });
});
