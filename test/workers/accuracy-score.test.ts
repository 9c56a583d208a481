/**
 * The registry scores HellaSwag from the per-task choices a document carries,
 * against the answer key it holds (contract/src/hellaswag.ts): a document has
 * no field for its own accuracy, a quick check over fewer tasks is kept but
 * not ranked, and choices for a subset whose file differs from the key's score
 * nothing.
 */
import { HELLASWAG_SUBSET, type ResultDocument } from "@edgebench/contract";
import { beforeAll, describe, expect, it } from "vitest";
import type { RankedPage } from "../../workers/ranking/rank.js";
import { buildDocument, type FixtureKeyPair, keyPairFromSeed, signed } from "../fixtures/documents.js";
import { call, type ErrorJson, postJson, submit } from "./helpers.js";

let keys: FixtureKeyPair;
beforeAll(async () => {
  keys = await keyPairFromSeed(77);
});

const key = [...HELLASWAG_SUBSET.labels].map(Number);
/** The first `right` tasks answered as the key says, the rest one ending off. */
const choicesWith = (right: number, tasks = HELLASWAG_SUBSET.tasks) => key.slice(0, tasks).map((label, i) => (i < right ? label : (label + 1) % 4));

function withChoices(choices: number[], seed: number, subset = { id: HELLASWAG_SUBSET.id, sha256: HELLASWAG_SUBSET.sha256 }): ResultDocument {
  return buildDocument({
    board: "rock5b",
    seed,
    mutate: (d) => {
      d.runs[0]!.accuracy = { status: "measured", benchmark: "hellaswag", subset, choices };
    },
  });
}

type View = { runs: { metrics: Record<string, { value: number; stddev?: number }> }[] };
const metricsOf = async (id: string) => ((await (await call(`/api/v1/submissions/${id}`)).json()) as View).runs[0]!.metrics;

describe("HellaSwag accuracy is the registry's score of the choices", () => {
  it("refuses a document that states its own accuracy figure", async () => {
    const forged = withChoices(choicesWith(0), 1);
    Object.assign(forged.runs[0]!.accuracy!, { accuracy: 0.99 });
    const { body } = await signed(forged, keys);
    const res = await postJson(body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(((await res.json()) as ErrorJson).error.details)).toContain("accuracy");
  });

  it("scores 200 right of 400 as 50 % with a standard error of 2.5 points, from the key alone", async () => {
    const { res, id } = await submit(withChoices(choicesWith(200), 2), keys);
    expect(res.status).toBe(201);
    const m = await metricsOf(id);
    // p = 0.5, n = 400: sqrt(0.5 * 0.5 / 400) = 0.025.
    expect(m.hellaswag_acc!.value).toBeCloseTo(50, 12);
    expect(m.hellaswag_acc!.stddev).toBeCloseTo(2.5, 12);
  });

  it("keeps a quick check over 40 tasks but neither figures nor ranks it", async () => {
    const { res, id } = await submit(withChoices(choicesWith(40, 40), 3), keys);
    expect(res.status).toBe(201);
    expect((await metricsOf(id)).hellaswag_acc).toBeUndefined();
    const page = (await (await call("/api/v1/leaderboard?sort=hellaswag_acc&limit=500")).json()) as RankedPage;
    const ranked = page.rows.map((r) => r.metrics.hellaswag_acc);
    // Only the 400-task run of the test above ranks, at its 50 %.
    expect(ranked).toEqual([50]);
  });

  it("scores nothing for choices over a file other than the key's", async () => {
    const { res, id } = await submit(withChoices(choicesWith(400), 4, { id: HELLASWAG_SUBSET.id, sha256: "0".repeat(64) }), keys);
    expect(res.status).toBe(201);
    expect((await metricsOf(id)).hellaswag_acc).toBeUndefined();
  });

  it("refuses a choice that is not an ending (0-3)", async () => {
    const bad = choicesWith(10);
    bad[5] = 4;
    const { body } = await signed(withChoices(bad, 5), keys);
    const res = await postJson(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorJson).error.code).toBe("invalid_document");
  });
});
