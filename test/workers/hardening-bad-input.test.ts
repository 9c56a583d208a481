/**
 * Runs the whole bad-input corpus (bad-input-corpus.ts) against the real app
 * and real D1 inside workerd: every case gets one of its expected 4xx (or, for
 * a GET with odd parameters, an empty 200), never a 5xx; no case stores
 * anything (every table's row count is the same after it); and the registry
 * still serves valid requests afterwards.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildDocument, fixtureKeyPair, signed } from "../fixtures/documents.js";
import { baseDocument, buildCorpus, type CorpusCase } from "./bad-input-corpus.js";
import { call, postJson } from "./helpers.js";

const COUNTED = [
  "submissions",
  "runs",
  "contributors",
  "boards",
  "models",
  "model_families",
  "configurations",
  "moderation_log",
  "revoked_keys",
  "request_nonces",
];
const countAll = async () =>
  env.DB.prepare(`SELECT ${COUNTED.map((t) => `(SELECT COUNT(*) FROM ${t}) AS ${t}`).join(", ")}`).first<Record<string, number>>();

async function run(c: CorpusCase): Promise<Response> {
  return call(c.path, { method: c.method, headers: c.headers, body: c.body });
}

describe("bad-input corpus", () => {
  it("every case gets its 4xx, stores nothing, and the registry keeps serving", { timeout: 600_000 }, async () => {
    const keys = await fixtureKeyPair();
    const other = await fixtureKeyPair();
    const stored = await signed(baseDocument(1), keys);
    expect((await postJson(stored.body)).status).toBe(201);
    const cases = await buildCorpus({ keys, other, stored: stored.body, storedId: stored.id, adminToken: env.ADMIN_TOKEN! });

    const failures: string[] = [];
    const byGroup = new Map<string, number>();
    const msByGroup = new Map<string, number>();
    let before = await countAll();
    for (const c of cases) {
      byGroup.set(c.group, (byGroup.get(c.group) ?? 0) + 1);
      const t0 = performance.now();
      let res: Response;
      try {
        res = await run(c);
      } catch (e) {
        failures.push(`[${c.group}] ${c.name}: threw ${(e as Error).message}`);
        continue;
      }
      const text = await res.text();
      if (!c.expect.includes(res.status)) failures.push(`[${c.group}] ${c.name}: ${res.status} (want ${c.expect.join("/")}) ${text.slice(0, 200)}`);
      if (res.status >= 400 && res.headers.get("content-type")?.includes("application/json")) {
        const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
        if (typeof body.error?.code !== "string" || typeof body.error?.message !== "string")
          failures.push(`[${c.group}] ${c.name}: not the error shape`);
      }
      if (res.status === 200 && c.emptyList) {
        const list = (JSON.parse(text) as Record<string, unknown[]>)[c.emptyList];
        if (!Array.isArray(list) || list.length !== 0) failures.push(`[${c.group}] ${c.name}: ${c.emptyList} not empty`);
      }
      if (c.group === "replay" && res.status === 200 && (JSON.parse(text) as { id: string }).id !== stored.id)
        failures.push(`[replay] ${c.name}: another id`);
      const after = await countAll();
      if (JSON.stringify(after) !== JSON.stringify(before))
        failures.push(`[${c.group}] ${c.name}: stored something ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
      before = after;
      const route = c.path
        .split("?")[0]!
        .split("/")
        .slice(0, c.path.startsWith("/api/") ? 4 : 2)
        .join("/");
      const bucket = c.group === "sql-meta" ? `sql-meta ${route}` : c.group;
      msByGroup.set(bucket, (msByGroup.get(bucket) ?? 0) + performance.now() - t0);
    }
    console.log(
      `bad-input corpus: ${cases.length} cases tried (${[...byGroup].map(([g, n]) => `${g} ${n}`).join(", ")}); ${failures.length} failures`,
    );
    for (const f of failures) console.log(`FAILED ${f}`);
    console.log(`time per group (ms): ${[...msByGroup].map(([g, ms]) => `${g} ${Math.round(ms)}`).join(", ")}`);
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThan(500);

    // Still serving: the stored result, the leaderboard, a new upload, and ordinary Unicode in names.
    expect((await call(`/api/v1/submissions/${stored.id}`)).status).toBe(200);
    expect((await call("/api/v1/leaderboard")).status).toBe(200);
    expect((await call("/")).status).toBe(200);
    const unicode = await signed(buildDocument({ seed: 77, mutate: (d) => (d.system.board.name = "Raspberry Pi 5 — 日本語のボード 🚀") }), keys);
    const res = await postJson(unicode.body);
    expect(res.status).toBe(201);
    expect((await countAll())!.submissions).toBe(2);
  });
});
