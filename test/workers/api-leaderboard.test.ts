import { METRICS, type MetricId, median } from "@edgebench/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { csvHeader } from "../../workers/api/csv.js";
import type { RankedPage as LeaderboardPage } from "../../workers/ranking/rank.js";
import type { LeaderboardRow } from "../../workers/ranking/rows.js";
import { buildDocument, type FixtureKeyPair, fixtureKeyPair } from "../fixtures/documents.js";
import { call, type ErrorJson, ingest } from "./helpers.js";

let alice: FixtureKeyPair;
let bob: FixtureKeyPair;

/** The tg_tps each rpi5 Q4_K_M submission had, to check the median. */
const rpi5Speeds = [1, 1.1, 1.3];

beforeAll(async () => {
  alice = await fixtureKeyPair();
  bob = await fixtureKeyPair();
  await ingest(buildDocument({ board: "rpi5", speed: rpi5Speeds[0], createdAt: "2026-11-01T10:00:00Z" }), alice);
  await ingest(buildDocument({ board: "rpi5", speed: rpi5Speeds[1], createdAt: "2026-11-02T10:00:00Z" }), bob);
  await ingest(buildDocument({ board: "rpi5", speed: rpi5Speeds[2], createdAt: "2026-11-03T10:00:00Z" }), alice);
  await ingest(buildDocument({ board: "rpi5", models: ["qwen2.5-0.5b-q8_0"], quality: true }), alice);
  await ingest(buildDocument({ board: "rpi5-hailo" }), bob);
  await ingest(buildDocument({ board: "rock5b" }), alice);
  await ingest(buildDocument({ board: "orin-nano" }), bob);
  await ingest(buildDocument({ board: "mac-mini-m4" }), alice);
  await ingest(buildDocument({ board: "nuc", models: ["qwen2.5-0.5b-q4_k_m", "llama-3.2-1b-q4_k_m"] }), bob);
  await ingest(buildDocument({ board: "custom" }), alice);
  await ingest(buildDocument({ board: "rpi5", models: ["llama-3.2-1b-q4_k_m"] }), bob);
});

