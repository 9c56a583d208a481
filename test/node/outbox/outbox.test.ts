import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { signDocument, submissionId } from "@edgebench/contract";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIdentity, type Identity } from "../../../uploader/src/identity/index.js";
import { Outbox, writeFileAtomic } from "../../../uploader/src/outbox/index.js";
import { deliver, InvalidDocumentError } from "../../../uploader/src/submit/index.js";
import { sampleDocument } from "./sample-document.js";

let home: string;
let identity: Identity;

beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "edgebench-outbox-"));
  identity = await createIdentity(home);
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

async function signed(seq: number) {
  return signDocument(sampleDocument(seq), identity.privateKey, identity.publicKey);
}

describe("outbox", () => {
  it("writes one owner-only file per submission id holding the exact POST body, with no temp file left", async () => {
    const outbox = new Outbox(home);
    const { id, submission } = await signed(1);
    const file = await outbox.enqueue(id, submission);
    expect(path.basename(file)).toBe(`${id}.json`);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual(submission);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    // Same document again: still one file.
    await outbox.enqueue(id, submission);
    expect(await readdir(outbox.dir)).toEqual([`${id}.json`]);
    const { items, corrupt } = await outbox.readPending();
    expect(corrupt).toEqual([]);
    expect(items.map((i) => i.id)).toEqual([id]);
    expect(items[0]!.body).toBe(JSON.stringify(submission));
  });

  it("a write interrupted before its rename leaves only a dot temp file, ignored and cleaned once its writer is dead", async () => {
    const outbox = new Outbox(home);
    const { id, submission } = await signed(2);
    await outbox.enqueue(id, submission);
    // What a SIGKILL between write and rename leaves: a partial temp file named for a dead pid.
    const deadPid = 2 ** 22 + 12345;
    const orphan = path.join(outbox.dir, `.${"f".repeat(64)}.json.${deadPid}.0123abcd.tmp`);
    await writeFile(orphan, '{"document":{"half');
    // One from a live writer (this process) must be left alone.
    const live = path.join(outbox.dir, `.${"e".repeat(64)}.json.${process.pid}.0123abcd.tmp`);
    await writeFile(live, "{");
    const { items, corrupt } = await outbox.readPending();
    expect(items.map((i) => i.id)).toEqual([id]);
    expect(corrupt).toEqual([]);
    const left = await readdir(outbox.dir);
    expect(left).not.toContain(path.basename(orphan));
    expect(left).toContain(path.basename(live));
  });

  it("writeFileAtomic exclusive never replaces an existing file", async () => {
    const f = path.join(home, "x.json");
    await writeFileAtomic(f, "one", { exclusive: true });
    await expect(writeFileAtomic(f, "two", { exclusive: true })).rejects.toMatchObject({ code: "EEXIST" });
    expect(await readFile(f, "utf8")).toBe("one");
    expect((await readdir(home)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("moves corrupt files aside with a reason and keeps going", async () => {
    const outbox = new Outbox(home);
    const good = await signed(3);
    await outbox.enqueue(good.id, good.submission);
    const other = await signed(4);
    // Truncated JSON, a document that does not match its name, a bad signature, a stray name.
    await writeFile(path.join(outbox.dir, `${"a".repeat(64)}.json`), '{"document": {"sch');
    await writeFile(path.join(outbox.dir, `${"b".repeat(64)}.json`), JSON.stringify(other.submission));
    const forged = { ...other.submission, signature: good.submission.signature };
    await writeFile(path.join(outbox.dir, `${other.id}.json`), JSON.stringify(forged));
    await writeFile(path.join(outbox.dir, "notes.json"), "{}");

    const { items, corrupt } = await outbox.readPending();
    expect(items.map((i) => i.id)).toEqual([good.id]);
    const reasons = Object.fromEntries(corrupt.map((c) => [c.name, c.reason]));
    expect(reasons[`${"a".repeat(64)}.json`]).toMatch(/not JSON/);
    expect(reasons[`${"b".repeat(64)}.json`]).toMatch(/does not match the file name/);
    expect(reasons[`${other.id}.json`]).toMatch(/signature does not verify/);
    expect(reasons["notes.json"]).toMatch(/file name/);
    const moved = await readdir(outbox.corruptDir);
    expect(moved).toContain(`${"a".repeat(64)}.json`);
    expect(moved).toContain(`${"a".repeat(64)}.json.reason.txt`);
    expect(await readdir(outbox.dir)).toEqual(expect.arrayContaining([`${good.id}.json`]));
    expect((await outbox.list()).corrupt).toHaveLength(4);
  });

  it("deliver in queue mode signs with the stored key, adds the display name before signing, and only queues", async () => {
    await writeFile(path.join(home, "config.json"), JSON.stringify({ displayName: "Bench Lab" }));
    const log: string[] = [];
    const result = await deliver(sampleDocument(5), { home, mode: "queue", log: (l) => log.push(l) });
    expect(result.status).toBe("queued");
    expect(result.keyCreated).toBe(false);
    const stored = JSON.parse(await readFile(result.file, "utf8"));
    expect(stored.document.contributor).toEqual({ displayName: "Bench Lab" });
    expect(stored.publicKey).toBe(identity.publicKey);
    expect(await submissionId(stored.document)).toBe(result.id);
    expect(log.join("\n")).toContain(`queued ${result.id}`);
  });

  it("deliver refuses a document the registry would reject, keeping it unsigned for inspection", async () => {
    const bad = { ...sampleDocument(6), runs: [] } as unknown as ReturnType<typeof sampleDocument>;
    const err = await deliver(bad, { home, mode: "queue" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidDocumentError);
    expect((err as Error).message).toMatch(/runs/);
    expect(JSON.parse(await readFile((err as InvalidDocumentError).savedTo, "utf8")).runs).toEqual([]);
    expect((await new Outbox(home).list()).pending).toEqual([]);
  });
});
