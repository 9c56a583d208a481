/**
 * Sending a finished document on, shared by `run` and `import`: sign it, write
 * it to the outbox, then send the outbox (or, offline, queue only). Returns the
 * lines the command prints on stderr and the exit code the outcome means.
 */

import { isSyntheticModel, type ResultDocument } from "@edgebench/contract";
import type { Config } from "../config.js";
import { readUserConfig } from "../identity/index.js";
import { type DeliverResult, deliver, resolveServer } from "../submit/index.js";
import { EXIT } from "./exit-codes.js";

export interface DeliveryOptions {
  /** Sign and queue only (send later with `edgebench submit`). */
  offline?: boolean;
  /** --server; else config.json, EDGEBENCH_SERVER, then the public registry. */
  server?: string;
  /** --submit-synthetic: send results on models the uploader generated too. */
  submitSynthetic?: boolean;
}

export interface Delivery {
  /** Absent when nothing was signed (a synthetic model's result, not asked for). */
  result?: DeliverResult;
  /** What to print on stderr, one line each. */
  lines: string[];
  exitCode: number;
}

/** The result's page on the registry: the API answers with /api/v1/submissions/ID; the page is /results/ID on the same origin. */
export function resultPageUrl(server: string, id: string, apiUrl?: string): string {
  return new URL(`/results/${id}`, apiUrl ?? `${server}/`).toString();
}

/** The generated models in a document, by name, once each. */
export function syntheticModels(document: ResultDocument): string[] {
  return [...new Set(document.runs.filter((r) => isSyntheticModel(r.model)).map((r) => r.model.name))];
}

export async function deliverDocument(document: ResultDocument, opts: DeliveryOptions, config: Config): Promise<Delivery> {
  const synthetic = syntheticModels(document);
  if (synthetic.length && !opts.submitSynthetic)
    return {
      lines: [
        `not submitted: ${synthetic.join(", ")} ${synthetic.length === 1 ? "is a model" : "are models"} edgebench generated (random weights); --submit-synthetic sends it anyway`,
      ],
      exitCode: EXIT.ok,
    };
  const { server } = resolveServer(opts.server, await readUserConfig(config.home), config);
  const result = await deliver(document, {
    home: config.home,
    mode: opts.offline ? "queue" : "send",
    server,
    userAgent: "edgebench-uploader",
    pauseAfterQueueMs: config.testPauseAfterQueueMs,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  switch (result.status) {
    case "sent":
      return {
        result,
        lines: [
          `submitted ${result.id}`,
          `  result: ${resultPageUrl(server, result.id, result.url)}`,
          ...(result.url ? [`  JSON:   ${result.url}`] : []),
        ],
        exitCode: EXIT.ok,
      };
    case "queued":
      return { result, lines: [`signed and queued ${result.id}; send it with \`edgebench submit\``], exitCode: EXIT.ok };
    case "rejected":
      return { result, lines: [`the registry rejected ${result.id} (see the outbox's rejected/ folder)`], exitCode: EXIT.rejected };
    case "pending": {
      const why = result.report?.pending.find((p) => p.id === result.id)?.lastError;
      return {
        result,
        lines: [`not delivered: ${why ?? `could not reach ${server}`}; ${result.id} stays queued for \`edgebench submit\``],
        exitCode: EXIT.queued,
      };
    }
  }
}
