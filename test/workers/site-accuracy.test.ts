/**
 * Task accuracy on the site, rendered by the real Worker inside workerd over a
 * real local D1 filled with signed documents: the leaderboard and the model
 * page show HellaSwag accuracy ± its standard error beside speed ("not
 * measured" where a configuration has none), the result page shows the
 * registry's own score of the recorded choices (a quick check is shown, not
 * ranked), and accuracy is an axis of the Pareto view.
 *
 * Fixtures (tg = board rate x model speed; accuracy from each fixture model's
 * share of right answers over all 400 tasks; tokens/J = tg / load W):
 *   rock   ROCK 5B, wall:  Q4 tg 24, 34 %, 2.67 tokens/J; Q8 tg 18, 36 %, 2.0; Llama 1B tg 12, 45 %, 1.33
 *   mac    Mac mini, wall: Q4 tg 140, 34 %, 4.67 tokens/J
 *   orin   Orin Nano, module-input: Llama 1B tg 30, 45 %
 *   rpi5   no accuracy test; quick: 40 tasks only (not ranked); nuc: accuracy not measured (a reason)
 * The site ranks within one model; within the Qwen family (Q4_K_M and Q8_0), accuracy against tokens/s,
 * every scope: mac (fastest at 34 %) and rock's Q8 (36 %); against tokens/J, wall scope: the same two.
 */
import { HELLASWAG_SUBSET, type ResultDocument, scoreAccuracy } from "@edgebench/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { axesParam, DEFAULT_PARETO, PARETO_CHOICES, parseState, toQuery } from "../../leaderboard/state.js";
import { buildDocument, type FixtureOptions, keyPairFromSeed, signed } from "../fixtures/documents.js";
import { call, type ErrorJson, ingest, postJson } from "./helpers.js";

const NOT_MEASURED_REASON = "the server returns no log-probabilities";
const ELAPSED_MS = 512_300;

const fixtures: { key: string; options: FixtureOptions }[] = [
  {
    key: "rock",
    options: {
      board: "rock5b",
      seed: 1,
      models: ["qwen2.5-0.5b-q4_k_m", "qwen2.5-0.5b-q8_0", "llama-3.2-1b-q4_k_m"],
      accuracy: true,
      mutate: (d) => {
        const a = d.runs[0]!.accuracy;
        if (a?.status === "measured") a.elapsedMs = ELAPSED_MS;
      },
    },
  },
  { key: "mac", options: { board: "mac-mini-m4", seed: 2, accuracy: true } },
  { key: "orin", options: { board: "orin-nano", seed: 3, models: ["llama-3.2-1b-q4_k_m"], accuracy: true } },
  { key: "rpi5", options: { board: "rpi5", seed: 4 } },
  { key: "quick", options: { board: "rpi5-hailo", seed: 5, accuracy: { tasks: 40 } } },
  {
    key: "nuc",
    options: {
      board: "nuc",
      seed: 6,
      mutate: (d) => {
        d.runs[0]!.accuracy = { status: "not-measured", benchmark: "hellaswag", reason: NOT_MEASURED_REASON };
      },
    },
  },
];

const docs = new Map<string, ResultDocument>();
/** fixture key ("rock#1" for a document's second run) -> configuration id */
const cfg = new Map<string, string>();
const subs = new Map<string, string>();
const keyOf = (id: string) => [...cfg].find(([, v]) => v === id)?.[0] ?? id;

beforeAll(async () => {
  const keys = await keyPairFromSeed(61);
  for (const f of fixtures) {
    const doc = buildDocument({ quality: true, ...f.options });
    docs.set(f.key, doc);
    const id = await ingest(doc, keys);
    subs.set(f.key, id);
    const view = (await (await call(`/api/v1/submissions/${id}`)).json()) as { runs: { configurationId: string }[] };
    view.runs.forEach((r, i) => {
      cfg.set(i === 0 ? f.key : `${f.key}#${i}`, r.configurationId);
    });
  }
});

const html = async (path: string) => {
  const res = await call(path);
  expect(res.status).toBe(200);
  return res.text();
};
const slice = (text: string, start: string, end: string) => {
  const i = text.indexOf(start);
  return i < 0 ? "" : text.slice(i, text.indexOf(end, i));
};
/** Configuration ids of the ranking table's rows, in order. */
const rowOrder = (page: string) =>
  [...slice(page, '<table id="ranking"', "</table>").matchAll(/<tr data-cfg="([0-9a-f]+)"/g)].map((m) => keyOf(m[1]!));
/** One table row's cell for a metric. */
const cell = (page: string, key: string, metric: string) =>
  slice(slice(page, `<tr data-cfg="${cfg.get(key)}"`, "</tr>"), `data-metric="${metric}"`, "</td>");
