/**
 * Every index of the schema is used by a query plan of the Worker's own
 * statements: the test drives the real app through uploads, the aggregation
 * step, moderation, a withdrawal, the cron pass, the API (small and large
 * rankings, both of the ranking's plans) and every page, capturing each statement D1 receives,
 * then asks SQLite for each one's plan (EXPLAIN QUERY PLAN) and collects the
 * indexes named. An index no plan uses is only a cost on every write.
 * It prints the index -> statement table that docs/scale.md lists, and holds
 * that table to the schema.
 */

import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { signRequest } from "@edgebench/contract";
import { beforeAll, describe, expect, it } from "vitest";
import app from "../../workers/index.js";
import { syntheticConfigurationsSql } from "../fixtures/configurations.js";
import { buildDocument, FIXTURE_MODELS, fixtureKeyPair, signed } from "../fixtures/documents.js";
import { ORIGIN } from "./helpers.js";

interface Captured {
  sql: string;
  params: unknown[];
}
const captured: Captured[] = [];

class CapturingStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    readonly sql: string,
    readonly params: unknown[] = [],
  ) {}
  bind(...values: unknown[]) {
    return new CapturingStatement(this.inner.bind(...values), this.sql, values);
  }
  private note() {
    captured.push({ sql: this.sql, params: this.params });
  }
  first(col?: string) {
    this.note();
    return col === undefined ? this.inner.first() : this.inner.first(col);
  }
  run() {
    this.note();
    return this.inner.run();
  }
  all() {
    this.note();
    return this.inner.all();
  }
  raw(options?: { columnNames?: boolean }) {
    this.note();
    return options?.columnNames ? this.inner.raw({ columnNames: true }) : this.inner.raw();
  }
}

const capturingDb = {
  prepare: (q: string) => new CapturingStatement(env.DB.prepare(q), q),
  batch: (stmts: CapturingStatement[]) => {
    for (const s of stmts) captured.push({ sql: s.sql, params: s.params });
    return env.DB.batch(stmts.map((s) => s.inner));
  },
  exec: (q: string) => env.DB.exec(q),
  dump: () => env.DB.dump(),
  withSession: () => env.DB.withSession(),
} as unknown as D1Database;

const appEnv = { ...env, DB: capturingDb };

