/**
 * Standard files, through the real Worker and a real local D1: results are
 * stored first, then a file is pinned by its sha256 through the admin API;
 * `standard=1` on the API and on the site then keeps exactly the
 * configurations of that file (not other quantisations, not runs that gave
 * no sha256), every row and result says whether its file is standard, and
 * unpinning takes the mark away again.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { RankedPage } from "../../workers/ranking/rank.js";
import type { SubmissionView } from "../../workers/read/submissions.js";
import { buildDocument, FIXTURE_MODELS, fixtureKeyPair } from "../fixtures/documents.js";
import { call, type ErrorJson, ingest } from "./helpers.js";

const admin = { "content-type": "application/json", authorization: `Bearer ${env.ADMIN_TOKEN}` };
const PINNED = FIXTURE_MODELS["qwen2.5-0.5b-q4_k_m"].model.sha256!;
const OTHER = FIXTURE_MODELS["qwen2.5-0.5b-q8_0"].model.sha256!;
const FILE = {
  name: "Qwen2.5 0.5B Instruct",
  quantisation: "Q4_K_M",
  suiteId: "edge-llm",
  source: "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf",
};

const leaderboard = async (q = "") => (await (await call(`/api/v1/leaderboard${q}`)).json()) as RankedPage;

/** Configuration ids of the site's ranking table, in order. */
async function siteRows(path: string): Promise<string[]> {
  const res = await call(path);
  expect(res.status).toBe(200);
  const html = await res.text();
  const start = html.indexOf('<table id="ranking"');
  if (start < 0) return [];
  return [...html.slice(start, html.indexOf("</table>", start)).matchAll(/<tr data-cfg="([0-9a-f]+)"/g)].map((m) => m[1]!);
}

const pin = (sha: string, body: unknown, headers: Record<string, string> = admin) =>
  call(`/api/v1/admin/standard-files/${sha}`, { method: "PUT", headers, body: JSON.stringify(body) });
const unpin = (sha: string, headers: Record<string, string> = admin) => call(`/api/v1/admin/standard-files/${sha}`, { method: "DELETE", headers });

