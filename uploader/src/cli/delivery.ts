/**
 * Sending a finished document on, shared by `run` and `import`: sign it, write
 * it to the outbox, then send the outbox (or, offline, queue only). Returns the
 * one line the command prints on stderr.
 */

import type { ResultDocument } from "@edgebench/contract";
import type { Config } from "../config.js";
import { readUserConfig } from "../identity/index.js";
import { type DeliverResult, deliver, resolveServer } from "../submit/index.js";

export interface DeliveryOptions {
  /** Sign and queue only (send later with `edgebench submit`). */
  offline?: boolean;
  /** --server; else config.json, EDGEBENCH_SERVER, then the public registry. */
  server?: string;
}

export async function deliverDocument(
  document: ResultDocument,
  opts: DeliveryOptions,
  config: Config,
): Promise<{ result: DeliverResult; line: string }> {
  const { server } = resolveServer(opts.server, await readUserConfig(config.home), config);
  const result = await deliver(document, {
    home: config.home,
    mode: opts.offline ? "queue" : "send",
    server,
    userAgent: "edgebench-uploader",
    pauseAfterQueueMs: config.testPauseAfterQueueMs,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const line =
    result.status === "sent"
      ? `submitted ${result.id}${result.url ? `: ${result.url}` : ""}`
      : result.status === "queued"
        ? `signed and queued ${result.id}; send it with \`edgebench submit\``
        : result.status === "rejected"
          ? `the registry rejected ${result.id} (see the outbox's rejected/ folder)`
          : `could not reach ${server}; ${result.id} stays queued for \`edgebench submit\``;
  return { result, line };
}
