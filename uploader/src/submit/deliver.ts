/**
 * What `edgebench run` does with a finished document: sign it, write it to the
 * outbox (durably, before any network attempt), then send the outbox unless
 * told to queue only. A crash at any point after the write loses nothing; the
 * next `edgebench submit` picks the file up.
 */

import { mkdir } from "node:fs/promises";
import path from "node:path";
import { ResultDocument, type ResultDocument as ResultDocumentType, signDocument } from "@edgebench/contract";
import { ensureIdentity, readUserConfig } from "../identity/index.js";
import { Outbox, writeFileAtomic } from "../outbox/index.js";
import { type SubmitOptions, type SubmitReport, submitPending } from "./submit-pending.js";

export interface DeliverOptions extends Omit<SubmitOptions, "server" | "onlyIds"> {
  /** The edgebench home (config.home). */
  home: string;
  /** "queue": sign and write to the outbox only (run --offline); "send": then send the outbox. */
  mode: "send" | "queue";
  /** Registry base URL (resolve with resolveServer); required for "send". */
  server?: string;
  /** Test hook: pause this long after the outbox write (config.testPauseAfterQueueMs). */
  pauseAfterQueueMs?: number;
}

export interface DeliverResult {
  id: string;
  /** The pending outbox file written. */
  file: string;
  fingerprint: string;
  keyCreated: boolean;
  /** Present when mode is "send". */
  report?: SubmitReport;
  /** This result's own fate in the report (sent/rejected/pending), when sent. */
  status: "queued" | "sent" | "rejected" | "pending";
  url?: string;
}

export class InvalidDocumentError extends Error {
  override name = "InvalidDocumentError";
  constructor(
    message: string,
    readonly savedTo: string,
  ) {
    super(message);
  }
}

export async function deliver(document: ResultDocumentType, options: DeliverOptions): Promise<DeliverResult> {
  const log = options.log ?? (() => {});
  // The display name is part of what is signed, so it goes in before signing.
  const user = await readUserConfig(options.home);
  let doc = document;
  if (user.displayName && !doc.contributor?.displayName) doc = { ...doc, contributor: { ...doc.contributor, displayName: user.displayName } };

  const checked = ResultDocument.safeParse(doc);
  if (!checked.success) {
    // The registry would refuse it; keep it for inspection and say why now.
    const dir = path.join(options.home, "outbox", "invalid");
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const saved = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    await writeFileAtomic(saved, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
    const issues = checked.error.issues.slice(0, 10).map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new InvalidDocumentError(`the result does not match the contract (${issues.join("; ")}); saved unsigned to ${saved}`, saved);
  }

  const identity = await ensureIdentity(options.home);
  if (identity.created) log(`created a new key ${identity.fingerprint} in ${options.home}`);
  for (const w of identity.warnings) log(`warning: ${w}`);
  const { id, submission } = await signDocument(doc, identity.privateKey, identity.publicKey);
  const file = await new Outbox(options.home).enqueue(id, submission);
  log(`queued ${id} in ${path.dirname(file)}`);
  if (options.pauseAfterQueueMs) await new Promise((r) => setTimeout(r, options.pauseAfterQueueMs));

  const base = { id, file, fingerprint: identity.fingerprint, keyCreated: identity.created };
  if (options.mode === "queue") return { ...base, status: "queued" };
  if (!options.server) throw new Error("deliver: mode send needs a server URL");
  const report = await submitPending(options.home, { ...options, server: options.server });
  const sent = report.sent.find((r) => r.id === id);
  if (sent) return { ...base, report, status: "sent", url: sent.url };
  if (report.rejected.some((r) => r.id === id)) return { ...base, report, status: "rejected" };
  return { ...base, report, status: "pending" };
}
