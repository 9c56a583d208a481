/**
 * Stored figures brought up to the contract's metric list. A result's figures
 * are computed at upload with the list of that day; when a metric is added to
 * the list (or a formula revised: FIGURES_REVISION), every stored result has
 * an older `figures_version`. This pass, run by the cron trigger before the
 * aggregation step, recomputes them from the stored signed document, with the
 * size the catalogue gives today, and marks their configurations pending, so
 * old results rank on the new metric too without a migration.
 */
import { type ComputedMetrics, computeMetrics, FIGURES_VERSION, ResultDocument } from "@edgebench/contract";
import { and, eq, gt, inArray, lt, or, sql } from "drizzle-orm";
import { CATALOGUE_BY_ID } from "../../db/catalogue/index.js";
import { configurations, runs, submissions } from "../../db/schema.js";
import type { Db } from "../db.js";
import { resolveSize } from "../ingest/identity.js";
import { sizeColumns } from "../ingest/plan.js";

/** Results per batch: each costs a statement per run and one for the submission; their ids are bound in one IN list (D1: at most 100 parameters). */
export const REFIGURE_CHUNK = 90;

/** Recomputes up to `limit` results whose figures are of an older version. Returns how many. */
export async function refigure(db: Db, limit = REFIGURE_CHUNK): Promise<number> {
  const stale = await db
    .select({ id: submissions.id, document: submissions.document, boardId: submissions.boardId })
    .from(submissions)
    // Two ranges rather than `<>`, so SQLite reads submissions_figures_version instead of every submission.
    .where(or(lt(submissions.figuresVersion, FIGURES_VERSION), gt(submissions.figuresVersion, FIGURES_VERSION)))
    .limit(limit);
  if (stale.length === 0) return 0;
  const writes = [];
  for (const s of stale) {
    const parsed = ResultDocument.safeParse(JSON.parse(s.document));
    // A document the schema of today refuses keeps the figures it was stored with (it passed the schema of its day).
    if (parsed.success) {
      const doc = parsed.data;
      const size = resolveSize(doc.system.envelope, CATALOGUE_BY_ID.get(s.boardId) ?? null);
      for (const [runIndex, run] of doc.runs.entries()) {
        const figures: ComputedMetrics = run.status === "ok" ? computeMetrics({ run, doc, ...size }) : {};
        writes.push(
          db
            .update(runs)
            .set({ figures })
            .where(and(eq(runs.submissionId, s.id), eq(runs.runIndex, runIndex))),
        );
      }
      writes.push(
        db
          .update(submissions)
          .set({ figuresVersion: FIGURES_VERSION, ...sizeColumns(size) })
          .where(eq(submissions.id, s.id)),
      );
    } else {
      writes.push(db.update(submissions).set({ figuresVersion: FIGURES_VERSION }).where(eq(submissions.id, s.id)));
    }
  }
  const ids = stale.map((s) => s.id);
  // Their configurations are recomputed by the aggregation step.
  writes.push(
    db
      .update(configurations)
      // The runs' figures changed: the value lists are rebuilt from them by the aggregation step.
      .set({ pendingSeq: sql`${configurations.pendingSeq} + 1`, valuesStale: true })
      .where(inArray(configurations.id, db.selectDistinct({ id: runs.configurationId }).from(runs).where(inArray(runs.submissionId, ids)))),
  );
  await db.batch(writes as unknown as Parameters<Db["batch"]>[0]);
  return stale.length;
}

/** Recomputes every result of an older figures version, REFIGURE_CHUNK at a time, until none is left or `deadlineMs` has passed. */
export async function refigurePending(db: Db, deadlineMs = Number.POSITIVE_INFINITY): Promise<number> {
  let done = 0;
  while (Date.now() < deadlineMs) {
    const n = await refigure(db);
    done += n;
    if (n === 0) break;
  }
  return done;
}