async function board(query: string): Promise<LeaderboardPage> {
  const res = await call(`/api/v1/leaderboard${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as LeaderboardPage;
}

/** One RFC 4180 line into cells (quoted cells may hold commas and doubled quotes). */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  const re = /(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g;
  for (const m of line.matchAll(re)) cells.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!);
  return cells;
}

const values = (rows: LeaderboardRow[], id: MetricId) => rows.map((r) => r.metrics[id]!);
const sortedDesc = (xs: number[]) => [...xs].sort((a, b) => b - a);

describe("GET /api/v1/leaderboard", () => {
  it("ranks by generation tokens/s, best first, one row per configuration", async () => {
    const page = await board("");
    expect(page.sort).toBe("tg_tps");
    expect(page.order).toBe("desc");
    // rpi5 Q4 (3 submissions), rpi5 Q8, rpi5 llama, hailo, rock5b, orin, mac, nuc x2 models, custom.
    expect(page.total).toBe(10);
    expect(page.totalCapped).toBe(false);
    expect(page.rows).toHaveLength(10);
    expect(values(page.rows, "tg_tps")).toEqual(sortedDesc(values(page.rows, "tg_tps")));
    expect(page.rows[0]!.boardId).toBe("apple-mac-mini-m4-2024");
    // The Hailo NPU on a Pi 5 (7 tokens/s in the fixture) is the slowest.
    expect(page.rows.at(-1)).toMatchObject({ boardId: "raspberry-pi-5", acceleratorKind: "npu", acceleratorName: "Hailo-10H" });
  });

  it("aggregates a configuration's submissions: median figure, submissions and distinct keys", async () => {
    const page = await board("?board=raspberry-pi-5&model=qwen2-5-0-5b-instruct&quantisation=Q4_K_M&accelerator=cpu");
    expect(page.rows).toHaveLength(1);
    const row = page.rows[0]!;
    expect(row.submissions).toBe(3);
    expect(row.contributors).toBe(2);
    expect(row.runs).toBe(3);
    // The reference model on a Pi 5 fixture generates 20 tokens/s times the speed factor.
    expect(row.metrics.tg_tps).toBeCloseTo(median(rpi5Speeds.map((s) => 20 * s)), 6);
    expect(row.meterScope).toBe("soc-rails");
    expect(row.acceleratorKind).toBe("cpu");
    expect(row.acceleratorName).toBe("Cortex-A76");
    expect(row.stddev.tg_tps).toBe(0);
  });

  it("sorts lower-is-better metrics ascending, and honours an explicit order", async () => {
    const ttft = await board("?sort=ttft_ms");
    expect(ttft.order).toBe("asc");
    const t = values(ttft.rows, "ttft_ms");
    expect(t).toEqual([...t].sort((a, b) => a - b));
    const slowFirst = await board("?sort=tg_tps&order=asc");
    expect(values(slowFirst.rows, "tg_tps")).toEqual(sortedDesc(values(slowFirst.rows, "tg_tps")).reverse());
  });

  it("filters by model, quantisation, board, accelerator kind, backend and meter scope", async () => {
    const ids = async (q: string) => (await board(q)).rows.map((r) => `${r.boardId}/${r.quantisation}/${r.modelSlug}`).sort();
    expect(await ids("?model=llama-3-2-1b-instruct")).toEqual([
      "intel-nuc-4x4/Q4_K_M/llama-3-2-1b-instruct",
      "raspberry-pi-5/Q4_K_M/llama-3-2-1b-instruct",
    ]);
    expect(await ids("?quantisation=Q8_0")).toEqual(["raspberry-pi-5/Q8_0/qwen2-5-0-5b-instruct"]);
    expect((await board("?board=raspberry-pi-5")).rows).toHaveLength(4);
    expect(await ids("?accelerator=npu")).toEqual(["raspberry-pi-5/Q4_K_M/qwen2-5-0-5b-instruct"]);
    expect((await board("?accelerator=gpu")).rows.map((r) => r.backend).sort()).toEqual(["cuda", "metal"]);
    expect((await board("?backend=cuda")).rows.map((r) => r.boardId)).toEqual(["jetson-orin-nano-devkit"]);
    expect((await board("?scope=wall")).rows.map((r) => r.boardId).sort()).toEqual(["apple-mac-mini-m4-2024", "radxa-rock-5b"]);
    const unmetered = await board("?scope=none");
    expect(unmetered.rows.map((r) => [r.boardId, r.meterScope])).toEqual([["acme-edgebox-x1", null]]);
    // A model variant id (sha256) selects that variant only.
    const q8 = (await board("?quantisation=Q8_0")).rows[0]!;
    expect((await board(`?model=${q8.modelId}`)).rows.map((r) => r.id)).toEqual([q8.id]);
  });

  it("ranks energy only within one meter scope", async () => {
    // No scope asked: the first scope in the fixed preference order (wall first) that has results, and nothing else.
    const byDefault = await board("?sort=tokens_per_j");
    expect(byDefault.scope).toBe("wall");
    expect(byDefault.rows.map((r) => r.meterScope)).toEqual(["wall", "wall"]);

    const socRails = await board("?sort=tokens_per_j&scope=soc-rails");
    expect(socRails.rows.map((r) => r.boardId)).toEqual(["raspberry-pi-5", "raspberry-pi-5", "raspberry-pi-5"]);

    const wall = await board("?sort=tokens_per_j&scope=wall");
    expect(wall.scope).toBe("wall");
    expect(wall.rows.map((r) => r.meterScope)).toEqual(["wall", "wall"]);
    expect(values(wall.rows, "tokens_per_j")).toEqual(sortedDesc(values(wall.rows, "tokens_per_j")));

    const watts = await board("?sort=j_per_token&scope=cpu-package");
    expect(watts.order).toBe("asc");
    expect(watts.rows.map((r) => r.boardId)).toEqual(["intel-nuc-4x4", "intel-nuc-4x4"]);

    // Results without a meter are absent from energy rankings, never ranked as zero.
    expect((await board("?sort=tokens_per_j&scope=none")).rows).toEqual([]);
  });

  it("paginates with limit/offset and with the cursor, giving the same rows", async () => {
    const all = (await board("?limit=100")).rows.map((r) => r.id);
    const byOffset: string[] = [];
    for (let offset = 0; offset < all.length; offset += 4) {
      byOffset.push(...(await board(`?limit=4&offset=${offset}`)).rows.map((r) => r.id));
    }
    expect(byOffset).toEqual(all);

    const byCursor: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: LeaderboardPage = await board(`?limit=4${cursor ? `&cursor=${cursor}` : ""}`);
      byCursor.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(byCursor).toEqual(all);
    expect(pages).toBe(3);
  });

  it("serves the same rows as CSV with ?format=csv or Accept: text/csv, headed by METRICS ids", async () => {
    const json = await board("?sort=pp_tps");
    for (const res of [
      await call("/api/v1/leaderboard?sort=pp_tps&format=csv"),
      await call("/api/v1/leaderboard?sort=pp_tps", { headers: { Accept: "text/csv" } }),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
      const lines = (await res.text()).trimEnd().split("\r\n");
      const header = lines[0]!.split(",");
      expect(header).toEqual(csvHeader());
      for (const m of METRICS) expect(header).toContain(m.id);
      expect(lines).toHaveLength(json.rows.length + 1);
      const idCol = header.indexOf("configuration_id");
      const ppCol = header.indexOf("pp_tps");
      lines.slice(1).forEach((line, i) => {
        const cells = splitCsvLine(line);
        expect(cells).toHaveLength(header.length);
        expect(cells[idCol]).toBe(json.rows[i]!.id);
        expect(cells[header.indexOf("board")]).toBe(json.rows[i]!.boardName);
        expect(Number(cells[ppCol])).toBe(json.rows[i]!.metrics.pp_tps);
      });
    }
  });

  it("refuses an unknown sort, a bad limit or a forged cursor with 400 in the error shape", async () => {
    for (const q of ["?sort=speed", "?limit=0", "?limit=501", "?scope=moon", "?cursor=abc", "?format=xml"]) {
      const res = await call(`/api/v1/leaderboard${q}`);
      expect(res.status, q).toBe(400);
      const body = (await res.json()) as ErrorJson;
      expect(body.error.code, q).toMatch(/^(invalid_query|bad_format)$/);
    }
  });

  it("is open to browsers on GET (CORS)", async () => {
    const res = await call("/api/v1/leaderboard", { headers: { Origin: "https://example.org" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const preflight = await call("/api/v1/leaderboard", {
      method: "OPTIONS",
      headers: { Origin: "https://example.org", "Access-Control-Request-Method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("GET");
  });
});

describe("GET /api/v1/configurations", () => {
  it("returns the asked configurations in order, leaving unknown ids out", async () => {
    const rows = (await board("?limit=3")).rows;
    const ids = [rows[2]!.id, "ffffffffffffffffffffffff", rows[0]!.id];
    const res = await call(`/api/v1/configurations?ids=${ids.join(",")}`);
    const body = (await res.json()) as { configurations: LeaderboardRow[] };
    expect(body.configurations.map((r) => r.id)).toEqual([rows[2]!.id, rows[0]!.id]);
    expect((await call("/api/v1/configurations")).status).toBe(400);
  });
});
