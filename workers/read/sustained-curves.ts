/**
 * The curves the compare page overlays: each compared configuration's
 * sustained generation rate over time and its serving scaling curve. A
 * configuration aggregates many runs, but a curve is one run's: the
 * representative is the configuration's newest visible result
 * (configurations.latest_submission_id, kept by the aggregation step), so the
 * curve is the one a reader finds at the top of that configuration's results,
 * and picking it needs no extra read. One query for every compared
 * configuration reads only the chosen results' runs and returns only their
 * sustained and concurrent tests, never the whole documents.
 */
import type { TestResult } from "@edgebench/contract";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { runs, submissions } from "../../db/schema.js";
import type { Db } from "../db.js";
import type { LeaderboardRow } from "../ranking/rows.js";

export interface SustainedCurve {
  configurationId: string;
  /** The result the curve is read from (its page shows it with its clocks and temperature). */
  submissionId: string;
  /** That run's sustained test as signed; null when the newest result has no successful sustained test. */
  test: TestResult | null;
  /** That run's concurrent tests as signed, in the run's order, those that did not run too (their reasons are shown); empty when it has none. */
  concurrent: TestResult[];
}

/** One run per compared configuration at most; the product covers a document that holds runs of several of them. */
function rowLimit(configurations: number): number {
  return configurations * configurations;
}

/** The newest visible result's sustained and concurrent tests for each row, keyed by configuration id; rows without a visible result are left out. */
export async function sustainedCurves(
  db: Db,
  rows: readonly Pick<LeaderboardRow, "id" | "latestSubmissionId">[],
): Promise<Map<string, SustainedCurve>> {
  const chosen = new Map(rows.flatMap((r) => (r.latestSubmissionId ? [[r.id, r.latestSubmissionId] as const] : [])));
  const out = new Map<string, SustainedCurve>();
  if (chosen.size === 0) return out;
  const found = await db
    .select({
      configurationId: runs.configurationId,
      submissionId: runs.submissionId,
      // The run's successful sustained tests and all its concurrent ones, picked inside D1 in one pass over the
      // document so only they cross the wire (a document can be a megabyte).
      tests: sql<string | null>`(select json_group_array(json(v)) from (
        select t.value as v from json_each(${submissions.document}, '$.runs[' || ${runs.runIndex} || '].tests') as t
        where (json_extract(t.value, '$.kind') = 'sustained' and json_extract(t.value, '$.status') = 'ok') or json_extract(t.value, '$.kind') = 'concurrent'
        order by t.key))`,
    })
    .from(runs)
    .innerJoin(submissions, eq(submissions.id, runs.submissionId))
    .where(and(inArray(runs.submissionId, [...new Set(chosen.values())]), inArray(runs.configurationId, [...chosen.keys()]), eq(runs.visible, true)))
    .orderBy(asc(runs.submissionId), asc(runs.runIndex))
    .limit(rowLimit(chosen.size));
  for (const r of found) {
    // A chosen result may also hold a run of another compared configuration whose representative is a different result.
    if (!r.configurationId || chosen.get(r.configurationId) !== r.submissionId || out.has(r.configurationId)) continue;
    const tests = r.tests ? (JSON.parse(r.tests) as TestResult[]) : [];
    out.set(r.configurationId, {
      configurationId: r.configurationId,
      submissionId: r.submissionId,
      test: tests.find((t) => t.kind === "sustained") ?? null,
      concurrent: tests.filter((t) => t.kind === "concurrent"),
    });
  }
  return out;
}