/** A run's accuracy card on a result page (runs in document order). */
const card = (page: string, run: number) =>
  slice(slice(page, `<section aria-labelledby="run-${run}"`, "</section>"), 'data-field="accuracy"', "</dl>");
const scoreOf = (doc: ResultDocument, run = 0) => {
  const a = doc.runs[run]!.accuracy;
  if (a?.status !== "measured") throw new Error("fixture run has no choices");
  return scoreAccuracy(a.subset, a.choices)!;
};

describe("the leaderboard and the model page show accuracy beside speed", () => {
  it("shows accuracy ± its standard error in the throughput view, and not measured where there is none", async () => {
    // The site ranks within one model: Llama here, the Qwen rows without a figure below.
    const page = await html("/?model=llama-3-2-1b-instruct");
    expect(slice(page, '<table id="ranking"', "</thead>")).toContain('data-sort="hellaswag_acc"');
    // 180 of 400 right: 45 %, standard error sqrt(0.45 x 0.55 / 400) = 2.49 points.
    const llama = cell(page, "rock#2", "hellaswag_acc");
    expect(llama).toContain('data-value="45"');
    expect(llama).toContain(">45.0<");
    expect(llama).toMatch(/<span class="sd" title="± standard error over 400 tasks, %">± 2\.49<\/span>/);
    // The speed columns keep the repetition wording.
    expect(cell(page, "rock#2", "tg_tps")).toContain('title="± standard deviation over repetitions, tokens/s"');
    // No test, a quick check (not ranked) and a runtime that could not score it: not measured, never 0.
    const qwen = await html("/?model=qwen2-5-0-5b-instruct&group=configuration");
    for (const key of ["rpi5", "quick", "nuc"]) expect(cell(qwen, key, "hellaswag_acc")).toContain('<span class="nm">not measured</span>');
    expect(page).toContain("for HellaSwag accuracy, the standard error over 400 tasks");
  });

  it("ranks by accuracy only the configurations that answered all 400 tasks, best first", async () => {
    // Within the Qwen family (both quantisations); the Llama rows are its own ranking's.
    const page = await html("/?model=qwen2-5-0-5b-instruct&sort=hellaswag_acc");
    const order = rowOrder(page);
    expect(new Set(order)).toEqual(new Set(["rock", "rock#1", "mac"]));
    const values = order.map((k) => Number(cell(page, k, "hellaswag_acc").match(/data-value="([\d.]+)"/)![1]));
    expect([...values].sort((a, b) => b - a)).toEqual(values);
  });

  it("shows each quantisation's accuracy on the model page, and the column in its configurations", async () => {
    const page = await html("/models/qwen2-5-0-5b-instruct");
    const quants = slice(page, '<table id="quantisations"', "</table>");
    const q4 = slice(quants, 'data-quant="Q4_K_M"', "</tr>");
    // 136 of 400: 34 %, ± sqrt(0.34 x 0.66 / 400) = 2.37; Q8_0 144 of 400: 36 %.
    expect(q4).toMatch(/data-metric="hellaswag_acc" data-value="34"[^>]*><span>34\.0<\/span><span class="sd"[^>]*>± 2\.37</);
    expect(slice(quants, 'data-quant="Q8_0"', "</tr>")).toContain('data-metric="hellaswag_acc" data-value="36"');
    // Perplexity stays beside it, as before.
    expect(q4).toContain('data-metric="perplexity" data-value="14.2"');
    const configs = slice(page, '<table id="model-configs"', "</table>");
    expect(slice(configs, `<tr data-cfg="${cfg.get("rpi5")}"`, "</tr>")).toMatch(/data-metric="hellaswag_acc"><span class="nm">not measured/);
  });
});

