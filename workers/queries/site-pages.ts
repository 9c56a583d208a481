/**
 * Reads the site's detail pages need that the API's queries do not cover in
 * this shape: a board with every configuration on it, a model family with all
 * its variants, one submission with its contributor and per-run figures, and
 * configurations by id for compare. Same tables and the same row mapping as
 * the API (toLeaderboardRow), so figures agree everywhere.
 */
import { and, asc, desc, eq, gt, inArray, or } from "drizzle-orm";
import { METRIC_IDS, type MetricId } from "../../uploader/src/contract/metrics.js";
import { boards, configurations, contributors, models, runs, submissions, type BoardRow, type ModelRow, type RunRow, type SubmissionRow } from "../../db/schema.js";
import type { Db } from "../db.js";
import { toLeaderboardRow, type LeaderboardRow } from "./rows.js";

/** Every visible configuration on one board. */
export async function siteBoard(db: Db, id: string): Promise<{ board: BoardRow; configs: LeaderboardRow[] } | null> {
  const [board] = await db.select().from(boards).where(eq(boards.id, id)).limit(1);
  if (!board) return null;
  const rows = await db
    .select()
    .from(configurations)
    .where(and(eq(configurations.boardId, id), gt(configurations.submissionCount, 0)));
  return { board, configs: rows.map(toLeaderboardRow) };
}

/** A model family (slug) or one variant id: its variants and every configuration of them. */
export async function siteModel(db: Db, id: string): Promise<{ slug: string; variants: ModelRow[]; configs: LeaderboardRow[] } | null> {
  const [hit] = await db
    .select()
    .from(models)
    .where(or(eq(models.slug, id), eq(models.id, id)))
    .limit(1);
  if (!hit) return null;
  const slug = hit.slug;
  const [variants, rows] = await Promise.all([
    db.select().from(models).where(eq(models.slug, slug)).orderBy(asc(models.quantisation)),
    db
      .select()
      .from(configurations)
      .where(and(eq(configurations.modelSlug, slug), gt(configurations.submissionCount, 0))),
  ]);
  return { slug, variants, configs: rows.map(toLeaderboardRow) };
}

export interface SiteRun {
  runIndex: number;
  configurationId: string | null;
  status: RunRow["status"];
  metrics: Partial<Record<MetricId, number>>;
  stddev: Partial<Record<MetricId, number>>;
}

export interface SiteSubmission {
  submission: SubmissionRow;
  fingerprint: string;
  displayName: string | null;
  runs: SiteRun[];
}

/** One submission as stored (document and signature verbatim), its contributor and the server's per-run figures. */
export async function siteSubmission(db: Db, id: string): Promise<SiteSubmission | null> {
  const [row] = await db
    .select({ submission: submissions, fingerprint: contributors.fingerprint, displayName: contributors.displayName })
    .from(submissions)
    .innerJoin(contributors, eq(contributors.publicKey, submissions.publicKey))
    .where(eq(submissions.id, id))
    .limit(1);
  if (!row) return null;
  const runRows = await db.select().from(runs).where(eq(runs.submissionId, id)).orderBy(asc(runs.runIndex));
  return {
    submission: row.submission,
    fingerprint: row.fingerprint,
    displayName: row.displayName,
    runs: runRows.map((r) => {
      const metrics: Partial<Record<MetricId, number>> = {};
      const stddev: Partial<Record<MetricId, number>> = {};
      for (const m of METRIC_IDS) {
        const v = r[m];
        if (v !== null) metrics[m] = v;
        const sd = r[`${m}_sd`];
        if (sd !== null) stddev[m] = sd;
      }
      return { runIndex: r.runIndex, configurationId: r.configurationId, status: r.status, metrics, stddev };
    }),
  };
}

/** Configurations by id, in the order asked (unknown ids are left out). */
export async function siteConfigurations(db: Db, ids: readonly string[]): Promise<LeaderboardRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.select().from(configurations).where(inArray(configurations.id, [...ids]));
  const byId = new Map(rows.map((r) => [r.id, toLeaderboardRow(r)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Submissions behind a configuration, newest first (bounded). */
export async function siteConfigurationSubmissions(db: Db, configurationId: string, limit = 50): Promise<{ id: string; createdAt: string; fingerprint: string; displayName: string | null }[]> {
  return db
    .selectDistinct({ id: submissions.id, createdAt: submissions.createdAt, fingerprint: contributors.fingerprint, displayName: contributors.displayName })
    .from(runs)
    .innerJoin(submissions, eq(submissions.id, runs.submissionId))
    .innerJoin(contributors, eq(contributors.publicKey, submissions.publicKey))
    .where(and(eq(runs.configurationId, configurationId), eq(submissions.status, "visible")))
    .orderBy(desc(submissions.createdAt))
    .limit(limit);
}
