/** Plausibility rules (workers/ingest/plausibility.ts) as pure functions, inside workerd. */

import { ResultDocument } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { ACCELERATOR_CEILING, bandwidthCeiling, CPU_CEILING } from "../../workers/ingest/bandwidth.js";
import { boardIdFor } from "../../workers/ingest/identity.js";
import { assessPlausibility, bytesPerToken, SUITE_EPOCH } from "../../workers/ingest/plausibility.js";
import { buildDocument, FIXTURE_BOARDS, FIXTURE_MODELS, type FixtureBoardId, type FixtureOptions } from "../fixtures/documents.js";

const NOW = Date.parse("2026-11-21T12:00:00Z");
const assess = (opts: FixtureOptions) => {
  const doc = buildDocument(opts);
  return assessPlausibility(doc, boardIdFor(doc.system.board, "abcd:ef01:2345:6789").id, NOW);
};
const rules = (xs: { rule: string }[]) => xs.map((x) => x.rule);

describe("plausibility", () => {
  it("passes every realistic fixture board and model untouched", () => {
    for (const board of Object.keys(FIXTURE_BOARDS) as FixtureBoardId[]) {
      for (const model of Object.keys(FIXTURE_MODELS) as (keyof typeof FIXTURE_MODELS)[]) {
        const v = assess({ board, models: [model], seed: 3 });
        expect({ board, model, ...v }).toEqual({ board, model, refuse: [], flag: [] });
      }
    }
  });

  it("flags generation above the board's memory-bandwidth roofline by more than 1.5x", () => {
    // Pi 5: 17 GB/s peak (the catalogue's vendor figure); 491 MB per token => 34.6 tokens/s at peak, 51.9 tokens/s at 1.5x.
    expect(rules(assess({ board: "rpi5", speed: 2.5 }).flag)).toEqual([]); // 50 tokens/s
    const v = assess({ board: "rpi5", speed: 3 }); // tg128 60 tokens/s; tg128@d2048 48 tokens/s stays under
    expect(rules(v.flag)).toEqual(["above_bandwidth_roofline"]);
    expect(v.flag[0]!.message).toMatch(/17\.0 GB\/s/);
    // The message cites the catalogue figure's public source, never a file outside the repository.
    expect(v.flag[0]!.message).toMatch(/BCM2712|raspberrypi/i);
    expect(v.refuse).toEqual([]);
  });

  it("uses conservative ceilings where the board or the memory is unknown", () => {
    expect(bandwidthCeiling("acme-edgebox-x1", "cpu").bytesPerSecond).toBe(CPU_CEILING);
    expect(bandwidthCeiling("intel-nuc-4x4", "cuda").bytesPerSecond).toBe(ACCELERATOR_CEILING); // an eGPU has its own memory
    expect(bandwidthCeiling("jetson-orin-nano-devkit", "cuda").bytesPerSecond).toBe(102e9); // unified memory bounds the GPU too
    expect(rules(assess({ board: "custom", speed: 100 }).flag)).toEqual([]); // 800 tokens/s x 491 MB = 393 GB/s < 1 TB/s
    expect(rules(assess({ board: "custom", speed: 1000 }).flag)).toContain("above_bandwidth_roofline");
  });

  it("bounds bytes per token from parameters and quantisation when the file size is missing", () => {
    expect(bytesPerToken({ name: "m", quantisation: "Q8_0", parameters: 1000 })).toBe(1062.5);
    expect(bytesPerToken({ name: "m", quantisation: "Q4_K_M", parameters: 1000, sizeBytes: 700 })).toBe(700);
    expect(bytesPerToken({ name: "m", quantisation: "MYSTERY", parameters: 1000 })).toBeNull();
  });

  it("flags average power below what the meter scope can see on a board running an LLM", () => {
    expect(rules(assess({ board: "rock5b", loadW: 0.3 }).flag)).toContain("power_below_scope_floor"); // wall meter
    expect(rules(assess({ board: "nuc", loadW: 0.3 }).flag)).not.toContain("power_below_scope_floor"); // RAPL package: 0.05 W floor
    expect(rules(assess({ board: "nuc", loadW: 0.01 }).flag)).toContain("power_below_scope_floor");
  });

  it("flags idle power above load power", () => {
    const v = assess({ board: "rpi5", loadW: 1.5 }); // idle 2.4 W
    expect(rules(v.flag)).toContain("idle_above_load");
    expect(rules(assess({ board: "rpi5", loadW: 2.3 }).flag)).not.toContain("idle_above_load"); // within meter noise
  });

  it("refuses a createdAt before the suite existed", () => {
    const v = assess({ createdAt: "2019-05-01T00:00:00Z" });
    expect(rules(v.refuse)).toEqual(["created_before_suite"]);
    expect(rules(assess({ createdAt: SUITE_EPOCH }).refuse)).toEqual([]);
  });

  it("refuses repetitions faster than physically possible", () => {
    // pp512 has no meter energy in this document, so only the timing rule fires.
    const v = assess({ meter: null, mutate: (d) => (d.runs[0]!.tests[0]!.samplesNs = [1, 1, 1, 1, 1]) });
    expect(rules(v.refuse)).toEqual(["sample_too_short"]);
    expect(v.refuse[0]!.path).toEqual(["runs", 0, "tests", 0, "samplesNs"]);
    // With energy measured over a 1 ns repetition the power is impossible too.
    const both = assess({ mutate: (d) => (d.runs[0]!.tests[0]!.samplesNs = [1, 1, 1, 1, 1]) });
    expect(rules(both.refuse)).toEqual(["sample_too_short", "power_beyond_physical"]);
  });

  it("refuses power beyond any device and numbers beyond 2^53", () => {
    expect(rules(assess({ loadW: 200_000 }).refuse)).toContain("power_beyond_physical");
    expect(rules(assess({ mutate: (d) => (d.system.memory.totalBytes = 2 ** 53 + 2) }).refuse)).toEqual(["number_out_of_range"]);
  });

  it("refuses a power trace whose timestamps go backwards", () => {
    const v = assess({
      mutate: (d) => {
        d.runs[0]!.tests[1]!.energy![0]!.trace = { tMs: [0, 100, 50], w: [5, 5, 5] };
      },
    });
    expect(rules(v.refuse)).toEqual(["trace_out_of_order"]);
  });

  it("NaN, Infinity and negative figures never reach these rules: the schema refuses them", () => {
    const negative = buildDocument({ mutate: (d) => (d.runs[0]!.tests[1]!.energy![0]!.joulesPerRep![0] = -1) });
    expect(ResultDocument.safeParse(negative).success).toBe(false);
    const huge = JSON.parse(JSON.stringify(buildDocument()).replace('"peakW":7.475', '"peakW":1e309'));
    expect(huge.runs[0].tests[0].energy[0].peakW).toBe(Infinity);
    expect(ResultDocument.safeParse(huge).success).toBe(false);
    const nan = buildDocument({ mutate: (d) => (d.runs[0]!.tests[0]!.energy![0]!.peakW = Number.NaN) });
    expect(ResultDocument.safeParse(nan).success).toBe(false);
    const negativeTime = buildDocument({ mutate: (d) => (d.runs[0]!.tests[0]!.samplesNs[0] = -5) });
    expect(ResultDocument.safeParse(negativeTime).success).toBe(false);
  });
});
