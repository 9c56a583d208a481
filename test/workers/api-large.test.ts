/**
 * The largest documents the registry takes: a 64-run sweep (the schema's
 * maximum) with 100 repetitions and power traces per test, about 1.4 MB. It
 * must be stored in one batch within D1's limits (100 bound parameters per
 * statement, 2 MB per row) and make 64 configurations.
 */

import { LIMITS, type ModelRun } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../workers/api/submissions.js";
import { buildDocument, fixtureKeyPair, signed } from "../fixtures/documents.js";
import { call, postJson } from "./helpers.js";

describe("large documents", () => {
  it("stores a 64-run sweep with traces in one batch and ranks every run", async () => {
    const doc = buildDocument({
      board: "orin-nano",
      reps: LIMITS.maxReps,
      seed: 5,
      mutate: (d) => {
        const template = d.runs[0]!;
        d.runs = Array.from({ length: LIMITS.maxRuns }, (_, i): ModelRun => {
          const run = structuredClone(template);
          run.settings.threads = 1 + (i % 8);
          run.settings.gpuLayers = Math.floor(i / 8) * 4;
          for (const t of run.tests) {
            for (const e of t.energy ?? []) {
              e.trace = { tMs: Array.from({ length: 200 }, (_, k) => k * 50), w: Array.from({ length: 200 }, (_, k) => 12 + (k % 7) * 0.25) };
            }
          }
          return run;
        });
      },
    });
    const keys = await fixtureKeyPair();
    const { id, body } = await signed(doc, keys);
    const text = JSON.stringify(body);
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(text.length).toBeLessThan(MAX_BODY_BYTES);
    const res = await postJson(text);
    expect(res.status, await res.clone().text()).toBe(201);

    const page = (await (await call("/api/v1/leaderboard?board=jetson-orin-nano-devkit&limit=100&group=configuration")).json()) as {
      total: number;
      rows: { submissions: number; threads: number; gpuLayers: number }[];
    };
    expect(page.total).toBe(64);
    expect(new Set(page.rows.map((r) => `${r.threads}/${r.gpuLayers}`)).size).toBe(64);
    const view = (await (await call(`/api/v1/submissions/${id}`)).json()) as { runs: unknown[] };
    expect(view.runs).toHaveLength(64);
  });
});
