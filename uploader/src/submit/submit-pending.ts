/**
 * `edgebench submit`: send everything in the outbox. The id is the content
 * hash and the registry answers a repeat with 200 and the same id, so a resend
 * after a lost reply or a crash never makes a second result.
 */
import { type CorruptItem, Outbox, type RejectedRecord, type SentReceipt } from "../outbox/index.js";
import { type BackoffPolicy, backoffDelayMs, DEFAULT_BACKOFF, parseRetryAfter } from "./backoff.js";
import { describeError, postSubmission } from "./post.js";

export interface SubmitOptions {
  server: string;
  policy?: Partial<BackoffPolicy>;
  /** Injected in tests: a fake clock, sleep and random make the schedule observable. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  fetch?: typeof fetch;
  userAgent?: string;
  /** Progress lines (to stderr in the CLI). */
  log?: (line: string) => void;
  /** Only these ids (e.g. the result `run` just made); default: all pending. */
  onlyIds?: string[];
}

export interface StillPending {
  id: string;
  attempts: number;
  lastError: string;
}

export interface SubmitReport {
  server: string;
  sent: SentReceipt[];
  rejected: RejectedRecord[];
  pending: StillPending[];
  corrupt: CorruptItem[];
  /** Every wait taken, in order (ms): the backoff schedule as it happened. */
  waits: number[];
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function submitPending(home: string, options: SubmitOptions): Promise<SubmitReport> {
  const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...options.policy };
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => {});
  const outbox = new Outbox(home);
  const report: SubmitReport = { server: options.server, sent: [], rejected: [], pending: [], corrupt: [], waits: [] };

  const { items, corrupt } = await outbox.readPending();
  report.corrupt = corrupt;
  for (const c of corrupt) log(`skipped corrupt outbox file ${c.name}: ${c.reason}${c.movedTo ? ` (moved to ${c.movedTo})` : ""}`);
  const todo = options.onlyIds ? items.filter((i) => options.onlyIds!.includes(i.id)) : items;

  // When the registry cannot be reached at all, trying every other item too
  // would only multiply the waiting: keep the rest queued for the next submit.
  let unreachable: string | undefined;
  for (const item of todo) {
    if (unreachable) {
      report.pending.push({ id: item.id, attempts: 0, lastError: unreachable });
      continue;
    }
    let attempts = 0;
    let lastError = "";
    let done = false;
    let networkOnly = true;
    while (!done && attempts < policy.maxAttempts) {
      attempts++;
      const outcome = await postSubmission(item.body, {
        server: options.server,
        timeoutMs: policy.timeoutMs,
        fetch: options.fetch,
        userAgent: options.userAgent,
      });
      let wait: number | undefined;
      switch (outcome.kind) {
        case "accepted": {
          if (outcome.id && outcome.id !== item.id) log(`warning: server answered id ${outcome.id} for ${item.id}`);
          const receipt = await outbox.markSent(item, {
            server: options.server,
            url: outcome.url,
            status: outcome.status,
            sentAt: new Date(now()).toISOString(),
          });
          report.sent.push(receipt);
          log(
            `sent ${item.id.slice(0, 12)} (${outcome.status === 201 ? "new" : `already there, ${outcome.status}`})${outcome.url ? ` ${outcome.url}` : ""}`,
          );
          if (outcome.notice) log(`  note: ${outcome.notice}`);
          done = true;
          break;
        }
        case "rejected": {
          const record = await outbox.markRejected(item, {
            server: options.server,
            status: outcome.status,
            error: outcome.error,
            rejectedAt: new Date(now()).toISOString(),
          });
          report.rejected.push(record);
          log(`rejected ${item.id.slice(0, 12)} (${outcome.status} ${describeError(outcome.error)}); kept in ${outbox.rejectedDir}`);
          done = true;
          break;
        }
        case "rate-limited": {
          networkOnly = false;
          lastError = `429 ${describeError(outcome.error)}`.trim();
          const asked = parseRetryAfter(outcome.retryAfter, now());
          if (asked !== undefined && asked > policy.maxRetryAfterMs) {
            lastError += ` (server asks to wait ${Math.round(asked / 1000)} s)`;
            attempts = policy.maxAttempts; // leave it queued; waiting that long is the next submit's job
          } else {
            wait = asked ?? backoffDelayMs(attempts, policy, random);
          }
          break;
        }
        case "server-error":
          networkOnly = false;
          lastError = `${outcome.status} ${describeError(outcome.error)}`.trim();
          wait = backoffDelayMs(attempts, policy, random);
          break;
        case "network":
          lastError = outcome.message;
          wait = backoffDelayMs(attempts, policy, random);
          break;
      }
      if (!done && attempts < policy.maxAttempts && wait !== undefined) {
        log(`attempt ${attempts} for ${item.id.slice(0, 12)} failed (${lastError}); retrying in ${(wait / 1000).toFixed(1)} s`);
        report.waits.push(wait);
        await sleep(wait);
      }
    }
    if (!done) {
      report.pending.push({ id: item.id, attempts, lastError });
      log(`${item.id.slice(0, 12)} stays queued after ${attempts} attempt(s): ${lastError}`);
      if (networkOnly) unreachable = lastError;
    }
  }
  return report;
}
