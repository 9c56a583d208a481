/**
 * One vocabulary for the API and the site: test data (generated models,
 * unidentified boards) is stored but ranked and listed only with `test=1`;
 * unidentified boards are one board per key; an unknown board or model id
 * is a 404 on both; the filter menus narrow each other; boards sort by
 * count, then naturally; board and model pages paginate; any unknown page
 * is a page that reads as a 404.
 */
import { env } from "cloudflare:workers";
import { keyFingerprint, type ResultDocument } from "@edgebench/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../workers/db.js";
import { filterOptions } from "../../workers/ranking/options.js";
import { syntheticConfigurationsSql } from "../fixtures/configurations.js";
import { buildDocument, type FixtureKeyPair, keyPairFromSeed } from "../fixtures/documents.js";
import { call, type ErrorJson, ingest } from "./helpers.js";

interface Row {
  boardId: string;
  modelName: string;
}
const leaderboard = async (query: string) =>
  ((await (await call(`/api/v1/leaderboard?group=configuration&limit=500&${query}`)).json()) as { rows: Row[] }).rows;
const page = async (path: string) => {
  const res = await call(path);
  return { status: res.status, html: await res.text() };
};

const unknownBoard = (d: ResultDocument) => {
  d.system.board = { name: "unknown board", identifiedBy: "unknown" };
};
const declaredBoard = (name: string) => (d: ResultDocument) => {
  d.system.board = { name, identifiedBy: "declared" };
};
/** A model the uploader generated (its own file: a sha256 of its own). */
const generatedModel = (d: ResultDocument) => {
  d.runs[0]!.model = { ...d.runs[0]!.model, name: "edgebench tiny llama", sha256: "ab".repeat(32) };
};

let a: FixtureKeyPair;
let b: FixtureKeyPair;
let resultIds: { generated: string };

beforeAll(async () => {
  [a, b] = [await keyPairFromSeed(61), await keyPairFromSeed(62)];
  await ingest(buildDocument({ board: "rpi5", seed: 1 }), a);
  const generated = await ingest(buildDocument({ board: "rpi5", seed: 2, mutate: generatedModel }), a);
  await ingest(buildDocument({ board: "rpi5", seed: 3, mutate: unknownBoard }), a);
  await ingest(buildDocument({ board: "rpi5", seed: 4, mutate: unknownBoard }), b);
  await ingest(buildDocument({ board: "rpi5", seed: 5, models: ["llama-3.2-1b-q4_k_m"], mutate: declaredBoard("Acme Board 8GB") }), a);
  await ingest(buildDocument({ board: "rpi5", seed: 6, mutate: declaredBoard("Acme Board 16GB") }), b);
  resultIds = { generated };
  // 60 more configurations on one board and one model, for the pages' pagination (rows in the real format, made in SQL,
  // before any page is read and cached).
  for (const q of syntheticConfigurationsSql(60, "p")) await env.DB.prepare(q).run();
  await env.DB.prepare(
    "UPDATE configurations SET board_id = 'raspberry-pi-5', model_slug = 'qwen2-5-0-5b-instruct', model_name = 'Qwen2.5-0.5B-Instruct' WHERE id LIKE 'p%'",
  ).run();
});

describe("test data", () => {
  it("is left out of the ranking, the lists and the menus unless test=1, on the API and the site", async () => {
    const isTest = (r: Row) => r.modelName.startsWith("edgebench ") || r.boardId.startsWith("unknown");
    const shown = await leaderboard("");
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter(isTest)).toEqual([]);
    expect((await leaderboard("test=1")).filter(isTest)).toHaveLength(3);

    const boards = async (q: string) => ((await (await call(`/api/v1/boards${q}`)).json()) as { boards: { id: string }[] }).boards.map((x) => x.id);
    expect((await boards("")).filter((id) => id.startsWith("unknown"))).toEqual([]);
    expect((await boards("?test=1")).filter((id) => id.startsWith("unknown"))).toHaveLength(2);
    expect((await call("/api/v1/boards?test=yes")).status).toBe(400);
    const models = async (q: string) =>
      ((await (await call(`/api/v1/models${q}`)).json()) as { models: { name: string }[] }).models.map((m) => m.name);
    expect(await models("")).not.toContain("edgebench tiny llama");
    expect(await models("?test=1")).toContain("edgebench tiny llama");

    const db = createDb(env.DB);
    expect((await filterOptions(db)).boards.some((x) => x.id.startsWith("unknown"))).toBe(false);
    expect((await filterOptions(db, { test: "1" })).boards.filter((x) => x.id.startsWith("unknown"))).toHaveLength(2);
    expect((await page("/")).html).not.toContain('value="unknown-');
    expect((await page("/?test=1")).html).toContain('value="unknown-');

    // The board page of a real board hides the generated model's row unless asked; the result still opens, marked.
    expect((await page("/boards/raspberry-pi-5")).html).not.toContain("edgebench tiny llama");
    expect((await page("/boards/raspberry-pi-5?test=1")).html).toContain("edgebench tiny llama");
    const result = await page(`/results/${resultIds.generated}`);
    expect(result.status).toBe(200);
    expect(result.html).toContain("test data: not ranked publicly");
  });

  it("files two contributors' unidentified boards as two boards, one per key", async () => {
    const listed = ((await (await call("/api/v1/boards?test=1")).json()) as { boards: { id: string; name: string }[] }).boards;
    const expected = await Promise.all(
      [a, b]
        .map(async (k) => (await keyFingerprint(k.publicKeyB64)).replaceAll(":", "").slice(0, 8))
        .map(async (hex) => ({
          id: `unknown-${await hex}`,
          name: `Unknown board (key ${await hex})`,
        })),
    );
    expect(listed.filter((x) => x.id.startsWith("unknown")).map(({ id, name }) => ({ id, name }))).toEqual(expect.arrayContaining(expected));
    const unknownPage = await page(`/boards/${expected[0]!.id}`);
    expect(unknownPage.status).toBe(200);
    expect(unknownPage.html).toContain("test data: not ranked publicly");
  });
});

