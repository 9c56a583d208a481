/**
 * The uploader against the real Worker (`wrangler dev` on 127.0.0.1, real
 * local D1): `submit` honours the registry's own 429 Retry-After, and
 * `edgebench withdraw` takes a result out with a request signed by its key.
 * The registry runs with low limits for this test only (--var), a 2 s window.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { signDocument } from "@edgebench/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withdrawResult } from "../../../uploader/src/cli/commands/withdraw.js";
import { createIdentity, type Identity } from "../../../uploader/src/identity/index.js";
import { Outbox } from "../../../uploader/src/outbox/index.js";
import { submitPending } from "../../../uploader/src/submit/index.js";
import { buildDocument } from "../../fixtures/documents.js";
import { type LocalRegistry, startLocalRegistry } from "../helpers/local-registry.js";

let registry: LocalRegistry;
let home: string;
let identity: Identity;

beforeAll(async () => {
  registry = await startLocalRegistry({ vars: { RATE_LIMIT_PER_KEY: "2", RATE_LIMIT_PER_ADDRESS: "1000", RATE_LIMIT_WINDOW_SECONDS: "2" } });
  home = await mkdtemp(path.join(os.tmpdir(), "edgebench-hardening-"));
  identity = await createIdentity(home);
});

afterAll(async () => {
  await registry?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

async function queue(seed: number): Promise<string> {
  const { id, submission } = await signDocument(
    buildDocument({ seed, createdAt: new Date(Date.now() - 60_000).toISOString() }),
    identity.privateKey,
    identity.publicKey,
  );
  await new Outbox(home).enqueue(id, submission);
  return id;
}

describe("uploader vs the real registry's limits", () => {
  it("waits exactly what the Worker's 429 Retry-After asks, then delivers everything", async () => {
    const ids = [await queue(1), await queue(2), await queue(3), await queue(4), await queue(5)];
    const waits: number[] = [];
    const log: string[] = [];
    const report = await submitPending(home, {
      server: registry.url,
      // random 0.5: a backoff wait would be a distinctive, non-whole-second figure.
      random: () => 0.5,
      policy: { maxAttempts: 6, timeoutMs: 30_000 },
      sleep: (ms) => {
        waits.push(ms);
        return new Promise((r) => setTimeout(r, ms));
      },
      log: (l) => log.push(l),
    });
    expect(report.sent.map((s) => s.id).sort()).toEqual([...ids].sort());
    expect(report.pending).toEqual([]);
    // 2 per 2-second window: at least one 429, and every wait is the Retry-After (1 or 2 whole seconds).
    expect(waits.length).toBeGreaterThanOrEqual(1);
    for (const w of waits) expect([1000, 2000]).toContain(w);
    expect(log.some((l) => /failed \(429 .*rate_limited|failed \(429/.test(l))).toBe(true);
  });

  it("edgebench withdraw: the signing key takes its result out; another key cannot", async () => {
    const id = await queue(10);
    const sent = await submitPending(home, { server: registry.url, onlyIds: [id], policy: { maxAttempts: 4 } });
    expect(sent.sent.map((s) => s.id)).toEqual([id]);
    expect((await fetch(`${registry.url}/api/v1/submissions/${id}`)).status).toBe(200);

    const otherHome = await mkdtemp(path.join(os.tmpdir(), "edgebench-hardening-other-"));
    try {
      await createIdentity(otherHome);
      const refused = await withdrawResult({ home: otherHome, server: registry.url, id });
      expect(refused.status).toBe(403);
    } finally {
      await rm(otherHome, { recursive: true, force: true });
    }
    const out = await withdrawResult({ home, server: registry.url, id, reason: "measured with the wrong meter" });
    expect(out).toMatchObject({ status: 200, body: { action: "withdraw", id, affected: 1 } });
    expect((await fetch(`${registry.url}/api/v1/submissions/${id}`)).status).toBe(404);
  });
});
