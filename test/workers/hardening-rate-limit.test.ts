/**
 * Rate limits on POST /api/v1/submissions against the real app and real D1,
 * with low limits passed as the Worker's env (the wrangler vars), inside workerd.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import app from "../../workers/index.js";
import { buildDocument, type FixtureKeyPair, fixtureKeyPair, signed } from "../fixtures/documents.js";
import { type ErrorJson, ORIGIN } from "./helpers.js";

// An hour-long window so a minute boundary cannot reset the counts mid-test.
const limited = { ...env, RATE_LIMIT_PER_KEY: "3", RATE_LIMIT_PER_ADDRESS: "5", RATE_LIMIT_WINDOW_SECONDS: "3600" };
let seed = 1;

async function post(keys: FixtureKeyPair, ip: string | null, body?: unknown): Promise<Response> {
  const payload = body ?? (await signed(buildDocument({ seed: seed++ }), keys)).body;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (ip) headers["cf-connecting-ip"] = ip;
  return app.fetch(new Request(`${ORIGIN}/api/v1/submissions`, { method: "POST", headers, body: JSON.stringify(payload) }), limited);
}

const count = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM submissions").first<{ n: number }>())!.n;

describe("submission rate limits", () => {
  it("answers 429 with Retry-After in the error shape once a key or an address is over its limit", async () => {
    const alice = await fixtureKeyPair();
    const bob = await fixtureKeyPair();
    for (let i = 0; i < 3; i++) expect((await post(alice, "198.51.100.7")).status).toBe(201);
    const before = await count();
    const over = await post(alice, "198.51.100.7");
    expect(over.status).toBe(429);
    const retryAfter = Number(over.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    const body = (await over.json()) as ErrorJson;
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.details).toMatchObject({ scope: "key", limit: 3, windowSeconds: 3600, retryAfterSeconds: retryAfter });
    expect(await count()).toBe(before);

    // Another key from the same address: the address bucket (5) has counted 4 so far.
    expect((await post(bob, "198.51.100.7")).status).toBe(201);
    const addr = await post(bob, "198.51.100.7");
    expect(addr.status).toBe(429);
    expect(((await addr.json()) as ErrorJson).error.details).toMatchObject({ scope: "address", limit: 5 });
    // Bob from another address is fine; Alice stays limited from anywhere (her key's bucket).
    expect((await post(bob, "203.0.113.9")).status).toBe(201);
    expect((await post(alice, "203.0.113.9")).status).toBe(429);
  });

  it("requests without CF-Connecting-IP share one fixed bucket", async () => {
    const keys = await Promise.all([1, 2, 3, 4, 5, 6].map(() => fixtureKeyPair()));
    for (const k of keys.slice(0, 5)) expect((await post(k, null)).status).toBe(201);
    const res = await post(keys[5]!, null);
    expect(res.status).toBe(429);
    expect(((await res.json()) as ErrorJson).error.details).toMatchObject({ scope: "address" });
    const row = await env.DB.prepare("SELECT count FROM rate_limits WHERE bucket = 'addr:unknown'").first<{ count: number }>();
    expect(row!.count).toBe(6);
  });

  it("a forged signature does not use up the named key's allowance", async () => {
    const victim = await fixtureKeyPair();
    const { body } = await signed(buildDocument({ seed: 900 }), victim);
    const forged = { ...body, signature: body.signature.slice(0, -2) + (body.signature.endsWith("AA") ? "BB" : "AA") };
    for (let i = 0; i < 5; i++) expect((await post(victim, `192.0.2.${i}`, forged)).status).toBe(401);
    expect((await post(victim, "192.0.2.200")).status).toBe(201);
  });

  it("prunes windows older than the previous one in the same batch", async () => {
    await env.DB.prepare("INSERT INTO rate_limits (window_start, bucket, count) VALUES (3600, 'addr:old', 9)").run();
    expect((await post(await fixtureKeyPair(), "198.51.100.99")).status).toBe(201);
    expect(await env.DB.prepare("SELECT * FROM rate_limits WHERE bucket = 'addr:old'").first()).toBeNull();
  });
});