describe("unknown ids", () => {
  it("answer 404 naming the id, on the API (one error shape) and the site", async () => {
    for (const [param, code] of [
      ["board", "unknown_board"],
      ["model", "unknown_model"],
    ] as const) {
      const res = await call(`/api/v1/leaderboard?${param}=nope-${param}`);
      expect(res.status).toBe(404);
      const body = (await res.json()) as ErrorJson;
      expect(body.error.code).toBe(code);
      expect(body.error.message).toContain(`nope-${param}`);
      const site = await page(`/?${param}=nope-${param}`);
      expect(site.status).toBe(404);
      expect(site.html).toContain("Not found");
      expect(site.html).toContain(`nope-${param}`);
    }
    // A catalogue board with no result yet is known: an empty ranking, not a 404.
    expect((await call("/api/v1/leaderboard?board=jetson-orin-nano-devkit")).status).toBe(200);
  });

  it("any unknown page reads as a 404 with ways back; API paths keep JSON", async () => {
    const nope = await page("/nope");
    expect(nope.status).toBe(404);
    expect(nope.html).toContain("<h1>Not found</h1>");
    expect(nope.html).toContain("<code>/nope</code>");
    for (const href of ['href="/"', 'href="/boards"', 'href="/models"']) expect(nope.html).toContain(href);
    for (const path of ["/boards/nope", "/models/nope", `/results/${"0".repeat(64)}`]) expect((await page(path)).status, path).toBe(404);
    const api = await call("/api/v1/nope");
    expect(api.status).toBe(404);
    expect(((await api.json()) as ErrorJson).error.code).toBe("not_found");
  });
});

describe("filter menus and board order", () => {
  it("offer only values that exist under the other filters", async () => {
    const db = createDb(env.DB);
    const all = await filterOptions(db);
    expect(all.models.map((m) => m.id).sort()).toEqual(["llama-3-2-1b-instruct", "qwen2-5-0-5b-instruct"]);
    const on8 = await filterOptions(db, { board: "acme-board-8gb" });
    expect(on8.models.map((m) => m.id)).toEqual(["llama-3-2-1b-instruct"]);
    // A menu is not narrowed by its own filter: the board menu still offers every board.
    expect(on8.boards).toHaveLength(3);
    const llama = await filterOptions(db, { model: "llama-3-2-1b-instruct" });
    expect(llama.boards.map((x) => x.id)).toEqual(["acme-board-8gb"]);
  });

  it("sorts boards by submissions, then naturally (8GB before 16GB), in the menu and the boards page", async () => {
    const menu = (await filterOptions(createDb(env.DB))).boards.map((x) => x.id);
    expect(menu).toEqual(["raspberry-pi-5", "acme-board-8gb", "acme-board-16gb"]);
    const byName = (await page("/boards?order=name")).html;
    expect(byName.indexOf("Acme Board 8GB")).toBeGreaterThan(0);
    expect(byName.indexOf("Acme Board 8GB")).toBeLessThan(byName.indexOf("Acme Board 16GB"));
  });
});

describe("board and model pages paginate", () => {
  it("50 rows a page, page= in the URL, prev/next and n of m", async () => {
    for (const base of ["/boards/raspberry-pi-5", "/models/qwen2-5-0-5b-instruct"]) {
      const first = await page(base);
      const total = Number(/Rows 1 to 50 of (\d+)/.exec(first.html)?.[1]);
      expect(total, base).toBeGreaterThan(60);
      expect(first.html).toContain(`href="${base}?page=2"`);
      const second = await page(`${base}?page=2`);
      expect(second.html).toContain(`Rows 51 to ${total} of ${total} (page 2 of 2)`);
      expect(second.html).toContain(`href="${base}"`);
      const rows = (html: string) => html.slice(html.lastIndexOf("<table")).match(/<tr data-cfg=/g)?.length ?? 0;
      expect(rows(first.html) + rows(second.html)).toBe(total);
    }
  });
});
