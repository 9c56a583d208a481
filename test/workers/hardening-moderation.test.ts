/**
 * Moderation over the real app and D1: admin hide/restore, key revoke/restore,
 * the log, flagged results, and a contributor's signed withdrawal.
 */
import { env } from "cloudflare:workers";
import { signRequest, type WithdrawRequest } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import type { RankedPage as LeaderboardPage } from "../../workers/ranking/rank.js";
import { buildDocument, type FixtureKeyPair, fixtureKeyPair } from "../fixtures/documents.js";
import { call, type ErrorJson, ingest, submit } from "./helpers.js";

const TOKEN = env.ADMIN_TOKEN!;
const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
const adminPost = (path: string, body: unknown, headers: Record<string, string> = auth) =>
  call(`/api/v1/admin${path}`, { method: "POST", headers, body: JSON.stringify(body) });
const board = async (id: string) => ((await (await call(`/api/v1/leaderboard?board=${id}`)).json()) as LeaderboardPage).rows;

async function withdrawBody(id: string, keys: FixtureKeyPair, over: Partial<WithdrawRequest["withdraw"]> = {}) {
  const withdraw = { action: "withdraw" as const, id, at: new Date().toISOString(), nonce: crypto.randomUUID().replaceAll("-", ""), ...over };
  return { withdraw, signature: await signRequest(withdraw, keys.privateKey), publicKey: keys.publicKeyB64 };
}
const withdraw = (id: string, body: unknown) =>
  call(`/api/v1/submissions/${id}/withdraw`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("admin moderation", () => {
  it("refuses calls without the right token (401), or without a reason (400)", async () => {
    const id = await ingest(buildDocument({ board: "nuc", seed: 1 }), await fixtureKeyPair());
    expect((await adminPost(`/submissions/${id}/hide`, { reason: "x" }, { "content-type": "application/json" })).status).toBe(401);
    expect((await adminPost(`/submissions/${id}/hide`, { reason: "x" }, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await adminPost(`/submissions/${id}/hide`, { reason: "x" }, { authorization: TOKEN })).status).toBe(401);
    expect((await call("/api/v1/admin/log")).status).toBe(401);
    expect(((await (await adminPost(`/submissions/${id}/hide`, {})).json()) as ErrorJson).error.code).toBe("reason_required");
    expect((await adminPost(`/submissions/${id}/hide`, { reason: "   " })).status).toBe(400);
    expect((await adminPost(`/submissions/${"0".repeat(64)}/hide`, { reason: "x" })).status).toBe(404);
    expect((await adminPost(`/submissions/nothex/hide`, { reason: "x" })).status).toBe(400);
    expect((await board("intel-nuc-4x4"))[0]!.submissions).toBe(1);
  });

  it("hides and restores a result, revokes and restores a key, and logs every action", async () => {
    const mallory = await fixtureKeyPair();
    const honest = await fixtureKeyPair();
    const good = await ingest(buildDocument({ board: "rock5b", seed: 1 }), honest);
    const bad = [
      await ingest(buildDocument({ board: "rock5b", seed: 2 }), mallory),
      await ingest(buildDocument({ board: "rock5b", seed: 3 }), mallory),
    ];
    expect((await board("radxa-rock-5b"))[0]!.submissions).toBe(3);

    expect((await adminPost(`/submissions/${good}/hide`, { reason: "duplicate of an earlier run" })).status).toBe(200);
    expect((await board("radxa-rock-5b"))[0]!.submissions).toBe(2);
    expect((await call(`/api/v1/submissions/${good}`)).status).toBe(404);
    expect((await adminPost(`/submissions/${good}/restore`, { reason: "checked with the contributor" })).status).toBe(200);
    expect((await board("radxa-rock-5b"))[0]!.submissions).toBe(3);

    // Hide one of Mallory's separately first: restoring her key must not bring it back.
    await adminPost(`/submissions/${bad[1]}/hide`, { reason: "copied figures" });
    const revoke = await adminPost(`/keys/${mallory.publicKeyB64}/revoke`, { reason: "fabricated results" });
    expect(await revoke.json()).toMatchObject({ action: "revoke-key", affected: 1 });
    const rows = await board("radxa-rock-5b");
    expect(rows[0]!.submissions).toBe(1);
    expect(rows[0]!.contributors).toBe(1);
    // Her new uploads are refused while revoked.
    const refused = await submit(buildDocument({ board: "rock5b", seed: 4 }), mallory);
    expect(refused.res.status).toBe(403);
    expect(((await refused.res.json()) as ErrorJson).error.code).toBe("key_revoked");

    const restore = await adminPost(`/keys/${mallory.publicKeyB64}/restore`, { reason: "appeal accepted" });
    expect(await restore.json()).toMatchObject({ action: "restore-key", affected: 1 });
    expect((await board("radxa-rock-5b"))[0]!.submissions).toBe(2);
    expect((await submit(buildDocument({ board: "rock5b", seed: 5 }), mallory)).res.status).toBe(201);
    expect((await adminPost(`/keys/short/revoke`, { reason: "x" })).status).toBe(400);

    const log = (await (await call("/api/v1/admin/log?limit=3", { headers: auth })).json()) as {
      entries: { action: string; target: string; reason: string; actor: string; at: string; affected: number }[];
      next: string | null;
    };
    expect(log.entries.map((e) => e.action)).toEqual(["restore-key", "revoke-key", "hide"]);
    expect(log.entries[0]).toMatchObject({ target: mallory.publicKeyB64, reason: "appeal accepted", actor: "admin", affected: 1 });
    expect(Date.parse(log.entries[0]!.at)).toBeGreaterThan(Date.now() - 60_000);
    const older = (await (await call(`/api/v1/admin/log?before=${log.next}`, { headers: auth })).json()) as typeof log;
    expect(older.entries.map((e) => e.action)).toEqual(["restore", "hide"]);
    expect((await call("/api/v1/admin/log?limit=abc", { headers: auth })).status).toBe(400);
  });

  it("stores an implausible result flagged, shows the reason, keeps it out of rankings until restored", async () => {
    const keys = await fixtureKeyPair();
    const { res, id } = await submit(buildDocument({ board: "rpi5", speed: 4, seed: 7 }), keys);
    expect(res.status).toBe(201);
    const created = (await res.json()) as { status: string; reasons: { rule: string }[] };
    expect(created.status).toBe("flagged");
    expect(created.reasons.map((r) => r.rule)).toContain("above_bandwidth_roofline");
    const stored = (await (await call(`/api/v1/submissions/${id}`)).json()) as { status: string; statusReason: string };
    expect(stored.status).toBe("flagged");
    expect(stored.statusReason).toMatch(/^flagged for review: .*memory bandwidth/);
    expect(await board("raspberry-pi-5")).toEqual([]);
    const page = await (await call(`/results/${id}`)).text();
    expect(page).toContain("Status: flagged");
    expect(page).toContain("GB/s memory bandwidth");

    await adminPost(`/submissions/${id}/restore`, { reason: "overclocked LPDDR5 board verified" });
    expect((await board("raspberry-pi-5"))[0]!.submissions).toBe(1);
  });

  it("refuses impossible figures with 400 and the reasons, storing nothing", async () => {
    const before = (await env.DB.prepare("SELECT COUNT(*) AS n FROM submissions").first<{ n: number }>())!.n;
    const { res } = await submit(buildDocument({ createdAt: "2020-01-01T00:00:00Z" }), await fixtureKeyPair());
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe("implausible_document");
    expect(body.error.details).toMatchObject([{ rule: "created_before_suite", path: ["createdAt"] }]);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM submissions").first<{ n: number }>())!.n).toBe(before);
  });
});

describe("contributor withdrawal", () => {
  it("only the signing key withdraws, within 10 minutes, once per nonce", async () => {
    const owner = await fixtureKeyPair();
    const other = await fixtureKeyPair();
    const id = await ingest(buildDocument({ board: "orin-nano", seed: 11 }), owner);
    const keep = await ingest(buildDocument({ board: "orin-nano", seed: 12 }), owner);

    const otherKey = await withdraw(id, await withdrawBody(id, other));
    expect(otherKey.status).toBe(403);
    expect(((await otherKey.json()) as ErrorJson).error.code).toBe("not_your_submission");

    const stale = await withdraw(id, await withdrawBody(id, owner, { at: new Date(Date.now() - 11 * 60_000).toISOString() }));
    expect(((await stale.json()) as ErrorJson).error.code).toBe("stale_request");
    const future = await withdraw(id, await withdrawBody(id, owner, { at: new Date(Date.now() + 11 * 60_000).toISOString() }));
    expect(future.status).toBe(400);

    const forged = await withdrawBody(id, owner);
    const tampered = { ...forged, withdraw: { ...forged.withdraw, id: keep } };
    expect((await withdraw(keep, tampered)).status).toBe(401);
    expect((await withdraw(keep, forged)).status).toBe(400); // path id differs from the signed id
    expect((await withdraw(id, { ...forged, publicKey: "A".repeat(42) })).status).toBe(400);

    const body = await withdrawBody(id, owner, { reason: "wrong power meter attached" });
    const ok = await withdraw(id, body);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ action: "withdraw", id, affected: 1 });
    expect((await call(`/api/v1/submissions/${id}`)).status).toBe(404);
    expect((await board("jetson-orin-nano-devkit"))[0]!.submissions).toBe(1);
    const replay = await withdraw(id, body);
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as ErrorJson).error.code).toBe("replayed_request");

    const log = (await (await call("/api/v1/admin/log?limit=1", { headers: auth })).json()) as {
      entries: { action: string; actor: string; reason: string }[];
    };
    expect(log.entries[0]).toMatchObject({ action: "withdraw", reason: "wrong power meter attached" });
    expect(log.entries[0]!.actor).toMatch(/^key:[0-9a-f]{4}(:[0-9a-f]{4}){3}$/);
  });
});
