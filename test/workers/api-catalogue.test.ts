import { METRICS } from "@edgebench/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { matchBoard } from "../../db/catalogue/index.js";
import { resolveSize } from "../../workers/ingest/identity.js";
import type { BoardDetail, BoardSummary } from "../../workers/read/boards.js";
import type { ModelDetail, ModelFamily } from "../../workers/read/models.js";
import { buildDocument, FIXTURE_MODELS, fixtureKeyPair } from "../fixtures/documents.js";
import { call, type ErrorJson, ingest } from "./helpers.js";

// Which names match which catalogue entry: test/node/catalogue/catalogue.test.ts.
describe("board catalogue", () => {
  it("prefers a declared envelope, replaces a claimed 'catalogue' envelope by the registry's own, and takes the footprint from the board size", () => {
    const mac = matchBoard("Mac16,10");
    const declared = { widthMm: 1, depthMm: 2, heightMm: 3, source: "declared" as const };
    expect(resolveSize(declared, mac)).toEqual({ envelope: declared, footprint: { widthMm: 1, depthMm: 2, source: "declared" } });
    const claimed = { widthMm: 1, depthMm: 2, heightMm: 3, source: "catalogue" as const };
    // A computer sold as a chassis: its footprint is the chassis'.
    expect(resolveSize(claimed, mac)).toEqual({
      envelope: { widthMm: 127, depthMm: 127, heightMm: 50, source: "catalogue" },
      footprint: { widthMm: 127, depthMm: 127, source: "catalogue" },
    });
    // A Pi 5 has a sourced board size but no sourced height: a footprint, no envelope (never invented).
    expect(resolveSize(undefined, matchBoard("Raspberry Pi 5 Model B Rev 1.0"))).toEqual({
      envelope: null,
      footprint: { widthMm: 85, depthMm: 56, source: "catalogue" },
    });
    expect(resolveSize(undefined, null)).toEqual({ envelope: null, footprint: null });
  });
});

describe("boards, models and metrics endpoints", () => {
  beforeAll(async () => {
    const a = await fixtureKeyPair();
    const b = await fixtureKeyPair();
    await ingest(buildDocument({ board: "rpi5", models: ["qwen2.5-0.5b-q4_k_m", "qwen2.5-0.5b-q8_0"] }), a);
    await ingest(buildDocument({ board: "rpi5", speed: 1.05 }), b);
    await ingest(buildDocument({ board: "orin-nano", models: ["qwen2.5-0.5b-q4_k_m", "tiny-local-q8_0"] }), a);
    await ingest(buildDocument({ board: "custom", models: ["tiny-local-q8_0"] }), b);
  });

  it("lists catalogue boards and boards seen, with counts", async () => {
    const { boards } = (await (await call("/api/v1/boards")).json()) as { boards: BoardSummary[] };
    const byId = new Map(boards.map((b) => [b.id, b]));
    expect(byId.get("raspberry-pi-5")).toMatchObject({ inCatalogue: true, submissions: 2, contributors: 2, configurations: 2 });
    const orin = byId.get("jetson-orin-nano-devkit")!;
    expect(orin).toMatchObject({ submissions: 1, envelope: { value: { widthMm: 103, depthMm: 90.5, heightMm: 34.77 }, unverified: true } });
    // Every catalogue figure names where it comes from, with a public link where one exists, never a file outside the repository.
    for (const figure of [orin.pcbMm, orin.envelope, orin.bandwidthGBps]) {
      expect(figure!.sources.length).toBeGreaterThan(0);
      for (const s of figure!.sources) expect(s.url ?? "").not.toMatch(/shared\/|reference\//);
    }
    expect(orin.bandwidthGBps).toMatchObject({ value: 102 });
    expect(byId.get("acme-edgebox-x1")).toMatchObject({ inCatalogue: false, name: "Acme EdgeBox X1", submissions: 1 });
    // Catalogue boards nobody has submitted yet are listed with zero counts.
    expect(byId.get("khadas-vim3-vim4")).toMatchObject({ submissions: 0, configurations: 0 });
    expect(boards[0]!.id).toBe("raspberry-pi-5");
  });

  it("serves one board with its configurations, and 404s an unknown one", async () => {
    const detail = (await (await call("/api/v1/boards/raspberry-pi-5")).json()) as BoardDetail;
    expect(detail.board.name).toBe("Raspberry Pi 5");
    expect(detail.rows.map((r) => r.quantisation).sort()).toEqual(["Q4_K_M", "Q8_0"]);
    const missing = await call("/api/v1/boards/no-such-board");
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorJson).error.code).toBe("not_found");
  });

  it("lists model families with their variants side by side and counts", async () => {
    const { models } = (await (await call("/api/v1/models")).json()) as { models: ModelFamily[] };
    const qwen = models.find((m) => m.slug === "qwen2-5-0-5b-instruct")!;
    expect(qwen.submissions).toBe(3);
    expect(qwen.contributors).toBe(2);
    expect(qwen.boards).toBe(2);
    expect(qwen.variants.map((v) => [v.quantisation, v.submissions])).toEqual([
      ["Q4_K_M", 3],
      ["Q8_0", 1],
    ]);
    // A model without a sha256 is identified by name + quantisation.
    const tiny = models.find((m) => m.slug === "edgebench-tiny")!;
    expect(tiny.variants).toEqual([expect.objectContaining({ id: "edgebench-tiny~q8-0", sha256: null, boards: 2 })]);
  });

  it("serves a model family by slug or by a variant id with every board's rows", async () => {
    const bySlug = (await (await call("/api/v1/models/qwen2-5-0-5b-instruct")).json()) as ModelDetail;
    const byVariant = (await (await call(`/api/v1/models/${FIXTURE_MODELS["qwen2.5-0.5b-q8_0"].model.sha256}`)).json()) as ModelDetail;
    expect(byVariant.slug).toBe(bySlug.slug);
    expect(new Set(bySlug.rows.map((r) => `${r.boardId}/${r.quantisation}`))).toEqual(
      new Set(["raspberry-pi-5/Q4_K_M", "raspberry-pi-5/Q8_0", "jetson-orin-nano-devkit/Q4_K_M"]),
    );
    expect((await call("/api/v1/models/nothing")).status).toBe(404);
  });

  it("ranks energy in the first preferred scope that has results when none is asked", async () => {
    // This database has soc-rails (Pi 5 PMIC) and module-input (Jetson INA3221) results, no wall or board-input.
    const page = (await (await call("/api/v1/leaderboard?sort=tokens_per_j")).json()) as { scope: string; rows: { meterScope: string }[] };
    expect(page.scope).toBe("module-input");
    expect(page.rows.length).toBeGreaterThan(0);
    expect(page.rows.every((r) => r.meterScope === "module-input")).toBe(true);
  });

  it("publishes the METRICS definitions", async () => {
    const { metrics } = (await (await call("/api/v1/metrics")).json()) as { metrics: { id: string; better: string; unit: string }[] };
    expect(metrics.map((m) => m.id)).toEqual(METRICS.map((m) => m.id));
    expect(metrics.find((m) => m.id === "ttft_ms")).toMatchObject({ better: "lower", unit: "ms" });
  });

  it("answers health, and unknown routes in the error shape", async () => {
    expect(await (await call("/api/v1/health")).json()).toEqual({ ok: true });
    const res = await call("/api/v1/nope");
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorJson).error).toMatchObject({ code: "not_found" });
  });
});
