/**
 * The outbox: signed submissions waiting for the registry, one file per
 * submission id, in <home>/outbox/:
 *
 *   <id>.json                 pending: the exact POST body ({document, signature, publicKey})
 *   sent/<id>.json            delivered; sent/<id>.receipt.json holds the server's answer and URL;
 *   sent/log.jsonl            one line per delivery (id, url, server, time)
 *   rejected/<id>.json        refused for good (a 4xx other than 429);
 *   rejected/<id>.error.json  the server's status and error body, beside it
 *   corrupt/<name>            files that could not be read back; <name>.reason.txt says why
 *
 * Files appear only by atomic rename, so a crash leaves either the old state or
 * the new one, plus at most a dot-named temp file that readers ignore and the
 * next run removes once its writer is gone.
 */
import { appendFile, mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { type SignedSubmission, submissionId, verifySubmission } from "@edgebench/contract";
import { fsyncDir, moveDurably, TEMP_SUFFIX, tempWriterPid, writeFileAtomic } from "./atomic-write.js";

export const OUTBOX_DIR = "outbox";
const ID_FILE = /^([0-9a-f]{64})\.json$/;

export type OutboxState = "pending" | "sent" | "rejected";

export interface PendingItem {
  id: string;
  file: string;
  submission: SignedSubmission;
  /** The exact bytes to POST (what was signed and stored). */
  body: string;
  queuedAt: Date;
}

export interface CorruptItem {
  name: string;
  reason: string;
  /** Where it was moved to (undefined when moving failed too). */
  movedTo?: string;
}

export interface SentReceipt {
  id: string;
  server: string;
  url?: string;
  status: number;
  sentAt: string;
}

export interface RejectedRecord {
  id: string;
  server: string;
  status: number;
  /** The server's `{error: {code, message, details}}`, or its text when not JSON. */
  error: unknown;
  rejectedAt: string;
}

export interface OutboxListing {
  pending: { id: string; queuedAt: Date }[];
  sent: SentReceipt[];
  rejected: RejectedRecord[];
  corrupt: string[];
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class Outbox {
  readonly dir: string;
  readonly sentDir: string;
  readonly rejectedDir: string;
  readonly corruptDir: string;

  constructor(home: string) {
    this.dir = path.join(home, OUTBOX_DIR);
    this.sentDir = path.join(this.dir, "sent");
    this.rejectedDir = path.join(this.dir, "rejected");
    this.corruptDir = path.join(this.dir, "corrupt");
  }

  pendingPath(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  private async ensure(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  }

  /** Writes a signed submission durably; returns its pending path. Same id twice: same file. */
  async enqueue(id: string, submission: SignedSubmission): Promise<string> {
    if (!/^[0-9a-f]{64}$/.test(id)) throw new TypeError(`not a submission id: ${id}`);
    await this.ensure(this.dir);
    const file = this.pendingPath(id);
    await writeFileAtomic(file, `${JSON.stringify(submission)}\n`, { mode: 0o600 });
    return file;
  }

  /**
   * Reads every pending file, oldest first. A file that cannot be read back as
   * a submission whose id and signature check out is moved to corrupt/ and
   * reported, never fatal. Temp files whose writer has died are removed.
   */
  async readPending(): Promise<{ items: PendingItem[]; corrupt: CorruptItem[] }> {
    const items: PendingItem[] = [];
    const corrupt: CorruptItem[] = [];
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { items, corrupt };
      throw err;
    }
    for (const name of names.sort()) {
      const file = path.join(this.dir, name);
      if (name.startsWith(".")) {
        if (name.endsWith(TEMP_SUFFIX)) {
          const pid = tempWriterPid(name);
          if (pid !== undefined && !isAlive(pid)) await rm(file, { force: true });
        }
        continue;
      }
      if (!name.endsWith(".json")) continue;
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) continue;
      const checked = await this.check(name, file);
      if ("reason" in checked) corrupt.push(await this.moveCorrupt(name, checked.reason));
      else items.push({ ...checked, queuedAt: info.mtime });
    }
    items.sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime() || a.id.localeCompare(b.id));
    return { items, corrupt };
  }

  private async check(name: string, file: string): Promise<Omit<PendingItem, "queuedAt"> | { reason: string }> {
    const m = ID_FILE.exec(name);
    if (!m) return { reason: "file name is not <submission id>.json" };
    const id = m[1]!;
    let body: string;
    try {
      body = await readFile(file, "utf8");
    } catch (err) {
      return { reason: `unreadable: ${(err as Error).message}` };
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (err) {
      return { reason: `not JSON: ${(err as Error).message}` };
    }
    const s = json as Partial<SignedSubmission> | null;
    if (!s || typeof s !== "object" || !("document" in s) || typeof s.signature !== "string" || typeof s.publicKey !== "string") {
      return { reason: "not a signed submission ({document, signature, publicKey})" };
    }
    const submission = s as SignedSubmission;
    let actual: string;
    try {
      actual = await submissionId(submission.document);
    } catch (err) {
      return { reason: `document cannot be canonicalised: ${(err as Error).message}` };
    }
    if (actual !== id) return { reason: `content hash ${actual} does not match the file name` };
    if (!(await verifySubmission(submission))) return { reason: "signature does not verify" };
    return { id, file, submission, body: body.trimEnd() };
  }

  private async moveCorrupt(name: string, reason: string): Promise<CorruptItem> {
    try {
      await this.ensure(this.corruptDir);
      let dest = path.join(this.corruptDir, name);
      if (await stat(dest).catch(() => undefined)) dest = path.join(this.corruptDir, `${name}.${Date.now()}`);
      await writeFileAtomic(`${dest}.reason.txt`, `${reason}\n`);
      await moveDurably(path.join(this.dir, name), dest);
      return { name, reason, movedTo: dest };
    } catch {
      return { name, reason };
    }
  }

  /** Delivered: receipt first, then the move, then the log line (a crash in between only repeats an idempotent send). */
  async markSent(item: { id: string; file: string }, receipt: Omit<SentReceipt, "id">): Promise<SentReceipt> {
    await this.ensure(this.sentDir);
    const full: SentReceipt = { id: item.id, ...receipt };
    await writeFileAtomic(path.join(this.sentDir, `${item.id}.receipt.json`), `${JSON.stringify(full, null, 2)}\n`, { mode: 0o600 });
    await this.moveIfPresent(item.file, path.join(this.sentDir, `${item.id}.json`));
    await appendFile(path.join(this.sentDir, "log.jsonl"), `${JSON.stringify(full)}\n`, { mode: 0o600 });
    return full;
  }

  async markRejected(item: { id: string; file: string }, record: Omit<RejectedRecord, "id">): Promise<RejectedRecord> {
    await this.ensure(this.rejectedDir);
    const full: RejectedRecord = { id: item.id, ...record };
    await writeFileAtomic(path.join(this.rejectedDir, `${item.id}.error.json`), `${JSON.stringify(full, null, 2)}\n`, { mode: 0o600 });
    await this.moveIfPresent(item.file, path.join(this.rejectedDir, `${item.id}.json`));
    return full;
  }

  /** A concurrent `submit` may have moved it already; that is fine. */
  private async moveIfPresent(from: string, to: string): Promise<void> {
    try {
      await moveDurably(from, to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      await fsyncDir(path.dirname(to));
    }
  }

  /** A read-only view for `edgebench outbox` (does not move corrupt files). */
  async list(): Promise<OutboxListing> {
    const listing: OutboxListing = { pending: [], sent: [], rejected: [], corrupt: [] };
    const names = async (dir: string) =>
      readdir(dir).catch((err: NodeJS.ErrnoException) => {
        if (err.code === "ENOENT") return [] as string[];
        throw err;
      });
    for (const name of (await names(this.dir)).sort()) {
      if (name.startsWith(".") || !name.endsWith(".json")) continue;
      const file = path.join(this.dir, name);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) continue;
      const m = ID_FILE.exec(name);
      if (m) listing.pending.push({ id: m[1]!, queuedAt: info.mtime });
      else listing.corrupt.push(name);
    }
    listing.pending.sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime());
    for (const name of await names(this.sentDir)) {
      if (!name.endsWith(".receipt.json")) continue;
      const r = await readJson<SentReceipt>(path.join(this.sentDir, name));
      if (r) listing.sent.push(r);
    }
    listing.sent.sort((a, b) => a.sentAt.localeCompare(b.sentAt));
    for (const name of await names(this.rejectedDir)) {
      if (!name.endsWith(".error.json")) continue;
      const r = await readJson<RejectedRecord>(path.join(this.rejectedDir, name));
      if (r) listing.rejected.push(r);
    }
    listing.rejected.sort((a, b) => a.rejectedAt.localeCompare(b.rejectedAt));
    for (const name of await names(this.corruptDir)) {
      if (!name.endsWith(".reason.txt")) listing.corrupt.push(`corrupt/${name}`);
    }
    return listing;
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}
