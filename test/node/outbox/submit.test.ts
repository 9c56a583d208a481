/**
 * `submit` against a scripted HTTP server on 127.0.0.1: every status the
 * registry can answer, dropped connections, a stalled reply and a closed port.
 * Sleep and random are injected, so the backoff schedule is asserted exactly
 * and nothing actually waits.
 */

import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { signDocument } from "@edgebench/contract";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIdentity, type Identity } from "../../../uploader/src/identity/index.js";
import { Outbox } from "../../../uploader/src/outbox/index.js";
import { deliver, type SubmitOptions, submitPending } from "../../../uploader/src/submit/index.js";
import { freePort } from "../helpers/local-registry.js";
import { sampleDocument } from "./sample-document.js";

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | "drop" | "stall";

interface Scripted {
  url: string;
  /** Bodies received, in order. */
  received: string[];
  /** "METHOD path content-type" of each request. */
  requests: string[];
  close(): Promise<void>;
}

/** Answers POST /api/v1/submissions with the scripted replies in order (the last one repeats). */
async function scriptedServer(replies: Reply[]): Promise<Scripted> {
  const received: string[] = [];
  const requests: string[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push(body);
      requests.push(`${req.method} ${req.url} ${req.headers["content-type"]}`);
      const reply = replies[Math.min(n++, replies.length - 1)]!;
      if (reply === "drop") return req.socket.destroy();
      if (reply === "stall") return; // never answers; the client's timeout must end it
      res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      res.end(JSON.stringify(reply.body ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let home: string;
let identity: Identity;
let servers: Scripted[] = [];
const slept: number[] = [];
const clock = Date.UTC(2026, 10, 21, 6, 0, 0);

function opts(server: string, extra: Partial<SubmitOptions> = {}): SubmitOptions {
  return {
    server,
    sleep: async (ms) => {
      slept.push(ms);
    },
    now: () => clock,
    random: () => 0.5,
    policy: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 8000, timeoutMs: 2000, maxRetryAfterMs: 60_000 },
    ...extra,
  };
}

async function queue(seq: number): Promise<string> {
  const { id, submission } = await signDocument(sampleDocument(seq), identity.privateKey, identity.publicKey);
  await new Outbox(home).enqueue(id, submission);
  return id;
}

async function serve(replies: Reply[]): Promise<Scripted> {
  const s = await scriptedServer(replies);
  servers.push(s);
  return s;
}

beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "edgebench-submit-"));
  identity = await createIdentity(home);
  slept.length = 0;
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  await rm(home, { recursive: true, force: true });
});