async function request(path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(new URL(path, ORIGIN), init), appEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const json = { "content-type": "application/json" };
const admin = { ...json, authorization: `Bearer ${env.ADMIN_TOKEN}` };

beforeAll(async () => {
  // 5,000 synthetic configurations, so the ranking's "many matches" plan runs too.
  for (const q of syntheticConfigurationsSql(5000, "f")) await env.DB.prepare(q).run();
  const [a, b] = [await fixtureKeyPair(), await fixtureKeyPair()];
  const ids: string[] = [];
  for (const [i, doc] of [
    buildDocument({ board: "rpi5", seed: 1, models: ["qwen2.5-0.5b-q4_k_m", "llama-3.2-1b-q4_k_m"] }),
    buildDocument({ board: "rpi5", seed: 2 }),
    buildDocument({ board: "mac-mini-m4", seed: 3 }),
    buildDocument({ board: "nuc", seed: 4, models: ["qwen2.5-0.5b-q8_0"] }),
    buildDocument({
      board: "rpi5",
      seed: 5,
      mutate: (d) => {
        d.fleet = { label: "lab", node: "n1" };
      },
    }),
    buildDocument({
      board: "rpi5",
      seed: 6,
      backend: "http",
      serving: {},
      mutate: (d) => {
        d.fleet = { label: "lab", nodes: ["n1"] };
      },
    }),
  ].entries()) {
    const { id, body } = await signed(doc, i % 2 ? b : a);
    expect((await request("/api/v1/submissions", { method: "POST", headers: json, body: JSON.stringify(body) })).status).toBe(201);
    ids.push(id);
  }
  const sha = FIXTURE_MODELS["qwen2.5-0.5b-q8_0"].model.sha256;
  const reads: string[] = [
    "/api/v1/leaderboard",
    "/api/v1/leaderboard?sort=tokens_per_j",
    "/api/v1/leaderboard?sort=ttft_ms&board=raspberry-pi-5",
    "/api/v1/leaderboard?backend=metal",
    "/api/v1/leaderboard?accelerator=npu&sort=pp_tps",
    `/api/v1/leaderboard?model=${sha}`,
    "/api/v1/leaderboard?model=qwen2-5-0-5b-instruct&limit=5&offset=2",
    "/api/v1/leaderboard?scope=wall&sort=tps_per_cm2",
    "/api/v1/leaderboard?cooling=fan&test=1",
    "/?board=raspberry-pi-5&backend=cpu",
    // Rows per configuration (the "many matches" walk of the rank index), per board, and with constraints.
    "/api/v1/leaderboard?group=configuration",
    "/api/v1/leaderboard?group=board&max_w=20&params=lt1b&min_tps=1",
    "/?model=all",
    "/api/v1/boards",
    "/api/v1/boards/raspberry-pi-5",
    "/api/v1/models",
    "/api/v1/models/qwen2-5-0-5b-instruct",
    "/api/v1/status",
    `/api/v1/submissions/${ids[0]}`,
    "/",
    "/?view=pareto",
    "/?view=energy&scope=soc-rails&quantisation=Q4_K_M",
    "/boards/raspberry-pi-5",
    "/models/qwen2-5-0-5b-instruct",
    `/results/${ids[0]}`,
    "/fleets/lab",
    "/api/v1/fleets/lab",
  ];
  // A pinned standard file, then the standard filter on the API and the site.
  const pinned = FIXTURE_MODELS["qwen2.5-0.5b-q4_k_m"].model.sha256;
  const pin = { name: "Qwen2.5 0.5B Instruct", quantisation: "Q4_K_M", suiteId: "edge-llm", source: "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF" };
  expect((await request(`/api/v1/admin/standard-files/${pinned}`, { method: "PUT", headers: admin, body: JSON.stringify(pin) })).status).toBe(201);
  reads.push("/api/v1/leaderboard?standard=1", "/api/v1/leaderboard?standard=1&sort=tokens_per_j", "/?standard=1", "/api/v1/standard-files");
  for (const path of reads) expect((await request(path)).status, path).toBe(200);
  // The bulk export streams its body: read whole, so every chunk's statement is captured; a second page by cursor.
  const exported = await request("/api/v1/export?limit=2");
  expect((await exported.arrayBuffer()).byteLength).toBeGreaterThan(0);
  const nextExport = `/api/v1/export/runs.csv?limit=2&cursor=${exported.headers.get("X-Next-Cursor")}`;
  expect((await (await request(nextExport)).arrayBuffer()).byteLength).toBeGreaterThan(0);
  // A retirement rule's creation and deletion (the re-match of a runtime's results), and an upload of a build it retires.
  const rule = { runtime: "node-llama-cpp", minVersion: "3.0.0", maxVersion: "3.22.0", reason: "test" };
  const created = await request("/api/v1/admin/retired-builds", { method: "POST", headers: admin, body: JSON.stringify(rule) });
  expect(created.status).toBe(201);
  const retired = await signed(buildDocument({ board: "nuc", seed: 7 }), a);
  expect((await request("/api/v1/submissions", { method: "POST", headers: json, body: JSON.stringify(retired.body) })).status).toBe(201);
  expect((await request("/api/v1/retired-builds")).status).toBe(200);
  const ruleId = ((await created.json()) as { rule: { id: string } }).rule.id;
  expect((await request(`/api/v1/admin/retired-builds/${ruleId}`, { method: "DELETE", headers: admin })).status).toBe(200);
  const next = (await (await request("/api/v1/leaderboard?limit=3")).json()) as { nextCursor: string; rows: { id: string }[] };
  expect((await request(`/api/v1/leaderboard?limit=3&cursor=${next.nextCursor}`)).status).toBe(200);
  expect((await request(`/compare?ids=${next.rows.map((r) => r.id).join(",")}`)).status).toBe(200);
  expect((await request(`/api/v1/admin/submissions/${ids[1]}/hide`, { method: "POST", headers: admin, body: '{"reason":"test"}' })).status).toBe(200);
  expect((await request(`/api/v1/admin/keys/${b.publicKeyB64}/revoke`, { method: "POST", headers: admin, body: '{"reason":"test"}' })).status).toBe(
    200,
  );
  expect((await request(`/api/v1/admin/keys/${b.publicKeyB64}/restore`, { method: "POST", headers: admin, body: '{"reason":"test"}' })).status).toBe(
    200,
  );
  expect((await request(`/api/v1/admin/log?target=${ids[1]}`, { headers: admin })).status).toBe(200);
  const w = { action: "withdraw" as const, id: ids[2]!, at: new Date().toISOString(), nonce: "n".repeat(20) };
  const body = JSON.stringify({ withdraw: w, signature: await signRequest(w, a.privateKey), publicKey: a.publicKeyB64 });
  expect((await request(`/api/v1/submissions/${ids[2]}/withdraw`, { method: "POST", headers: json, body })).status).toBe(200);
  // The cron pass: a result of an older metric list is recomputed, then whatever is pending aggregated.
  await env.DB.prepare("UPDATE submissions SET figures_version = '0' WHERE id = ?").bind(ids[0]!).run();
  const ctx = createExecutionContext();
  await app.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), appEnv);
  await waitOnExecutionContext(ctx);
});

describe("indexes", () => {
  it("every index of the schema is used by the plan of one of the Worker's statements", async () => {
    const indexes = (
      await env.DB.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY tbl_name, name").all<{
        name: string;
        tbl_name: string;
      }>()
    ).results;
    expect(indexes.length).toBeGreaterThan(10);
    const usedBy = new Map<string, string>();
    const seen = new Set<string>();
    for (const { sql, params } of captured) {
      const key = `${sql}\u0000${JSON.stringify(params)}`;
      if (seen.has(key) || /^\s*(pragma|explain)/i.test(sql)) continue;
      seen.add(key);
      const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...params)
        .all<{ detail: string }>();
      for (const { detail } of plan.results) {
        const m = /USING (?:COVERING )?INDEX (\w+)/.exec(detail);
        if (m && !usedBy.has(m[1]!)) usedBy.set(m[1]!, sql.replace(/\s+/g, " ").slice(0, 160));
      }
    }
    const table = indexes.map((i) => `${i.tbl_name}.${i.name}: ${usedBy.get(i.name) ?? "UNUSED"}`);
    console.log(`index -> first statement whose plan uses it\n${table.join("\n")}`);
    expect(indexes.filter((i) => !usedBy.has(i.name)).map((i) => i.name)).toEqual([]);
  });

  it("docs/scale.md lists every index of the schema beside the query that uses it, and no index the schema lacks", async () => {
    const names = (
      await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all<{ name: string }>()
    ).results.map((r) => r.name);
    const section = /## Every index and the query that uses it\n([\s\S]*?)\n## /.exec(env.SCALE_DOC)?.[1] ?? "";
    const listed = [...section.matchAll(/^\| `(\w+)`/gm)].map((m) => m[1]!);
    expect(listed.sort()).toEqual(names.sort());
  });
});
