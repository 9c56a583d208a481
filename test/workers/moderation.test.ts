import { env } from "cloudflare:workers";
import { median } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { createDb } from "../../workers/db.js";
import { hideSubmission, restoreSubmission } from "../../workers/moderation/actions.js";
import type { RankedPage as LeaderboardPage } from "../../workers/ranking/rank.js";
import { buildDocument, fixtureKeyPair } from "../fixtures/documents.js";
import { call, ingest } from "./helpers.js";

const page = async (q: string) => (await (await call(`/api/v1/leaderboard${q}`)).json()) as LeaderboardPage;

describe("moderation's data side", () => {
  it("hiding a submission removes it from every aggregate before the action returns, and restoring it brings them back", async () => {
    const a = await fixtureKeyPair();
    const b = await fixtureKeyPair();
    const speeds = [1, 1.2, 3];
    const ids: string[] = [];
    for (const [i, speed] of speeds.entries()) ids.push(await ingest(buildDocument({ board: "nuc", speed }), i === 2 ? b : a));
    const before = (await page("?board=intel-nuc-4x4")).rows[0]!;
    expect(before.submissions).toBe(3);
    expect(before.contributors).toBe(2);

    const db = createDb(env.DB);
    expect(await hideSubmission(db, ids[2]!, "implausible: three times the board's other results", "test")).toBe(1);
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
    for (const id of ids.slice(0, 2)) await hideSubmission(db, id, "test", "test");
    expect((await page("?board=intel-nuc-4x4")).rows).toEqual([]);

    for (const id of ids) await restoreSubmission(db, id, "test", "test");
    const restored = (await page("?board=intel-nuc-4x4")).rows[0]!;
    expect(restored.submissions).toBe(3);
    expect(restored.metrics.tg_tps).toBeCloseTo(before.metrics.tg_tps!, 9);
    expect(await hideSubmission(db, "0".repeat(64), "test", "test")).toBe(0);
    // Nothing is left for the aggregation step: moderation ran it before returning.
    expect(await (await call("/api/v1/status")).json()).toEqual({ pending: 0 });
  });
});
