/** HellaSwag accuracy from per-task choices: the key, the score and its standard error, what ranks, and what the schema refuses. */
import { computeMetrics, HELLASWAG_SUBSET, ResultDocument, scoreAccuracy } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { buildDocument } from "../../fixtures/documents.js";

const subset = { id: HELLASWAG_SUBSET.id, sha256: HELLASWAG_SUBSET.sha256 };
const key = [...HELLASWAG_SUBSET.labels].map(Number);
/** The key with the first `wrong` answers changed. */
const choicesWith = (wrong: number, n = key.length) => key.slice(0, n).map((c, i) => (i < wrong ? (c + 1) % 4 : c));

describe("scoreAccuracy", () => {
  it("counts the choices that match the key and gives the binomial standard error", () => {
    const s = scoreAccuracy(subset, choicesWith(100))!;
    expect(s).toMatchObject({ tasks: 400, correct: 300, accuracy: 0.75, full: true });
    expect(s.stderr).toBeCloseTo(Math.sqrt((0.75 * 0.25) / 400), 12);
    expect(scoreAccuracy(subset, choicesWith(0))).toMatchObject({ correct: 400, accuracy: 1, stderr: 0 });
  });

  it("scores a quick check over the first N tasks, marked not full", () => {
    expect(scoreAccuracy(subset, choicesWith(10, 40))).toMatchObject({ tasks: 40, correct: 30, accuracy: 0.75, full: false });
  });

  it("has no score for an unknown subset, another file under the same id, or more choices than tasks", () => {
    expect(scoreAccuracy({ ...subset, id: "other" }, choicesWith(0))).toBeNull();
    expect(scoreAccuracy({ ...subset, sha256: "0".repeat(64) }, choicesWith(0))).toBeNull();
    expect(scoreAccuracy(subset, [...choicesWith(0), 0])).toBeNull();
  });
});

describe("the accuracy metric", () => {
  const withAccuracy = (accuracy: unknown) => {
    const doc = buildDocument();
    return { ...doc, runs: doc.runs.map((r) => ({ ...r, accuracy })) } as ResultDocument;
  };

  it("ranks a full run in percent with its standard error; a quick check or a not-measured run has none", () => {
    const full = withAccuracy({ status: "measured", benchmark: "hellaswag", subset, choices: choicesWith(100) });
    const m = computeMetrics({ run: full.runs[0]!, doc: full }).hellaswag_acc!;
    expect(m.value).toBeCloseTo(75, 10);
    expect(m.stddev).toBeCloseTo(100 * Math.sqrt((0.75 * 0.25) / 400), 10);
    const quick = withAccuracy({ status: "measured", benchmark: "hellaswag", subset, choices: choicesWith(10, 40) });
    expect(computeMetrics({ run: quick.runs[0]!, doc: quick }).hellaswag_acc).toBeUndefined();
    const none = withAccuracy({ status: "not-measured", benchmark: "hellaswag", reason: "the server returns no log-probabilities" });
    expect(computeMetrics({ run: none.runs[0]!, doc: none }).hellaswag_acc).toBeUndefined();
  });

  it("the schema takes choices only: an accuracy figure, a choice outside 0-3 or an empty list is refused", () => {
    const ok = { status: "measured", benchmark: "hellaswag", subset, choices: [0, 1, 2, 3] };
    expect(ResultDocument.safeParse(withAccuracy(ok)).success).toBe(true);
    for (const bad of [
      { ...ok, accuracy: 0.99 },
      { ...ok, choices: [0, 4] },
      { ...ok, choices: [] },
      { ...ok, choices: [1.5] },
      { status: "not-measured", benchmark: "hellaswag" },
      { status: "measured", benchmark: "mmlu", subset, choices: [0] },
    ])
      expect(ResultDocument.safeParse(withAccuracy(bad)).success, JSON.stringify(bad)).toBe(false);
  });
});
