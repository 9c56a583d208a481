/**
 * The versioned read cache (workers/cache) over the real app and D1: cached
 * reads change right after an ingest and after moderation, writes and admin
 * reads are never cached, errors are not cached, the LRU stays bounded, and
 * ETag / If-None-Match gives 304.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Lru } from "../../workers/cache/lru.js";
import { BYPASS_HEADER, CLIENT_CACHE_CONTROL, readCacheStats } from "../../workers/cache/read-cache.js";
import { VERSION_TTL_MS } from "../../workers/cache/version.js";
import type { RankedPage as LeaderboardPage } from "../../workers/ranking/rank.js";
import { buildDocument, fixtureKeyPair } from "../fixtures/documents.js";
import { call, ingest, postJson } from "./helpers.js";

const auth = { authorization: `Bearer ${env.ADMIN_TOKEN!}`, "content-type": "application/json" };
const adminPost = (path: string, reason: string) => call(`/api/v1/admin${path}`, { method: "POST", headers: auth, body: JSON.stringify({ reason }) });

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await call(path, { headers });
  return { res, text: await res.text(), cache: res.headers.get("x-cache") };
}
async function board(id: string) {
  const r = await get(`/api/v1/leaderboard?board=${id}`);
  return { ...r, page: JSON.parse(r.text) as LeaderboardPage };
}

describe("read cache", () => {
  it("serves a repeated read from the cache and shows an ingest on the very next read", async () => {
    const keys = await fixtureKeyPair();
    await ingest(buildDocument({ board: "nuc", speed: 1 }), keys);
    const first = await board("intel-nuc-4x4");
    expect(first.cache).toBe("MISS");
    expect(first.page.rows[0]!.submissions).toBe(1);
    const again = await board("intel-nuc-4x4");
    expect(again.cache).toBe("HIT");
    expect(again.text).toBe(first.text);
    expect(again.res.headers.get("cache-control")).toBe(CLIENT_CACHE_CONTROL);
    const home = await get("/");
    expect((await get("/")).cache).toBe("HIT");

    await ingest(buildDocument({ board: "nuc", speed: 3 }), await fixtureKeyPair());
    const after = await board("intel-nuc-4x4");
    expect(after.cache).toBe("MISS");
    expect(after.page.rows[0]!.submissions).toBe(2);
    expect(after.page.rows[0]!.contributors).toBe(2);
    const homeAfter = await get("/");
    expect(homeAfter.cache).toBe("MISS");
    expect(homeAfter.text).not.toBe(home.text);
  });

  it("shows a moderator's hide and restore on the very next read (rankings, API and result page)", async () => {
    const good = await ingest(buildDocument({ board: "rock5b", seed: 1 }), await fixtureKeyPair());
    const bad = await ingest(buildDocument({ board: "rock5b", seed: 2, speed: 4 }), await fixtureKeyPair());
    await board("radxa-rock-5b");
    const cached = await board("radxa-rock-5b");
    expect(cached.cache).toBe("HIT");
    expect(cached.page.rows[0]!.submissions).toBe(2);
    expect((await get(`/api/v1/submissions/${bad}`)).res.status).toBe(200);
    expect((await get(`/api/v1/submissions/${bad}`)).cache).toBe("HIT");
    const resultPage = await get(`/results/${bad}`);
    expect((await get(`/results/${bad}`)).cache).toBe("HIT");

    expect((await adminPost(`/submissions/${bad}/hide`, "fabricated")).status).toBe(200);
    const hidden = await board("radxa-rock-5b");
    expect(hidden.page.rows[0]!.submissions).toBe(1);
    expect(hidden.page.rows[0]!.latestSubmissionId).toBe(good);
    expect((await get(`/api/v1/submissions/${bad}`)).res.status).toBe(404);
    expect((await get(`/results/${bad}`)).text).not.toBe(resultPage.text);

    expect((await adminPost(`/submissions/${bad}/restore`, "appeal accepted")).status).toBe(200);
    expect((await board("radxa-rock-5b")).page.rows[0]!.submissions).toBe(2);
    expect((await get(`/api/v1/submissions/${bad}`)).res.status).toBe(200);
  });

  it("a duplicate upload changes nothing readers see, so it leaves the version and the cached reads alone", async () => {
    const version = async () => (await env.DB.prepare("SELECT version FROM registry_version WHERE id = 1").first<{ version: number }>())!.version;
    const { signed } = await import("../fixtures/documents.js");
    const { body } = await signed(buildDocument({ board: "orin-nano", seed: 21 }), await fixtureKeyPair());
    const v0 = await version();
    expect((await postJson(body)).status).toBe(201);
    // The upload's batch and the aggregation step after it each bump the version: both change what readers see.
    const v1 = await version();
    expect(v1).toBeGreaterThan(v0);
    await board("jetson-orin-nano-devkit");
    expect((await postJson(body)).status).toBe(200);
    expect(await version()).toBe(v1);
    expect((await board("jetson-orin-nano-devkit")).cache).toBe("HIT");
  });

  it("sees a write made through another isolate within the version's hold time", async () => {
    await ingest(buildDocument({ board: "rpi5", seed: 7 }), await fixtureKeyPair());
    await board("raspberry-pi-5");
    // Another isolate's ingest: the rows and the version change in D1, not this isolate's copy.
    await env.DB.batch([
      env.DB.prepare("UPDATE configurations SET submission_count = submission_count + 41 WHERE board_id = 'raspberry-pi-5'"),
      env.DB.prepare("UPDATE registry_version SET version = version + 1, salt = lower(hex(randomblob(8))) WHERE id = 1"),
    ]);
    await new Promise((r) => setTimeout(r, VERSION_TTL_MS + 50));
    const later = await board("raspberry-pi-5");
    expect(later.cache).toBe("MISS");
    expect(later.page.rows[0]!.submissions).toBe(42);
  });

  it("never caches writes, admin reads, errors, or a request without a version row", async () => {
    const { body } = await (await import("../fixtures/documents.js")).signed(buildDocument({ board: "nuc", seed: 99 }), await fixtureKeyPair());
    const created = await postJson(body);
    expect(created.status).toBe(201);
    expect(created.headers.get("x-cache")).toBeNull();
    const duplicate = await postJson(body);
    expect(duplicate.status).toBe(200);
    expect(duplicate.headers.get("x-cache")).toBeNull();

    const log1 = await call("/api/v1/admin/log?limit=1", { headers: auth });
    expect(log1.headers.get("x-cache")).toBeNull();
    const before = ((await log1.json()) as { entries: { id: number }[] }).entries[0]?.id ?? 0;
    await adminPost(`/submissions/${created.headers.get("location")!.split("/").pop()}/hide`, "test");
    const log2 = await call("/api/v1/admin/log?limit=1", { headers: auth });
    expect(log2.headers.get("x-cache")).toBeNull();
    expect(((await log2.json()) as { entries: { id: number }[] }).entries[0]!.id).toBeGreaterThan(before);
    expect((await call("/api/v1/admin/log")).status).toBe(401);

    for (const path of ["/api/v1/leaderboard?sort=nonsense", `/results/${"0".repeat(64)}`, "/boards/no-such-board"]) {
      const r1 = await get(path);
      expect(r1.res.status).toBeGreaterThanOrEqual(400);
      expect(r1.cache).toBeNull();
      expect((await get(path)).cache).toBeNull();
    }
    // The bypass header does nothing unless the Worker was started with CACHE_BYPASS_TOKEN (bench only).
    await get("/api/v1/leaderboard");
    expect((await get("/api/v1/leaderboard", { [BYPASS_HEADER]: "anything" })).cache).toBe("HIT");

    // Without the version row nothing could invalidate an entry, so nothing is cached.
    const row = await env.DB.prepare("SELECT version, salt FROM registry_version WHERE id = 1").first<{ version: number; salt: string }>();
    await env.DB.prepare("DELETE FROM registry_version").run();
    await new Promise((r) => setTimeout(r, VERSION_TTL_MS + 50));
    expect((await get("/api/v1/leaderboard?limit=3")).cache).toBeNull();
    expect((await get("/api/v1/leaderboard?limit=3")).cache).toBeNull();
    await env.DB.prepare("INSERT INTO registry_version (id, version, salt) VALUES (1, ?1, ?2)")
      .bind(row!.version + 1, "restored")
      .run();
  });

  it("keys CSV and JSON apart (Accept), and answers If-None-Match with 304", async () => {
    await ingest(buildDocument({ board: "orin-nano", seed: 3 }), await fixtureKeyPair());
    const csv = await get("/api/v1/leaderboard", { accept: "text/csv" });
    expect(csv.res.headers.get("content-type")).toContain("text/csv");
    expect(csv.res.headers.get("vary")).toBe("Accept, Accept-Encoding");
    const json = await get("/api/v1/leaderboard", { accept: "application/json" });
    expect(json.res.headers.get("content-type")).toContain("application/json");
    expect((await get("/api/v1/leaderboard", { accept: "text/csv" })).text).toBe(csv.text);

    const etag = json.res.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
    const notModified = await call("/api/v1/leaderboard", { headers: { "if-none-match": `W/${etag}` } });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe("");
    expect(notModified.headers.get("etag")).toBe(etag);
    expect((await call("/api/v1/leaderboard", { headers: { "if-none-match": '"other"' } })).status).toBe(200);

    // Stored gzip-compressed: sent as stored to a client that accepts gzip, decompressed for any other.
    const gz = await call("/api/v1/leaderboard", { headers: { accept: "application/json", "accept-encoding": "br, gzip;q=0.8" } });
    expect(gz.headers.get("x-cache")).toBe("HIT");
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    // The runtime's fetch decodes a gzip body for its caller, as a browser does: valid gzip of the same bytes.
    expect(await gz.text()).toBe(json.text);
    const refused = await call("/api/v1/leaderboard", { headers: { accept: "application/json", "accept-encoding": "gzip;q=0" } });
    expect(refused.headers.get("content-encoding")).toBeNull();
    expect(await refused.text()).toBe(json.text);

    await ingest(buildDocument({ board: "orin-nano", seed: 4, speed: 2 }), await fixtureKeyPair());
    const changed = await call("/api/v1/leaderboard", { headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("keeps the isolate's cache within its entry and byte limits", async () => {
    const before = readCacheStats();
    for (let i = 0; i < 25; i++) await get(`/api/v1/leaderboard?limit=2&offset=${i}`);
    const after = readCacheStats();
    expect(after.entries).toBeGreaterThanOrEqual(Math.min(before.entries + 25, after.limits.maxEntries));
    expect(after.entries).toBeLessThanOrEqual(after.limits.maxEntries);
    expect(after.bytes).toBeLessThanOrEqual(after.limits.maxBytes);

    const lru = new Lru<string>({ maxEntries: 3, maxBytes: 100 });
    lru.set("a", "a", 10);
    lru.set("b", "b", 10);
    lru.set("c", "c", 10);
    expect(lru.get("a")).toBe("a"); // a is now the most recent
    lru.set("d", "d", 10);
    expect(lru.get("b")).toBeUndefined(); // the least recently used went
    expect([lru.size, lru.bytes]).toEqual([3, 30]);
    lru.set("e", "e", 24);
    lru.set("f", "f", 25);
    lru.set("g", "g", 25);
    expect(lru.bytes).toBeLessThanOrEqual(100);
    expect(lru.size).toBeLessThanOrEqual(3);
    expect(lru.set("huge", "h", 26)).toBe(false); // over a quarter of the byte budget: not kept
    expect(lru.get("huge")).toBeUndefined();
    for (let i = 0; i < 1000; i++) lru.set(`k${i}`, "v", 1 + (i % 20));
    expect(lru.size).toBeLessThanOrEqual(3);
    expect(lru.bytes).toBeLessThanOrEqual(100);
  });
});
