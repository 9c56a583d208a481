/**
 * The main job end to end, on loopback only: the real CLI (bundled) runs the
 * suite on the tiny generated model, signs, queues and submits to the real
 * Worker under `wrangler dev` with a real local D1; the result is read back
 * through the API and its signature checked twice, by the contract and by
 * node:crypto over independently canonicalised bytes. Then the faults: the
 * registry down, SIGKILL at each stage, a rejection, a corrupt outbox file.
 */
import { createHash, createPublicKey, verify } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type ResultDocument, type SignedSubmission, signDocument, verifySubmission } from "@edgebench/contract";
import canonicalize from "canonicalize";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureUploaderBuilt } from "../../../scripts/lib/uploader-cli.mjs";
import { loadIdentity } from "../../../uploader/src/identity/index.js";
import { Outbox } from "../../../uploader/src/outbox/index.js";
import { freePort, type LocalRegistry, runWrangler, startLocalRegistry } from "../helpers/local-registry.js";
import { cli, spawnCli } from "./cli-process.js";
import { startSlowProxy } from "./slow-proxy.js";

let registry: LocalRegistry;
let work: string;
let model: string;
let homeSeq = 0;

/** Stored submissions, counted in the registry's own D1 (not through the code under test). */
async function storedCount(): Promise<number> {
  const out = await runWrangler([
    "d1",
    "execute",
    "DB",
    "--local",
    "--persist-to",
    registry.persistDir,
    "--json",
    "--command",
    "SELECT count(*) AS n FROM submissions",
  ]);
  const parsed = JSON.parse(out.slice(out.indexOf("["))) as { results: { n: number }[] }[];
  return parsed[0]!.results[0]!.n;
}

function freshHome(): { home: string; env: NodeJS.ProcessEnv } {
  const home = path.join(work, `home-${++homeSeq}`);
  return { home, env: { EDGEBENCH_HOME: home, EDGEBENCH_SERVER: "" } };
}

/**
 * Quick suite settings: 2 repetitions, no idle baseline, one thread (two
 * shared cores: more threads than free cores makes llama.cpp crawl), no
 * perplexity pass. Every test of the suite still runs for real. The model is
 * one edgebench generated, so it is sent only with --submit-synthetic.
 */
const RUN = () => ["run", "--model", model, "--reps", "2", "--idle-seconds", "0", "--threads", "1", "--no-perplexity", "--submit-synthetic"];

/** Everything under outbox/ that is neither a finished file nor in a known state dir. */
async function strayFiles(home: string): Promise<string[]> {
  const dir = new Outbox(home).dir;
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.startsWith(".") || (n.endsWith(".json") && !/^[0-9a-f]{64}\.json$/.test(n)));
}

async function pendingIds(home: string): Promise<string[]> {
  const { items, corrupt } = await new Outbox(home).readPending();
  expect(corrupt).toEqual([]);
  return items.map((i) => i.id);
}

async function apiGet(id: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${registry.url}/api/v1/submissions/${id}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "edgebench-e2e-"));
  await ensureUploaderBuilt();
  registry = await startLocalRegistry();
  model = path.join(work, "tiny.gguf");
  const made = await cli(["synth-model", "--preset", "tiny", "--out", model], { EDGEBENCH_HOME: path.join(work, "synth-home") });
  expect(made.code, made.output).toBe(0);
});

afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("main job against wrangler dev on 127.0.0.1", () => {
  let firstDocument: ResultDocument;
  let firstHome: string;

  it("run submits; the stored result reads back and its signature verifies independently", async () => {
    const { home, env } = freshHome();
    firstHome = home;
    const before = await storedCount();
    const run = await cli([...RUN(), "--server", registry.url], env);
    expect(run.code, run.output).toBe(0);

    const outbox = new Outbox(home);
    const receipts = (await outbox.list()).sent;
    expect(receipts).toHaveLength(1);
    const { id, url } = receipts[0]!;
    expect(url).toBe(`${registry.url}/api/v1/submissions/${id}`);
    expect(await pendingIds(home)).toEqual([]);
    expect(await storedCount()).toBe(before + 1);

    const got = await apiGet(id);
    expect(got.status).toBe(200);
    const { document, signature, publicKey } = got.body as unknown as SignedSubmission<ResultDocument>;
    firstDocument = document;
    // It is the key in this home that signed it.
    expect(publicKey).toBe((await loadIdentity(home)).publicKey);
    // 1: the contract's verifier.
    expect(await verifySubmission({ document, signature, publicKey })).toBe(true);
    // 2: node:crypto over canonical bytes from the canonicalize package directly.
    const canonical = Buffer.from((canonicalize as unknown as (v: unknown) => string)(document), "utf8");
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: publicKey }, format: "jwk" });
    expect(verify(null, canonical, key, Buffer.from(signature, "base64url"))).toBe(true);
    expect(createHash("sha256").update(canonical).digest("hex")).toBe(id);
    // A flipped byte must fail both.
    const tampered = { ...document, createdAt: new Date(Date.parse(document.createdAt) + 1).toISOString() };
    expect(await verifySubmission({ document: tampered, signature, publicKey })).toBe(false);
    expect(verify(null, Buffer.from((canonicalize as unknown as (v: unknown) => string)(tampered)), key, Buffer.from(signature, "base64url"))).toBe(
      false,
    );

    // What came back is what was queued and sent, byte for byte after canonicalisation.
    const sentFile = JSON.parse(await readFile(path.join(outbox.sentDir, `${id}.json`), "utf8")) as SignedSubmission;
    expect(sentFile).toEqual({ document, signature, publicKey });
    // Real measurements of the tiny model: every test ran with 2 samples (the sustained test is one timed span); no meter here means no energy figure.
    const tests = document.runs[0]!.tests;
    expect(tests.length).toBeGreaterThan(0);
    for (const t of tests.filter((t) => t.status === "ok")) expect(t.samplesNs).toHaveLength(t.kind === "sustained" ? 1 : 2);
    expect(tests.some((t) => t.kind === "sustained" && t.status === "ok")).toBe(true);
  });

  it("registry down during submit: queued; delivered once it is up", async () => {
    const { home, env } = freshHome();
    const queued = await cli([...RUN(), "--offline"], env);
    expect(queued.code, queued.output).toBe(0);
    const [id] = await pendingIds(home);
    expect(id).toMatch(/^[0-9a-f]{64}$/);

    const downPort = await freePort();
    const down = await cli(["submit", "--server", `http://127.0.0.1:${downPort}`, "--attempts", "2", "--timeout", "2"], env);
    expect(down.code).toBe(4); // not delivered: still queued
    expect(down.output).toMatch(/cannot reach 127\.0\.0\.1:\d+ \(connection refused\)/);
    expect(await pendingIds(home)).toEqual([id]);
    expect((await apiGet(id!)).status).toBe(404);

    const listed = await cli(["outbox"], env);
    expect(listed.stdout).toContain(`pending (1)`);
    expect(listed.stdout).toContain(id);

    const before = await storedCount();
    const up = await cli(["submit", "--server", registry.url, "--json"], env);
    expect(up.code, up.output).toBe(0);
    expect(JSON.parse(up.stdout).sent.map((s: { id: string }) => s.id)).toEqual([id]);
    expect(await pendingIds(home)).toEqual([]);
    expect(await storedCount()).toBe(before + 1);
    expect((await apiGet(id!)).status).toBe(200);
  });

  it("SIGKILL during the run: nothing half-written; the next run stores exactly one result", async () => {
    const { home, env } = freshHome();
    const before = await storedCount();
    const p = spawnCli([...RUN(), "--server", registry.url], env);
    // Kill once the suite is under way (the first test has started), long before the outbox write.
    await p.waitFor(/✓ pp512/, 90_000);
    await p.kill();
    expect(p.output()).not.toMatch(/queued [0-9a-f]{64}/);
    expect(await strayFiles(home)).toEqual([]);
    expect(await pendingIds(home)).toEqual([]);
    const nothing = await cli(["submit", "--server", registry.url], env);
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toMatch(/nothing to send/);
    expect(await storedCount()).toBe(before);

    const again = await cli([...RUN(), "--server", registry.url], env);
    expect(again.code, again.output).toBe(0);
    expect(await storedCount()).toBe(before + 1);
  });

  it("SIGKILL right after the outbox write: the file is whole; the next submit stores exactly one result", async () => {
    const { home, env } = freshHome();
    const before = await storedCount();
    const p = spawnCli([...RUN(), "--server", registry.url], { ...env, EDGEBENCH_TEST_PAUSE_AFTER_QUEUE_MS: "60000" });
    const [, id] = await p.waitFor(/queued ([0-9a-f]{64})/, 90_000);
    await p.kill();
    expect(await strayFiles(home)).toEqual([]);
    expect(await pendingIds(home)).toEqual([id]);
    expect(await storedCount()).toBe(before);

    const sent = await cli(["submit", "--server", registry.url], env);
    expect(sent.code, sent.output).toBe(0);
    expect(await storedCount()).toBe(before + 1);
    const again = await cli(["submit", "--server", registry.url], env);
    expect(again.stdout).toMatch(/nothing to send/);
    expect(await storedCount()).toBe(before + 1);
    expect((await apiGet(id!)).status).toBe(200);
  });

  it.each(["hold-request", "hold-response"] as const)("SIGKILL during the POST (%s): the next submit stores exactly one result", async (mode) => {
    const { home, env } = freshHome();
    const before = await storedCount();
    const proxy = await startSlowProxy(registry.url, mode);
    try {
      const p = spawnCli([...RUN(), "--server", proxy.url], env);
      const killed = Promise.race([proxy.held, p.exited.then(() => Promise.reject(new Error(`run exited first:\n${p.output()}`)))]);
      await killed;
      await p.kill();
      const [id] = await pendingIds(home);
      expect(id).toMatch(/^[0-9a-f]{64}$/);
      expect(await strayFiles(home)).toEqual([]);
      // hold-request: the registry never saw it; hold-response: stored, but the reply was lost.
      expect(await storedCount()).toBe(mode === "hold-request" ? before : before + 1);

      const sent = await cli(["submit", "--server", registry.url, "--json"], env);
      expect(sent.code, sent.output).toBe(0);
      const report = JSON.parse(sent.stdout);
      expect(report.sent).toEqual([expect.objectContaining({ id, status: mode === "hold-request" ? 201 : 200 })]);
      expect(await storedCount()).toBe(before + 1);
      expect(await pendingIds(home)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("a rejected submission is kept aside with the server's reason", async () => {
    // A board whose clock runs a day ahead: valid to the schema, refused by the registry.
    const { home, env } = freshHome();
    const identity = await loadIdentity(firstHome);
    const ahead = { ...firstDocument, createdAt: new Date(Date.now() + 86_400_000).toISOString() };
    const { id, submission } = await signDocument(ahead, identity.privateKey, identity.publicKey);
    await new Outbox(home).enqueue(id, submission);

    const res = await cli(["submit", "--server", registry.url], env);
    expect(res.code).toBe(5); // refused by the registry
    expect(res.stdout).toContain(`rejected  ${id}`);
    const outbox = new Outbox(home);
    expect(await readdir(outbox.rejectedDir)).toEqual(expect.arrayContaining([`${id}.json`, `${id}.error.json`]));
    const reason = JSON.parse(await readFile(path.join(outbox.rejectedDir, `${id}.error.json`), "utf8"));
    expect(reason).toMatchObject({ id, status: 400, server: registry.url, error: { error: { code: "created_in_future" } } });
    expect(await pendingIds(home)).toEqual([]);
    const listed = await cli(["outbox"], env);
    expect(listed.stdout).toMatch(/rejected \(1\)[\s\S]*created_in_future/);
    // Nothing was stored, and a later submit does not retry it.
    expect((await apiGet(id)).status).toBe(404);
    expect((await cli(["submit", "--server", registry.url], env)).stdout).toMatch(/nothing to send/);
  });

  it("a corrupt outbox file is reported and skipped, not fatal", async () => {
    const { home, env } = freshHome();
    const identity = await loadIdentity(firstHome);
    const earlier = { ...firstDocument, createdAt: new Date(Date.parse(firstDocument.createdAt) - 60_000).toISOString() };
    const good = await signDocument(earlier, identity.privateKey, identity.publicKey);
    const outbox = new Outbox(home);
    await outbox.enqueue(good.id, good.submission);
    const bad = `${"d".repeat(64)}.json`;
    await writeFile(path.join(outbox.dir, bad), '{"document": {"schema": "edgebench.result/v1", "ru');

    const res = await cli(["submit", "--server", registry.url], env);
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).toContain(`corrupt   ${bad}`);
    expect(res.stdout).toContain(`sent      ${good.id}`);
    expect(await readdir(outbox.corruptDir)).toEqual(expect.arrayContaining([bad, `${bad}.reason.txt`]));
    expect((await apiGet(good.id)).status).toBe(200);
  });
});
