/**
 * Outlier marks within a configuration (workers/read/outliers.ts, the rule in
 * the contract's stats.ts): computed when a result is read, from the
 * configuration's value lists; the configuration's median is untouched.
 */
import { isOutlier, OUTLIER_RULE, outlierScore } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import type { RankedPage } from "../../workers/ranking/rank.js";
import type { SubmissionView } from "../../workers/read/submissions.js";
import { buildDocument, fixtureKeyPair } from "../fixtures/documents.js";
import { call, ingest } from "./helpers.js";

const result = async (id: string) => (await (await call(`/api/v1/submissions/${id}`)).json()) as SubmissionView;

/** Written out here, independently of the contract: the middle value, or the mean of the middle two. */
function mid(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** One configuration (one board, model, settings and meter): seed 0 keeps the figures exactly proportional to `speed`. */
async function configurationOf(board: "nuc" | "mac-mini-m4", speeds: number[]): Promise<string[]> {
  const keys = await fixtureKeyPair();
  const ids: string[] = [];
  for (const speed of speeds) ids.push(await ingest(buildDocument({ board, seed: 0, speed }), keys));
  return ids;
}

describe("outliers within a configuration", () => {
  it("marks the one run far from its configuration's other five, with its score and the rule; the others are not marked", async () => {
    const ids = await configurationOf("nuc", [1, 1.01, 0.99, 1.02, 0.98, 0.3]);
    const views = await Promise.all(ids.map(result));
    const configurationId = views[0]!.runs[0]!.configurationId;
    expect(views.every((v) => v.runs[0]!.configurationId === configurationId)).toBe(true);

    const tg = views.map((v) => v.runs[0]!.metrics.tg_tps!.value);
    const median = mid(tg);
    const mad = mid(tg.map((x) => Math.abs(x - median)));
    const far = views[5]!.runs[0]!;
    const mark = far.outliers.find((o) => o.metric === "tg_tps");
    expect(mark).toBeDefined();
    expect(mark!.value).toBe(tg[5]);
    expect(mark!.median).toBeCloseTo(median, 9);
    expect(mark!.mad).toBeCloseTo(mad, 9);
    // Iglewicz and Hoaglin's modified z-score: 0.6745 (x - median) / MAD, an outlier beyond 3.5.
    expect(mark!.score).toBeCloseTo((0.6745 * (tg[5]! - median)) / mad, 6);
    expect(mark!.score).toBeLessThan(-3.5);
    expect(mark!.rule).toMatch(/0\.6745.*MAD.*3\.5.*5 or more.*Iglewicz & Hoaglin 1993/);
    // Prompt processing scales with the same speed: marked too. Nothing else is checked (latency, energy).
    expect(far.outliers.map((o) => o.metric)).toContain("pp_tps");
    expect(far.outliers.every((o) => !["ttft_ms", "avg_w", "tokens_per_j"].includes(o.metric))).toBe(true);
    for (const v of views.slice(0, 5)) expect(v.runs[0]!.outliers).toEqual([]);

    // The mark changes nothing stored: the configuration's median is the median of all six runs, the far one included.
    const rows = ((await (await call("/api/v1/leaderboard?board=intel-nuc-4x4")).json()) as RankedPage).rows;
    const row = rows.find((r) => r.id === configurationId)!;
    expect(row.submissions).toBe(6);
    expect(row.metrics.tg_tps).toBe(median);

    // The result page shows the badge and the rule beside the run's heading; a run without marks shows neither.
    const page = await (await call(`/results/${ids[5]}`)).text();
    expect(page).toContain('class="badge unconfirmed outlier"');
    expect(page).toMatch(/Outlier within its configuration: Generation tokens\/s .* against the configuration&#39;s median/);
    expect(page).toContain("Iglewicz &amp; Hoaglin 1993");
    expect(await (await call(`/results/${ids[0]}`)).text()).not.toContain("Outlier within its configuration");
  });

  it("marks nothing while the configuration has 4 runs, and the far run once a fifth arrives", async () => {
    const ids = await configurationOf("mac-mini-m4", [1, 1.01, 0.99, 0.3]);
    for (const id of ids) expect((await result(id)).runs[0]!.outliers).toEqual([]);
    await configurationOf("mac-mini-m4", [1.02]);
    expect((await result(ids[3]!)).runs[0]!.outliers.map((o) => o.metric)).toContain("tg_tps");
    for (const id of ids.slice(0, 3)) expect((await result(id)).runs[0]!.outliers).toEqual([]);
  });

  it("the contract's rule: the score is 0.6745 (x - median) / MAD; |score| above 3.5 marks; under 5 values or a MAD of 0, nothing", () => {
    expect(OUTLIER_RULE).toMatchObject({ madScale: 0.6745, threshold: 3.5, minRuns: 5 });
    // median 10, absolute deviations 0, 1, 1, 2, 2: MAD 1.
    const values = [8, 9, 10, 11, 12];
    expect(outlierScore(values, 12)).toEqual({ median: 10, mad: 1, score: 2 * 0.6745 });
    const edge = 10 + 3.5 / 0.6745;
    expect(isOutlier(outlierScore(values, edge - 1e-9))).toBe(false);
    expect(isOutlier(outlierScore(values, edge + 1e-9))).toBe(true);
    expect(outlierScore(values.slice(0, 4), 1000)).toBeNull();
    expect(outlierScore([5, 5, 5, 6, 100], 100)).toBeNull(); // more than half equal: no spread to measure a distance in
    expect(isOutlier(null)).toBe(false);
  });
});
