/**
 * The ingest's median state (workers/queries/median-state.ts) against values
 * worked out here from the stored runs, after every upload: per figure, n,
 * lo (the value at rank (n-1)/2), below (how many values are smaller) and
 * the median (the contract's median()). The speeds move the middle down and
 * up by one and by two ranks (two runs of one configuration in an upload),
 * across ties, so every walk (up, down, from the start) and the count that
 * moves `below` both ways are taken.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { median, METRIC_IDS } from "@edgebench/contract";
import { buildDocument, fixtureKeyPair } from "../fixtures/documents.js";
import { ingest } from "./helpers.js";

const rows = async (q: string) => (await env.DB.prepare(q).all()).results;
const FIGURES = METRIC_IDS.flatMap((id) => [id, `${id}_sd`]);

/** What the state must hold for these values. */
function expected(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const lo = s[(s.length - 1) >> 1]!;
  return { n: s.length, lo, below: s.filter((x) => x < lo).length, median: median(s) };
}

describe("ingest median state", () => {
  it("holds n, lo, below and the median of the stored values after every upload, the middle moving both ways", async () => {
    const keys = [await fixtureKeyPair(), await fixtureKeyPair()];
    // Down (each upload below the middle), up, ties, then two runs per upload (the middle moves by two ranks).
    const plan: { speed: number; runs: number }[] = [
      ...[1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45].map((speed) => ({ speed, runs: 1 })),
      ...[1.5, 1.6, 1.7, 1.8, 0.8, 0.8, 0.8].map((speed) => ({ speed, runs: 1 })),
      ...[0.3, 0.2, 2, 2.1, 0.8, 0.1].map((speed) => ({ speed, runs: 2 })),
    ];
    const config = "SELECT id FROM configurations WHERE board_id = 'radxa-rock-5b' AND threads = 3";
    let checked = 0;
    for (const [i, { speed, runs }] of plan.entries()) {
      const createdAt = new Date(Date.parse("2026-11-02T00:00:00Z") + i * 60_000).toISOString();
      const models = Array.from({ length: runs }, () => "qwen2.5-0.5b-q4_k_m" as const);
      await ingest(buildDocument({ board: "rock5b", threads: 3, speed, createdAt, models }), keys[i % 2]!);
      const id = ((await rows(config))[0] as { id: string }).id;
      const values = (await rows(`SELECT ${FIGURES.join(", ")} FROM runs WHERE configuration_id = '${id}' AND visible = 1`)) as Record<string, number | null>[];
      const state = (await rows(`SELECT figure, n, lo, below, median FROM configuration_medians WHERE configuration_id = '${id}'`)) as {
        figure: string; n: number; lo: number | null; below: number; median: number | null;
      }[];
      const stored = (await rows(`SELECT ${FIGURES.join(", ")} FROM configurations WHERE id = '${id}'`))[0] as Record<string, number | null>;
      for (const f of FIGURES) {
        const xs = values.flatMap((v) => (v[f] === null ? [] : [v[f]!]));
        const s = state.find((r) => r.figure === f);
        if (xs.length === 0) {
          expect(s?.n ?? 0, `${f} after upload ${i + 1}`).toBe(0);
          expect(stored[f]).toBeNull();
          continue;
        }
        expect(s, `${f} after upload ${i + 1}`).toEqual({ figure: f, ...expected(xs) });
        expect(stored[f], `${f} after upload ${i + 1}`).toBe(median(xs));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(plan.length * 5);
  });
});