describe("the result page scores the choices itself", () => {
  it("shows the score, the tasks answered, the subset with its source and licence, and the time taken", async () => {
    const page = await html(`/results/${subs.get("rock")}`);
    const score = scoreOf(docs.get("rock")!);
    const first = card(page, 0);
    expect(first).toContain(`data-value="${score.accuracy * 100}"`);
    expect(first).toContain(">34.0 ± 2.37 %<");
    expect(first).toContain("136 of 400 tasks right");
    expect(first).not.toContain("quick check");
    expect(first).toContain(HELLASWAG_SUBSET.id);
    expect(first).toContain("github.com/rowanz/hellaswag");
    expect(first).toContain(HELLASWAG_SUBSET.licence);
    expect(first).toContain(`data-field="accuracy-elapsed">512 s<`);
    // Each run its own score; the figure the registry stored for ranking is the same number.
    expect(card(page, 2)).toContain(`data-value="${scoreOf(docs.get("rock")!, 2).accuracy * 100}"`);
    const api = (await (await call(`/api/v1/submissions/${subs.get("rock")}`)).json()) as { runs: { metrics: Record<string, { value: number }> }[] };
    expect(api.runs[0]!.metrics.hellaswag_acc!.value).toBe(score.accuracy * 100);
  });

  it("says a quick check over fewer tasks is not ranked, with its own score", async () => {
    const page = await html(`/results/${subs.get("quick")}`);
    const score = scoreOf(docs.get("quick")!);
    expect(score.tasks).toBe(40);
    const quick = card(page, 0);
    expect(quick).toContain(`data-value="${score.accuracy * 100}"`);
    expect(quick).toContain(`${score.correct} of 40 tasks right`);
    expect(quick).toContain("quick check over 40 tasks: not ranked");
  });

  it("says why accuracy was not measured, or that the run had no accuracy test", async () => {
    const nuc = slice(await html(`/results/${subs.get("nuc")}`), 'data-field="accuracy"', "</div>");
    expect(nuc).toContain(`<span class="nm">not measured</span>: ${NOT_MEASURED_REASON}`);
    const rpi5 = slice(await html(`/results/${subs.get("rpi5")}`), 'data-field="accuracy"', "</div>");
    expect(rpi5).toContain('<span class="nm">not measured</span>');
    expect(rpi5).not.toContain('data-field="accuracy-score"');
  });

  it("refuses a document that states an accuracy figure of its own, in the accuracy record or beside it", async () => {
    const keys = await keyPairFromSeed(62);
    const forgeries: ((d: ResultDocument) => void)[] = [
      (d) => Object.assign(d.runs[0]!.accuracy!, { accuracy: 99 }),
      (d) => Object.assign(d.runs[0]!, { hellaswag_acc: { value: 99 } }),
    ];
    for (const [i, forge] of forgeries.entries()) {
      const doc = buildDocument({ board: "rock5b", seed: 20 + i, accuracy: true, mutate: forge });
      const res = await postJson((await signed(doc, keys)).body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorJson).error.code).toBe("invalid_document");
    }
  });
});

describe("accuracy as a Pareto axis", () => {
  it("offers accuracy against tokens/s and against tokens per joule, and round-trips the choice in the URL", async () => {
    for (const axes of ["hellaswag_acc,tg_tps", "tokens_per_j,hellaswag_acc"]) {
      expect(PARETO_CHOICES.map(axesParam)).toContain(axes);
      expect(toQuery(parseState(new URLSearchParams(`view=pareto&axes=${axes}`)))).toBe(`?view=pareto&axes=${axes.replace(",", "%2C")}`);
    }
    // A front nobody offers (perplexity compares quantisations of one model only) falls back to the default.
    expect(parseState(new URLSearchParams("axes=perplexity,tg_tps")).pareto).toBe(DEFAULT_PARETO);
    const page = await html("/?view=pareto");
    expect(page).toMatch(/<select name="axes">[\s\S]*<option value="hellaswag_acc,tg_tps">HellaSwag accuracy against generation tokens\/s<\/option>/);
  });

  it("lists the fastest configurations that still answer best, across every meter scope", async () => {
    // Within one model family: the Mac's Q4_K_M is fastest, the ROCK's Q8_0 answers better.
    const page = await html("/?view=pareto&axes=hellaswag_acc%2Ctg_tps&model=qwen2-5-0-5b-instruct");
    expect(new Set(rowOrder(page))).toEqual(new Set(["mac", "rock#1"]));
    // The chart plots accuracy against tokens/s and marks the same front.
    const onFront = [...page.matchAll(/<a class="pt on[^"]*" href="[^"]+" data-cfg="([0-9a-f]+)"/g)].map((m) => keyOf(m[1]!));
    expect(new Set(onFront)).toEqual(new Set(["mac", "rock#1"]));
    expect(page).toContain("HellaSwag accuracy against generation tokens/s");
    expect(page).toContain("across every meter scope");
    // The other views keep the chosen front in their links.
    expect(page).toContain('href="/?view=energy&amp;axes=hellaswag_acc%2Ctg_tps&amp;model=qwen2-5-0-5b-instruct"');
  });

  it("lists the most frugal configurations that still answer best, within one meter scope", async () => {
    const page = await html("/?view=pareto&axes=tokens_per_j%2Chellaswag_acc&model=qwen2-5-0-5b-instruct");
    expect(page).toContain('data-scope="wall"');
    expect(new Set(rowOrder(page))).toEqual(new Set(["mac", "rock#1"]));
  });
});
