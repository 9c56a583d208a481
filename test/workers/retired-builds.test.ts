/**
 * Retired runtime builds, through the real Worker and a real local D1:
 * results of several node-llama-cpp versions and llama.cpp commits share one
 * configuration; rules retire some by commit and by version range, and the
 * leaderboard's counts and medians move to the remaining runs; a retired
 * result stays readable and says why; a new upload of a retired build is
 * stored but does not rank; deleting a rule restores its results unless
 * another rule still matches; a hidden result stays hidden through all of it.
 */
import { env } from "cloudflare:workers";
import { median, type ResultDocument } from "@edgebench/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { versionKey } from "../../workers/moderation/build-rules.js";
import type { RetiredBuildView } from "../../workers/moderation/retired-builds.js";
import type { RankedPage } from "../../workers/ranking/rank.js";
import type { SubmissionView } from "../../workers/read/submissions.js";
import { buildDocument, type FixtureKeyPair, fixtureKeyPair, signed } from "../fixtures/documents.js";
import { call, type ErrorJson, ingest, postJson } from "./helpers.js";

const BOARD = "intel-nuc-4x4";
const admin = { "content-type": "application/json", authorization: `Bearer ${env.ADMIN_TOKEN}` };

type Rule = Omit<RetiredBuildView, "createdAt">;

/** A NUC result of node-llama-cpp `version` built from llama.cpp `commit`; `speed` orders the figures. */
function doc(version: string, commit: string, speed: number): ResultDocument {
  return buildDocument({
    board: "nuc",
    speed,
    mutate: (d) => {
      d.runtime.version = version;
      d.runtime.llamaCpp = { ...d.runtime.llamaCpp, commit };
    },
  });
}

const row = async () => {
  const page = (await (await call(`/api/v1/leaderboard?board=${BOARD}`)).json()) as RankedPage;
  expect(page.rows.length).toBeLessThanOrEqual(1);
  return page.rows[0];
};
const result = async (id: string) => (await (await call(`/api/v1/submissions/${id}`)).json()) as SubmissionView;