describe("standard files", () => {
  /** submission ids: the pinned file on two boards, another quantisation, a file without a sha256 */
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const keys = await fixtureKeyPair();
    ids.rpi = await ingest(buildDocument({ board: "rpi5", models: ["qwen2.5-0.5b-q4_k_m", "qwen2.5-0.5b-q8_0"] }), keys);
    ids.nuc = await ingest(buildDocument({ board: "nuc", models: ["qwen2.5-0.5b-q4_k_m"] }), keys);
    ids.noSha = await ingest(buildDocument({ board: "nuc", models: ["tiny-local-q8_0"] }), keys);
  });

  it("standard=1 keeps exactly the pinned file's configurations, on the API and the site, from a pin made after the results", async () => {
    const all = await leaderboard("?limit=500");
    const pinnedIds = all.rows.filter((r) => r.modelId === PINNED).map((r) => r.id);
    expect(pinnedIds.length).toBe(2);
    expect(all.rows.some((r) => r.modelId === OTHER)).toBe(true);
    expect(all.rows.some((r) => r.modelSha256 === null)).toBe(true);
    expect(all.rows.every((r) => r.standardFile === false)).toBe(true);
    expect((await leaderboard("?standard=1")).rows).toEqual([]);
    expect(await siteRows("/?standard=1")).toEqual([]);

    const res = await pin(PINNED, FILE);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ standardFile: { sha256: PINNED, ...FILE } });
    const listed = (await (await call("/api/v1/standard-files")).json()) as { standardFiles: { sha256: string }[] };
    expect(listed.standardFiles.map((f) => f.sha256)).toEqual([PINNED]);

    const standard = await leaderboard("?standard=1&limit=500");
    expect(standard.rows.map((r) => r.id).sort()).toEqual([...pinnedIds].sort());
    expect(standard.total).toBe(2);
    expect(standard.rows.every((r) => r.standardFile && r.modelId === PINNED)).toBe(true);
    // The unfiltered ranking marks the pinned file's rows and only those.
    for (const r of (await leaderboard("?limit=500")).rows) expect(r.standardFile).toBe(r.modelId === PINNED);
    // The site ranks the same rows (its own filter parser is the API's).
    expect((await siteRows("/?standard=1")).sort()).toEqual([...pinnedIds].sort());
    // Without a model the site ranks the most-submitted standard model: the pinned file's rows.
    expect((await siteRows("/")).sort()).toEqual([...pinnedIds].sort());
    // The site's filter form keeps the choice, and marks the pinned rows and only those.
    const page = await (await call("/?standard=1")).text();
    expect(page).toMatch(/<input type="checkbox" name="standard" value="1" checked/);
    expect(page.match(/class="badge standard"/g)?.length).toBe(pinnedIds.length);
    expect((await (await call("/")).text()).match(/class="badge standard"/g)?.length).toBe(pinnedIds.length);
    // With another filter too: the board narrows the pinned rows to one.
    expect((await leaderboard("?standard=1&board=raspberry-pi-5")).rows.map((r) => r.modelId)).toEqual([PINNED]);

    // The result JSON says per run whether its file is standard.
    const rpi = (await (await call(`/api/v1/submissions/${ids.rpi}`)).json()) as SubmissionView;
    expect(rpi.runs.map((r) => [r.modelId, r.standardFile])).toEqual([
      [PINNED, true],
      [OTHER, false],
    ]);
    const noSha = (await (await call(`/api/v1/submissions/${ids.noSha}`)).json()) as SubmissionView;
    expect(noSha.runs.map((r) => r.standardFile)).toEqual([false]);

    // Re-pinning describes the file anew (200), and is logged like every admin action.
    const again = await pin(PINNED, { ...FILE, source: "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF", reason: "shorter source" });
    expect(again.status).toBe(200);
    const log = (await (await call(`/api/v1/admin/log?target=${PINNED}`, { headers: admin })).json()) as {
      entries: { action: string; targetKind: string; reason: string }[];
    };
    expect(log.entries.map((e) => [e.action, e.targetKind])).toEqual([
      ["pin-file", "standard-file"],
      ["pin-file", "standard-file"],
    ]);
    expect(log.entries[0]!.reason).toBe("shorter source");

    // Unpinning: standard=1 is empty again and no row is marked.
    expect((await unpin(PINNED)).status).toBe(200);
    expect((await leaderboard("?standard=1")).rows).toEqual([]);
    expect(await siteRows("/?standard=1")).toEqual([]);
    expect((await leaderboard("?limit=500")).rows.every((r) => !r.standardFile)).toBe(true);
    expect(((await (await call("/api/v1/standard-files")).json()) as { standardFiles: unknown[] }).standardFiles).toEqual([]);
    expect((await unpin(PINNED)).status).toBe(404);
  });

  it("refuses a bad sha256, a bad body, an unknown filter value, and calls without the admin token", async () => {
    const code = async (res: Response, status: number, expected: string) => {
      expect(res.status).toBe(status);
      expect(((await res.json()) as ErrorJson).error.code).toBe(expected);
    };
    await code(await pin("AB".repeat(32), FILE), 400, "bad_sha256");
    await code(await pin(PINNED.slice(1), FILE), 400, "bad_sha256");
    await code(await unpin("not-a-sha"), 400, "bad_sha256");
    await code(await pin(PINNED, { ...FILE, name: "" }), 400, "invalid_standard_file");
    await code(await pin(PINNED, { name: FILE.name, quantisation: FILE.quantisation, suiteId: FILE.suiteId }), 400, "invalid_standard_file");
    await code(await pin(PINNED, { ...FILE, size: 1 }), 400, "invalid_standard_file");
    await code(await call("/api/v1/leaderboard?standard=yes"), 400, "invalid_query");

    const noToken = { "content-type": "application/json" };
    await code(await pin(PINNED, FILE, noToken), 401, "unauthorized");
    await code(await unpin(PINNED, { authorization: `Bearer ${env.ADMIN_TOKEN}x` }), 401, "unauthorized");
    // Nothing was pinned by any of these.
    expect(((await (await call("/api/v1/standard-files")).json()) as { standardFiles: unknown[] }).standardFiles).toEqual([]);
    expect((await leaderboard("?standard=1")).rows).toEqual([]);
  });
});
