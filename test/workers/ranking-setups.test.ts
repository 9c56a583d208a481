/**
 * Rankings a team choosing hardware reads: one row per setup (a thread sweep
 * folded into its best setting), the best per board, every configuration;
 * the constraints (power, speed, size, model size class, accuracy, sustained
 * ratio) leaving out what does not meet them, not measured included; and the
 * site answering a query string with the API's rows in the API's order.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { RankedPage } from "../../workers/ranking/rank.js";
import type { LeaderboardRow } from "../../workers/ranking/rows.js";
import { buildDocument, fixtureKeyPair } from "../fixtures/documents.js";
import { call, ingest } from "./helpers.js";

const QWEN = "model=qwen2-5-0-5b-instruct&quantisation=Q4_K_M";
/** The Pi 5 thread sweep: threads -> speed factor (4 threads fastest). */
const SWEEP: [number, number][] = [
  [1, 0.4],
  [2, 0.7],
  [4, 1],
];

beforeAll(async () => {
  const keys = await fixtureKeyPair();
  for (const [threads, speed] of SWEEP) await ingest(buildDocument({ board: "rpi5", threads, speed, seed: threads }), keys);
  // The same board and model without a meter: another setup (the meter scope is part of it).
  await ingest(buildDocument({ board: "rpi5", threads: 4, meter: null, speed: 0.9 }), keys);
  await ingest(buildDocument({ board: "rock5b", threads: 8 }), keys);
  await ingest(buildDocument({ board: "orin-nano", tests: ["tg", "sustained"], sustainedRatio: 0.95, accuracy: true }), keys);
  await ingest(buildDocument({ board: "nuc", models: ["qwen2.5-0.5b-q4_k_m", "llama-3.2-1b-q4_k_m"] }), keys);
  await ingest(buildDocument({ board: "rpi5", models: ["llama-3.2-1b-q4_k_m"] }), keys);
});

async function api(query: string): Promise<RankedPage> {
  const res = await call(`/api/v1/leaderboard?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as RankedPage;
}
const ids = (rows: LeaderboardRow[]) => rows.map((r) => r.id);

describe("group", () => {
  it("setup (the default) folds a thread sweep into one row showing its best settings", async () => {
    const page = await api(`${QWEN}&board=raspberry-pi-5`);
    expect(page.group).toBe("setup");
    // The metered sweep (3 configurations) and the unmetered run: two setups.
    expect(page.total).toBe(2);
    const sweep = page.rows.find((r) => r.meterScope !== null)!;
    expect(sweep.threads).toBe(4);
    expect(sweep.group?.configurations).toBe(3);
    expect(sweep.group?.settings?.map((s) => s.threads)).toEqual([4, 2, 1]);
    expect(sweep.group?.settings?.[0]).toMatchObject({ configurationId: sweep.id, gpuLayers: 0 });
    expect(sweep.group?.settings?.[0]?.value).toBeCloseTo(sweep.metrics.tg_tps!, 6);
    const unmetered = page.rows.find((r) => r.meterScope === null)!;
    expect(unmetered.group).toEqual({ configurations: 1, settings: [expect.objectContaining({ configurationId: unmetered.id, threads: 4 })] });
  });

  it("configuration lists every configuration as before; board keeps the best per board", async () => {
    const every = await api(`${QWEN}&board=raspberry-pi-5&group=configuration`);
    expect(every.total).toBe(4);
    expect(every.rows.every((r) => r.group === undefined)).toBe(true);
    expect(every.rows.map((r) => r.metrics.tg_tps!)).toEqual(every.rows.map((r) => r.metrics.tg_tps!).sort((a, b) => b - a));

    const perBoard = await api(`${QWEN}&group=board`);
    const all = await api(`${QWEN}&group=configuration&limit=100`);
    const best = new Map<string, LeaderboardRow>();
    for (const r of all.rows) if (!best.has(r.boardId)) best.set(r.boardId, r);
    expect(ids(perBoard.rows)).toEqual([...best.values()].map((r) => r.id));
    expect(perBoard.rows.find((r) => r.boardId === "raspberry-pi-5")?.group?.configurations).toBe(4);
  });

  it("pages grouped rows by offset and by cursor alike, with the same total on every page", async () => {
    const whole = await api("group=setup&limit=100");
    expect(whole.rows.length).toBeGreaterThan(3);
    const byOffset: string[] = [];
    const byCursor: string[] = [];
    let cursor: string | null = null;
    for (let offset = 0; offset < whole.rows.length; offset += 2) {
      const p = await api(`group=setup&limit=2&offset=${offset}`);
      expect(p.total).toBe(whole.total);
      byOffset.push(...ids(p.rows));
      const c: RankedPage = await api(`group=setup&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(c.total).toBe(whole.total);
      byCursor.push(...ids(c.rows));
      cursor = c.nextCursor;
    }
    expect(byOffset).toEqual(ids(whole.rows));
    expect(byCursor).toEqual(ids(whole.rows));
    expect((await api(`group=setup&offset=${whole.rows.length}`)).total).toBe(whole.total);
  });
});

