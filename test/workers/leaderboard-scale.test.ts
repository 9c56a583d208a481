/**
 * The leaderboard query at a size where both of its plans run: 5,000
 * synthetic configurations (more than TOTAL_CAP matches walks the metric
 * index; fewer uses the filter indexes). Every page is checked against a
 * brute-force ranking of all rows done here in JS, by offset and by cursor,
 * with ties on the sort metric (tg_tps is rounded to 0.1) broken by id.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { METRIC_BY_ID, type MetricId } from "@edgebench/contract";
import { configurations, type ConfigurationRow } from "../../db/schema.js";
import { createDb, queryLeaderboard, TOTAL_CAP_FOR_TESTS, type LeaderboardParams } from "./scale-imports.js";
import { syntheticConfigurationsSql } from "../fixtures/configurations.js";

const N = 5000;
let all: ConfigurationRow[];

beforeAll(async () => {
  await env.DB.prepare(syntheticConfigurationsSql(N)).run();
  all = await createDb(env.DB).select().from(configurations);
});

/** The expected ranking, computed without SQL. */
function reference(params: LeaderboardParams & { sort: MetricId }, scope?: string): string[] {
  const better = METRIC_BY_ID[params.sort].better;
  const dir = params.order === "asc" || (!params.order && better === "lower") ? 1 : -1;
  return all
    .filter((r) => r[params.sort] !== null)
    .filter((r) => !params.board || r.boardId === params.board)
    .filter((r) => !params.accelerator || r.acceleratorKind === params.accelerator)
    .filter((r) => !params.backend || r.backend === params.backend)
    .filter((r) => !params.quantisation || r.quantisation === params.quantisation)
    .filter((r) => !params.model || r.modelSlug === params.model || r.modelId === params.model)
    .filter((r) => !(params.scope ?? scope) || r.meterScope === (params.scope ?? scope))
    .sort((a, b) => dir * ((a[params.sort] as number) - (b[params.sort] as number)) || dir * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => r.id);
}

const db = () => createDb(env.DB);

async function walkByCursor(params: LeaderboardParams, limit: number, maxPages: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await queryLeaderboard(db(), { ...params, limit, ...(cursor ? { cursor } : {}) });
    ids.push(...page.rows.map((r) => r.id));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return ids;
}

describe(`leaderboard over ${N} configurations`, () => {
  const cases: (LeaderboardParams & { sort: MetricId })[] = [
    { sort: "tg_tps" }, // many matches: metric index walk
    { sort: "tg_tps", order: "asc" },
    { sort: "ttft_ms" },
    { sort: "tg_tps", accelerator: "cpu" }, // 2,500 matches: walk, filter row by row
    { sort: "tg_tps", accelerator: "npu", backend: "http" }, // 1,250
    { sort: "pp_tps", board: "board-7" }, // 126: filter index, then sort
    { sort: "tg_tps", model: "model-3", quantisation: "Q8_0" },
    { sort: "tokens_per_j", scope: "soc-rails" }, // 1,000: energy index on (scope, metric)
    { sort: "j_per_token", scope: "wall", accelerator: "gpu" },
    { sort: "tps_per_litre" },
  ];

  for (const params of cases) {
    it(`ranks ${JSON.stringify(params)} like the brute-force reference, by offset and by cursor`, async () => {
      const first = await queryLeaderboard(db(), { ...params, limit: 100 });
      const expected = reference(params, first.scope ?? undefined);
      expect(expected.length).toBeGreaterThan(0);
      expect(first.total).toBe(Math.min(expected.length, TOTAL_CAP_FOR_TESTS));
      expect(first.totalCapped).toBe(expected.length > TOTAL_CAP_FOR_TESTS);
      expect(first.rows.map((r) => r.id)).toEqual(expected.slice(0, 100));

      const deep = await queryLeaderboard(db(), { ...params, limit: 37, offset: 300 });
      expect(deep.rows.map((r) => r.id)).toEqual(expected.slice(300, 337));

      const walked = await walkByCursor(params, 250, 8);
      expect(walked).toEqual(expected.slice(0, walked.length));
      expect(walked.length).toBe(Math.min(expected.length, 2000));
    });
  }

  it("breaks ties on the sort metric by id, so cursor pages neither skip nor repeat", async () => {
    const tied = new Map<number, number>();
    for (const r of all) if (r.tg_tps !== null) tied.set(r.tg_tps, (tied.get(r.tg_tps) ?? 0) + 1);
    expect([...tied.values()].some((n) => n > 1)).toBe(true);
    const walked = await walkByCursor({ sort: "tg_tps" }, 500, 20);
    expect(walked).toHaveLength(N);
    expect(new Set(walked).size).toBe(N);
  });

  it("without a scope, ranks energy within the first preferred scope that has results", async () => {
    const page = await queryLeaderboard(db(), { sort: "tokens_per_j", limit: 500 });
    expect(page.scope).toBe("wall");
    expect(new Set(page.rows.map((r) => r.meterScope))).toEqual(new Set(["wall"]));
  });
});