async function retire(body: Record<string, unknown>): Promise<{ rule: Rule; affected: number }> {
  const res = await call("/api/v1/admin/retired-builds", { method: "POST", headers: admin, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { rule: Rule; affected: number };
}

async function unretire(id: string): Promise<{ affected: number }> {
  const res = await call(`/api/v1/admin/retired-builds/${id}`, { method: "DELETE", headers: admin, body: '{"reason":"fixed upstream"}' });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { affected: number };
}

const adminPost = (path: string, reason = "test") =>
  call(`/api/v1/admin/${path}`, { method: "POST", headers: admin, body: JSON.stringify({ reason }) });

describe("migration 0009", () => {
  it("copies the llama.cpp commit stored documents record into the new column (lowercased), and moves the registry version", async () => {
    const db = env.MIGRATION_DB;
    const apply = async (which: (name: string) => boolean) => {
      for (const m of env.TEST_MIGRATIONS.filter((m) => which(m.name))) for (const q of m.queries) await db.prepare(q).run();
    };
    await apply((f) => f < "0009");
    const before = await db.prepare("SELECT version, salt FROM registry_version").first<{ version: number; salt: string }>();
    await db.prepare("INSERT INTO contributors (public_key, fingerprint, first_seen_at, last_seen_at) VALUES ('k', 'f', 't', 't')").run();
    const insert = db.prepare(
      `INSERT INTO submissions (id, public_key, signature, document, schema_id, created_at, received_at, suite_id, suite_version, uploader_name,
        uploader_version, origin_kind, board_id, board_name, runtime_name, runtime_version, backend, meter_scope, run_count)
       VALUES (?1, 'k', 'sig', ?2, 'edgebench.result/v1', 't', 't', 'edge-llm', '1', 'edgebench', '0.1.0', 'measured', 'b', 'B',
        'node-llama-cpp', '3.22.0', 'cpu', 'none', 1)`,
    );
    await insert.bind("with", JSON.stringify({ runtime: { name: "node-llama-cpp", llamaCpp: { commit: "0AD4A86" } } })).run();
    await insert.bind("without", JSON.stringify({ runtime: { name: "ollama" } })).run();
    await apply((f) => f.startsWith("0009"));
    const rows = await db
      .prepare("SELECT id, llama_cpp_commit AS c, retired_rule AS r FROM submissions ORDER BY id")
      .all<{ id: string; c: string | null }>();
    expect(rows.results).toEqual([
      { id: "with", c: "0ad4a86", r: null },
      { id: "without", c: null, r: null },
    ]);
    const after = await db.prepare("SELECT version, salt FROM registry_version").first<{ version: number; salt: string }>();
    expect(after!.version).toBe(before!.version + 1);
    expect(after!.salt).not.toBe(before!.salt);
  });
});

describe("version keys", () => {
  it("order dotted versions as numbers, and leave versions without numbers unordered", () => {
    const k = (v: string) => versionKey(v)!;
    expect(k("3.9.0") < k("3.10.0")).toBe(true);
    expect(k("3.9") === k("3.9.0")).toBe(true);
    expect(k("3.9.1") > k("3.9")).toBe(true);
    expect(k("v3.22.0") === k("3.22.0")).toBe(true);
    expect(k("b6000") > k("b999")).toBe(true);
    expect(k("3.9.0-rc1") === k("3.9.0")).toBe(true);
    expect(versionKey("nightly")).toBeNull();
  });
});

describe("retired runtime builds", () => {
  let keys: FixtureKeyPair;
  /** version/commit -> submission id */
  const ids: Record<string, string> = {};
  /** submission id -> its run's tg_tps as the registry computed it */
  const tg = new Map<string, number>();
  const tgMedian = (names: string[]) => median(names.map((n) => tg.get(ids[n]!)!));

  beforeAll(async () => {
    keys = await fixtureKeyPair();
    const docs: [string, ResultDocument][] = [
      ["a", doc("3.22.0", "0ad4a86", 1)],
      ["b", doc("3.22.0", "0ad4a86", 1.2)],
      ["v39", doc("3.9.0", "1111111aaaa", 2)],
      ["v310", doc("3.10.0", "2222222bbbbcccc", 2.5)],
    ];
    for (const [name, d] of docs) {
      ids[name] = await ingest(d, keys);
      tg.set(ids[name]!, (await result(ids[name]!)).runs[0]!.metrics.tg_tps!.value);
    }
  });

  it("retiring by version range and by commit takes exactly those results out of the configuration's counts and medians", async () => {
    const before = (await row())!;
    expect(before.submissions).toBe(4);
    expect(before.metrics.tg_tps).toBeCloseTo(tgMedian(["a", "b", "v39", "v310"]), 9);

    // 3.9.0-3.9.5 holds 3.9.0 but not 3.10.0 (compared as numbers, not as text).
    const range = await retire({ runtime: "node-llama-cpp", minVersion: "3.9.0", maxVersion: "3.9.5", reason: "3.9 mis-timed prompt processing" });
    expect(range.affected).toBe(1);
    expect(range.rule).toMatchObject({ runtime: "node-llama-cpp", commit: null, minVersion: "3.9.0", maxVersion: "3.9.5" });
    let now = (await row())!;
    expect(now.submissions).toBe(3);
    expect(now.runs).toBe(3);
    expect(now.metrics.tg_tps).toBeCloseTo(tgMedian(["a", "b", "v310"]), 9);

    // A commit prefix (the document recorded more digits); upper case is taken as the same commit.
    const commit = await retire({ runtime: "node-llama-cpp", commit: "2222222B", reason: "broken KV cache in this llama.cpp commit" });
    expect(commit.affected).toBe(1);
    expect(commit.rule.commit).toBe("2222222b");
    now = (await row())!;
    expect(now.submissions).toBe(2);
    expect(now.metrics.tg_tps).toBeCloseTo(tgMedian(["a", "b"]), 9);
    expect(now.latestSubmissionId === ids.a || now.latestSubmissionId === ids.b).toBe(true);

    // The retired results stay readable and say which rule retired them and why.
    const v39 = await result(ids.v39!);
    expect(v39.status).toBe("visible");
    expect(v39.retired).toEqual({ ruleId: range.rule.id, reason: "3.9 mis-timed prompt processing" });
    expect(v39.rankings).toBe("none");
    expect((await result(ids.v310!)).retired).toEqual({ ruleId: commit.rule.id, reason: "broken KV cache in this llama.cpp commit" });
    expect((await result(ids.a!)).retired).toBeNull();
    // The result page says so, with the reason.
    const page = await (await call(`/results/${ids.v39}`)).text();
    expect(page).toContain("Runtime build retired: 3.9 mis-timed prompt processing; not counted in the rankings.");
    expect(await (await call(`/results/${ids.a}`)).text()).not.toContain("Runtime build retired");

    const listed = (await (await call("/api/v1/retired-builds")).json()) as { rules: Rule[] };
    expect(listed.rules.map((r) => r.id)).toEqual([range.rule.id, commit.rule.id]);
    const adminListed = (await (await call("/api/v1/admin/retired-builds", { headers: admin })).json()) as { rules: Rule[] };
    expect(adminListed.rules).toEqual(listed.rules);
    expect(await (await call("/api/v1/status")).json()).toEqual({ pending: 0 });

    // A new upload of a retired build is stored, not refused, and does not rank; its answer says why.
    const { id: lateId, body } = await signed(doc("3.9.2", "3333333", 1.5), keys);
    const res = await postJson(body);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      id: lateId,
      ranked: false,
      retired: { ruleId: range.rule.id, reason: "3.9 mis-timed prompt processing" },
    });
    ids.late = lateId;
    tg.set(lateId, (await result(lateId)).runs[0]!.metrics.tg_tps!.value);
    expect((await result(lateId)).retired?.ruleId).toBe(range.rule.id);
    now = (await row())!;
    expect(now.submissions).toBe(2);
    expect(now.metrics.tg_tps).toBeCloseTo(tgMedian(["a", "b"]), 9);

    // A second rule over a result already retired leaves it with the older rule; deleting that one hands it over.
    const overlap = await retire({ runtime: "node-llama-cpp", minVersion: "3.10", maxVersion: "3.10.0", reason: "3.10.0 withdrawn upstream" });
    expect(overlap.affected).toBe(0);
    expect((await result(ids.v310!)).retired?.ruleId).toBe(commit.rule.id);
    expect((await unretire(commit.rule.id)).affected).toBe(1);
    expect((await result(ids.v310!)).retired).toEqual({ ruleId: overlap.rule.id, reason: "3.10.0 withdrawn upstream" });
    expect((await row())!.submissions).toBe(2);

    // Deleting the rules restores their results, the late upload included.
    expect((await unretire(range.rule.id)).affected).toBe(2);
    expect((await unretire(overlap.rule.id)).affected).toBe(1);
    now = (await row())!;
    expect(now.submissions).toBe(5);
    expect(now.runs).toBe(5);
    expect(now.metrics.tg_tps).toBeCloseTo(tgMedian(["a", "b", "v39", "v310", "late"]), 9);
    expect((await result(ids.v39!)).retired).toBeNull();
    expect((await result(ids.late!)).rankings).toBe("current");
    expect(((await (await call("/api/v1/retired-builds")).json()) as { rules: Rule[] }).rules).toEqual([]);

    // Every rule change is in the moderation log.
    const log = (await (await call(`/api/v1/admin/log?target=${range.rule.id}`, { headers: admin })).json()) as {
      entries: { action: string; targetKind: string; affected: number }[];
    };
    expect(log.entries.map((e) => [e.action, e.targetKind, e.affected])).toEqual([
      ["unretire-build", "retired-build", 2],
      ["retire-build", "retired-build", 1],
    ]);
  });

  it("a hidden result stays hidden whatever the rules do, and a restored result of a retired build stays unranked", async () => {
    const id = await ingest(doc("4.0.0", "4444444", 1.8), keys);
    const base = (await row())!;
    expect(await (await adminPost(`submissions/${id}/hide`)).json()).toMatchObject({ affected: 1 });
    expect((await row())!.submissions).toBe(base.submissions - 1);

    const rule = await retire({ runtime: "node-llama-cpp", commit: "4444444", reason: "test build" });
    expect(rule.affected).toBe(1);
    expect((await unretire(rule.rule.id)).affected).toBe(1);
    // Still hidden: the rule going away does not undo the moderator's hide.
    expect((await row())!.submissions).toBe(base.submissions - 1);
    expect((await call(`/api/v1/submissions/${id}`)).status).toBe(404);

    const again = await retire({ runtime: "node-llama-cpp", commit: "4444444", reason: "test build" });
    expect(await (await adminPost(`submissions/${id}/restore`)).json()).toMatchObject({ affected: 1 });
    // Visible again, but its build is retired: readable, not ranked.
    expect((await row())!.submissions).toBe(base.submissions - 1);
    const view = await result(id);
    expect(view.status).toBe("visible");
    expect(view.retired?.ruleId).toBe(again.rule.id);

    await unretire(again.rule.id);
    const back = (await row())!;
    expect(back.submissions).toBe(base.submissions);
    expect(back.metrics.tg_tps).toBeCloseTo(base.metrics.tg_tps!, 9);
    expect(await (await call("/api/v1/status")).json()).toEqual({ pending: 0 });
  });

  it("refuses rules that match everything, mix a commit with a range, or lack a reason; and calls without the admin token", async () => {
    const refused = async (body: unknown, code = "invalid_rule") => {
      const res = await call("/api/v1/admin/retired-builds", { method: "POST", headers: admin, body: JSON.stringify(body) });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as ErrorJson).error.code).toBe(code);
    };
    await refused({ runtime: "node-llama-cpp", reason: "everything" });
    await refused({ runtime: "node-llama-cpp", commit: "0ad4a86", minVersion: "3.0.0", reason: "both" });
    await refused({ runtime: "node-llama-cpp", commit: "0ad4a86" });
    await refused({ runtime: "node-llama-cpp", commit: "0ad4a86", reason: "" });
    await refused({ runtime: "node-llama-cpp", commit: "0ad4a86", reason: "x".repeat(1025) });
    await refused({ runtime: "node-llama-cpp", commit: "0ad4", reason: "too short to name one commit" });
    await refused({ runtime: "node-llama-cpp", commit: "zzzzzzz", reason: "not hex" });
    await refused({ runtime: "node-llama-cpp", minVersion: "latest", reason: "not a version" });
    await refused({ runtime: "node-llama-cpp", minVersion: "3.10.0", maxVersion: "3.9.0", reason: "empty range" });
    await refused({ runtime: "", commit: "0ad4a86", reason: "no runtime" });
    await refused({ runtime: "node-llama-cpp", commit: "0ad4a86", reason: "r", extra: 1 });

    const noToken = { "content-type": "application/json" };
    const body = JSON.stringify({ runtime: "node-llama-cpp", commit: "0ad4a86", reason: "r" });
    expect((await call("/api/v1/admin/retired-builds", { method: "POST", headers: noToken, body })).status).toBe(401);
    expect((await call("/api/v1/admin/retired-builds")).status).toBe(401);
    expect((await call(`/api/v1/admin/retired-builds/${"0".repeat(16)}`, { method: "DELETE" })).status).toBe(401);
    expect((await call(`/api/v1/admin/retired-builds/${"0".repeat(16)}`, { method: "DELETE", headers: admin })).status).toBe(404);
    expect((await call("/api/v1/admin/retired-builds/not-an-id", { method: "DELETE", headers: admin })).status).toBe(400);
    // Nothing was retired by any of these.
    expect(((await (await call("/api/v1/retired-builds")).json()) as { rules: Rule[] }).rules).toEqual([]);
  });
});