describe("constraints", () => {
  /** Every configuration, then the ones a predicate on its figures keeps (undefined figures fail). */
  async function expectKept(constraint: string, keep: (r: LeaderboardRow) => boolean) {
    const all = (await api("group=configuration&limit=100")).rows;
    const kept = (await api(`group=configuration&limit=100&${constraint}`)).rows;
    const expected = all.filter(keep);
    expect(expected.length, constraint).toBeGreaterThan(0);
    expect(expected.length, constraint).toBeLessThan(all.length);
    expect(ids(kept), constraint).toEqual(ids(expected));
  }
  const le = (x: number | undefined, max: number) => x !== undefined && x <= max;
  const ge = (x: number | undefined, min: number) => x !== undefined && x >= min;

  it("max_w keeps measured average power at or under the bound (not measured counts as not meeting it)", async () => {
    await expectKept("max_w=10", (r) => le(r.metrics.avg_w, 10));
  });

  it("min_tps, max_cm2 and max_litres (size derived from the size metrics)", async () => {
    await expectKept("min_tps=15", (r) => ge(r.metrics.tg_tps, 15));
    const cm2 = (r: LeaderboardRow) => (r.metrics.tps_per_cm2 ? r.metrics.tg_tps! / r.metrics.tps_per_cm2 : undefined);
    await expectKept("max_cm2=60", (r) => le(cm2(r), 60 + 1e-9));
    const litres = (r: LeaderboardRow) => (r.metrics.tps_per_litre ? r.metrics.tg_tps! / r.metrics.tps_per_litre : undefined);
    await expectKept("max_litres=1", (r) => le(litres(r), 1 + 1e-9));
  });

  it("params, min_acc and min_sustained", async () => {
    await expectKept("params=1-3b", (r) => r.parameters !== null && r.parameters >= 1e9 && r.parameters < 3.5e9);
    await expectKept("min_acc=1", (r) => ge(r.metrics.hellaswag_acc, 1));
    await expectKept("min_sustained=0.9", (r) => ge(r.metrics.sustained_ratio, 0.9));
  });

  it("refuses a bound that is not a positive number, and an unknown size class", async () => {
    for (const q of ["max_w=-1", "min_tps=fast", "params=huge", "group=rack"]) {
      const res = await call(`/api/v1/leaderboard?${q}`);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_query");
    }
  });
});

describe("the site and the API", () => {
  it("answer one query string with the same configurations in the same order", async () => {
    const query = `${QWEN}&max_w=25&sort=tg_tps`;
    const apiIds = ids((await api(query)).rows);
    expect(apiIds.length).toBeGreaterThan(1);
    const html = await (await call(`/?${query}`)).text();
    const table = html.slice(html.indexOf('<table id="ranking"'), html.indexOf("</table>", html.indexOf('<table id="ranking"')));
    expect([...table.matchAll(/<tr data-cfg="([0-9a-f]+)"/g)].map((m) => m[1])).toEqual(apiIds);
  });

  it("take the query string the site's form sends with its untouched boxes empty", async () => {
    const form = `${QWEN}&max_w=25&sort=tg_tps&min_tps=&max_litres=&params=&board=`;
    expect(ids((await api(form)).rows)).toEqual(ids((await api(`${QWEN}&max_w=25&sort=tg_tps`)).rows));
  });
});