describe("submit", () => {
  it("201 moves the file to sent/ with a receipt holding the server's URL; a resend answered 200 is also final", async () => {
    const id = await queue(1);
    const s = await serve([{ status: 201, body: { id, url: `/results/${id}` } }]);
    const report = await submitPending(home, opts(s.url));
    expect(report.sent).toEqual([expect.objectContaining({ id, status: 201, url: `${s.url}/results/${id}`, server: s.url })]);
    expect(report.pending).toEqual([]);
    const outbox = new Outbox(home);
    expect(await readdir(outbox.dir)).toEqual(["sent"]);
    expect((await readdir(outbox.sentDir)).sort()).toEqual([`${id}.json`, `${id}.receipt.json`, "log.jsonl"].sort());
    expect(s.requests).toEqual(["POST /api/v1/submissions application/json"]);
    const sentBody = JSON.parse(s.received[0]!);
    expect(sentBody).toEqual(JSON.parse(await readFile(path.join(outbox.sentDir, `${id}.json`), "utf8")));
    expect(Object.keys(sentBody).sort()).toEqual(["document", "publicKey", "signature"]);

    // The same result queued again (e.g. a crash after the reply): 200 with the same id.
    await queue(1);
    const s2 = await serve([{ status: 200, body: { id, url: `/results/${id}` } }]);
    const again = await submitPending(home, opts(s2.url));
    expect(again.sent.map((r) => r.status)).toEqual([200]);
    const log = (await readFile(path.join(outbox.sentDir, "log.jsonl"), "utf8")).trim().split("\n");
    expect(log).toHaveLength(2);
    expect(slept).toEqual([]);
  });

  it.each([400, 401, 413, 422])("%i is final: moved to rejected/ with the server's reason beside it", async (status) => {
    const id = await queue(2);
    const error = { error: { code: "invalid_document", message: `refused with ${status}`, details: [{ path: "runs" }] } };
    const s = await serve([{ status, body: error }]);
    const report = await submitPending(home, opts(s.url));
    expect(s.received).toHaveLength(1);
    expect(report.rejected).toEqual([expect.objectContaining({ id, status, error })]);
    const outbox = new Outbox(home);
    const saved = JSON.parse(await readFile(path.join(outbox.rejectedDir, `${id}.error.json`), "utf8"));
    expect(saved).toMatchObject({ id, status, error, server: s.url });
    expect(await readdir(outbox.rejectedDir)).toContain(`${id}.json`);
    expect((await outbox.list()).pending).toEqual([]);
    expect(slept).toEqual([]);
  });

  it("says why a stored result does not rank: held for review, or a retired runtime build", async () => {
    const id = await queue(1);
    const s = await serve([
      {
        status: 201,
        body: {
          id,
          url: `/results/${id}`,
          status: "flagged",
          reasons: [{ code: "above_roofline", message: "tg128 above the memory-bandwidth roofline", path: ["runs", 0] }],
          ranked: false,
          retired: {
            ruleId: "r1",
            reason: "slow build",
            message: "stored, but results of this runtime build are retired from the rankings: slow build",
          },
        },
      },
    ]);
    const lines: string[] = [];
    const report = await submitPending(home, opts(s.url, { log: (l) => lines.push(l) }));
    expect(report.sent.map((r) => r.id)).toEqual([id]);
    expect(lines).toContain(
      "  note: held for review, not ranked until a moderator looks: tg128 above the memory-bandwidth roofline; stored, but results of this runtime build are retired from the rankings: slow build",
    );
  });

  it("429 honours Retry-After (seconds and HTTP date), then delivers", async () => {
    const id = await queue(3);
    const s = await serve([
      { status: 429, headers: { "retry-after": "7" }, body: { error: { code: "rate_limited", message: "slow down" } } },
      { status: 429, headers: { "retry-after": new Date(clock + 3000).toUTCString() } },
      { status: 201, body: { id, url: `/results/${id}` } },
    ]);
    const report = await submitPending(home, opts(s.url));
    expect(slept).toEqual([7000, 3000]);
    expect(report.waits).toEqual([7000, 3000]);
    expect(report.sent.map((r) => r.id)).toEqual([id]);
  });

  it("429 asking for longer than the bound leaves the result queued without waiting", async () => {
    const id = await queue(4);
    const s = await serve([{ status: 429, headers: { "retry-after": "3600" } }]);
    const report = await submitPending(home, opts(s.url));
    expect(s.received).toHaveLength(1);
    expect(slept).toEqual([]);
    expect(report.pending).toEqual([expect.objectContaining({ id, lastError: expect.stringMatching(/wait 3600 s/) })]);
  });

  it("5xx retries on the exponential schedule and stays pending after the last attempt", async () => {
    const id = await queue(5);
    const s = await serve([{ status: 500, body: { error: { code: "internal", message: "boom" } } }]);
    const report = await submitPending(home, opts(s.url));
    expect(s.received).toHaveLength(4);
    // random 0.5: three quarters of 1 s, 2 s, 4 s.
    expect(slept).toEqual([750, 1500, 3000]);
    expect(report.pending).toEqual([{ id, attempts: 4, lastError: "500 internal: boom" }]);
    expect((await new Outbox(home).list()).pending.map((p) => p.id)).toEqual([id]);
  });

  it("503 then 201 delivers on the second attempt", async () => {
    const id = await queue(6);
    const s = await serve([{ status: 503 }, { status: 201, body: { id, url: `/results/${id}` } }]);
    const report = await submitPending(home, opts(s.url));
    expect(slept).toEqual([750]);
    expect(report.sent.map((r) => r.id)).toEqual([id]);
  });

  it("dropped connections are retried; when they never stop, the rest of the outbox is not hammered", async () => {
    const a = await queue(7);
    const b = await queue(8);
    const s = await serve(["drop"]);
    const report = await submitPending(home, opts(s.url));
    expect(s.received).toHaveLength(4); // only the first item's attempts
    expect(report.pending.map((p) => p.id).sort()).toEqual([a, b].sort());
    expect(report.pending.find((p) => p.attempts === 0)?.lastError).toMatch(/cannot reach/);
    expect((await new Outbox(home).list()).pending).toHaveLength(2);
  });

  it("a dropped connection then success delivers", async () => {
    const id = await queue(9);
    const s = await serve(["drop", { status: 201, body: { id } }]);
    const report = await submitPending(home, opts(s.url));
    expect(report.sent.map((r) => r.id)).toEqual([id]);
    expect(report.sent[0]!.url).toBeUndefined();
  });

  it("a stalled reply times out per attempt (AbortController) and the result stays queued", async () => {
    const id = await queue(10);
    const s = await serve(["stall"]);
    const t0 = performance.now();
    const report = await submitPending(
      home,
      opts(s.url, { policy: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10, timeoutMs: 300, maxRetryAfterMs: 1000 } }),
    );
    const elapsed = performance.now() - t0;
    expect(s.received).toHaveLength(2);
    expect(report.pending).toEqual([expect.objectContaining({ id, attempts: 2, lastError: expect.stringMatching(/no answer within 300 ms/) })]);
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(elapsed).toBeLessThan(10_000);
  });

  it("registry down: queued; registry up on the same port: delivered", async () => {
    const id = await queue(11);
    const port = await freePort();
    const down = await submitPending(home, opts(`http://127.0.0.1:${port}`));
    expect(down.pending).toEqual([
      expect.objectContaining({ id, lastError: expect.stringMatching(/^cannot reach 127\.0\.0\.1:\d+ \(connection refused\)$/) }),
    ]);
    expect(slept).toEqual([750, 1500, 3000]);

    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(201, { "content-type": "application/json" });
        res.end(JSON.stringify({ id, url: `/results/${id}` }));
      });
    });
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
    try {
      const up = await submitPending(home, opts(`http://127.0.0.1:${port}`));
      expect(up.sent.map((r) => r.id)).toEqual([id]);
      expect((await new Outbox(home).list()).pending).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it("sends every queued result and reports a corrupt file without stopping", async () => {
    const a = await queue(12);
    const b = await queue(13);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path.join(new Outbox(home).dir, `${"c".repeat(64)}.json`), "{truncated");
    const s = await serve([{ status: 201, body: {} }]);
    const report = await submitPending(home, opts(s.url));
    expect(report.corrupt.map((c) => c.name)).toEqual([`${"c".repeat(64)}.json`]);
    expect(report.sent.map((r) => r.id).sort()).toEqual([a, b].sort());
    expect(s.received).toHaveLength(2);
  });

  it("deliver (what run calls) creates a key on first use, queues, then sends everything pending", async () => {
    const older = await queue(14);
    const fresh = path.join(home, "fresh");
    const s = await serve([{ status: 201, body: { url: "/api/v1/submissions/x" } }]);
    const first = await deliver(sampleDocument(15), { home: fresh, mode: "send", ...opts(s.url) });
    expect(first).toMatchObject({ status: "sent", keyCreated: true, url: `${s.url}/api/v1/submissions/x` });
    // In the main home an older queued result goes out together with the new one.
    const second = await deliver(sampleDocument(16), { home, mode: "send", ...opts(s.url) });
    expect(second.keyCreated).toBe(false);
    expect(second.report!.sent.map((r) => r.id).sort()).toEqual([older, second.id].sort());
    expect(s.received).toHaveLength(3);
  });
});
