/**
 * When the aggregation step runs after uploads: a pass per isolate at a time,
 * starting `delayMs` after the upload that finds none running, and taking in
 * everything pending when it runs. Uploads that land meanwhile only mark their
 * configurations pending (their batch does), and that pass picks them up; so a
 * configuration many uploads hit in a burst is recomputed once per pass, not
 * once per upload, and an upload's answer never waits for it. Under a steady
 * stream, passes start about `delayMs` apart.
 *
 * Bounded: a pass stops after PASS_BUDGET_MS (the rest stays pending for the
 * next pass or the cron trigger). A pass that dies with its isolate leaves
 * the flag to expire by the same bound.
 */
import type { Db } from "../db.js";
import { aggregatePending, pendingCount } from "./configurations.js";

/** Longest a pass runs: well inside the 30 s a Worker may keep working after its answer (ctx.waitUntil). */
export const PASS_BUDGET_MS = 20_000;

/** Until when a pass started in this isolate may still be running (0: none). */
let runningUntil = 0;

export async function aggregateAfterUpload(db: Db, delayMs: number, recheck = true): Promise<void> {
  if (Date.now() < runningUntil) return;
  runningUntil = Date.now() + delayMs + PASS_BUDGET_MS;
  try {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    await aggregatePending(db, Date.now() + PASS_BUDGET_MS);
  } finally {
    runningUntil = 0;
  }
  // An upload that landed after the pass's last look, while this isolate still counted the pass as running,
  // started none of its own: take it in with the next pass, after the same delay so that a steady stream of
  // uploads meets passes spaced `delayMs` apart rather than back to back (the cron trigger is the backstop).
  if (recheck && (await pendingCount(db)) > 0) await aggregateAfterUpload(db, delayMs, false);
}
