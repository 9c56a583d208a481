import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { median } from "@edgebench/contract";
import { createDb } from "../../workers/db.js";
import { setSubmissionStatus } from "../../workers/queries/moderation.js";
import type { LeaderboardPage } from "../../workers/queries/index.js";
import { buildDocument, fixtureKeyPair } from "../fixtures/documents.js";
import { call, ingest } from "./helpers.js";

const page = async (q: string) => (await (await call(`/api/v1/leaderboard${q}`)).json()) as LeaderboardPage;

describe("moderation's data side", () => {
  it("hiding a submission removes it from every aggregate in one batch, and showing it again restores them", async () => {
    const a = await fixtureKeyPair();
    const b = await fixtureKeyPair();
    const speeds = [1, 1.2, 3];
    const ids: string[] = [];
    for (const [i, speed] of speeds.entries()) ids.push(await ingest(buildDocument({ board: "nuc", speed }), i === 2 ? b : a));
    const before = (await page("?board=intel-nuc-4x4")).rows[0]!;
    expect(before.submissions).toBe(3);
    expect(before.contributors).toBe(2);

    const db = createDb(env.DB);
    expect(await setSubmissionStatus(db, ids[2]!, "hidden", "implausible: three times the board's other results")).toBe(true);
    const after = (await page("?board=intel-nuc-4x4")).rows[0]!;
    expect(after.submissions).toBe(2);
    expect(after.contributors).toBe(1);
    expect(after.metrics.tg_tps).toBeCloseTo(median([45 * 1, 45 * 1.2]), 6);
    expect((await call(`/api/v1/submissions/${ids[2]}`)).status).toBe(404);
    const boards = (await (await call("/api/v1/boards")).json()) as { boards: { id: string; submissions: number }[] };
    expect(boards.boards.find((x) => x.id === "intel-nuc-4x4")!.submissions).toBe(2);
    const models = (await (await call("/api/v1/models")).json()) as { models: { slug: string; submissions: number; contributors: number }[] };
    expect(models.models.find((m) => m.slug === "qwen2-5-0-5b-instruct")).toMatchObject({ submissions: 2, contributors: 1 });

    // Hiding every submission of a configuration takes it off the leaderboard.
    for (const id of ids.slice(0, 2)) await setSubmissionStatus(db, id, "hidden", "test");
    expect((await page("?board=intel-nuc-4x4")).rows).toEqual([]);

    for (const id of ids) await setSubmissionStatus(db, id, "visible", null);
    const restored = (await page("?board=intel-nuc-4x4")).rows[0]!;
    expect(restored.submissions).toBe(3);
    expect(restored.metrics.tg_tps).toBeCloseTo(before.metrics.tg_tps!, 9);
    expect(await setSubmissionStatus(db, "0".repeat(64), "hidden", null)).toBe(false);
  });
});
