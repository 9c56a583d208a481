/**
 * A metric added to the contract's list reaches results stored before it: the
 * cron pass (workers/index.ts scheduled) recomputes the figures of every
 * result of an older FIGURES_VERSION from its stored signed document, then the
 * aggregation step recomputes their configurations. Simulated here by storing
 * results, then making their stored figures those of an older list (one metric
 * missing, another's value stale, the version older).
 */

import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { FIGURES_VERSION } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { forgetVersion } from "../../workers/cache/version.js";
import worker from "../../workers/index.js";
import type { RankedPage } from "../../workers/ranking/rank.js";
import type { SubmissionView } from "../../workers/read/submissions.js";
import { buildDocument, fixtureKeyPair } from "../fixtures/documents.js";
import { call, ingest } from "./helpers.js";

const rows = async (q: string) => (await env.DB.prepare(q).all()).results;

describe("figures of an older metric list", () => {
  it("are recomputed from the stored documents by the cron pass, and the rankings follow", async () => {
    const k = await fixtureKeyPair();
    const ids = [
      await ingest(buildDocument({ board: "rpi5", seed: 61 }), k),
      await ingest(buildDocument({ board: "rock5b", seed: 62, envelope: { widthMm: 100, depthMm: 75, heightMm: 30 } }), k),
    ];
    const view = async (id: string) => (await (await call(`/api/v1/submissions/${id}`)).json()) as SubmissionView;
    const current = await Promise.all(ids.map(view));
    const ranked = async () => (await (await call("/api/v1/leaderboard?sort=tps_per_cm2")).json()) as RankedPage;
    const before = await ranked();
    expect(before.rows).toHaveLength(2);

    // As stored under a list without tps_per_cm2 and with another tg_tps formula.
    await env.DB.batch([
      env.DB.prepare("UPDATE runs SET figures = json_set(json_remove(figures, '$.tps_per_cm2'), '$.tg_tps.value', 1.5)"),
      env.DB.prepare("UPDATE submissions SET figures_version = '0.older'"),
      env.DB.prepare("DELETE FROM configuration_metrics WHERE metric = 'tps_per_cm2'"),
      env.DB.prepare("UPDATE registry_version SET version = version + 1, salt = lower(hex(randomblob(8))) WHERE id = 1"),
    ]);
    forgetVersion(); // as after any write in this isolate: the next read asks D1 for the version
    expect((await ranked()).rows).toEqual([]);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env);
    await waitOnExecutionContext(ctx);

    expect(await rows("SELECT DISTINCT figures_version FROM submissions")).toEqual([{ figures_version: FIGURES_VERSION }]);
    for (const [i, id] of ids.entries()) expect((await view(id)).runs.map((r) => r.metrics)).toEqual(current[i]!.runs.map((r) => r.metrics));
    const after = await ranked();
    expect(after.rows.map((r) => [r.id, r.metrics])).toEqual(before.rows.map((r) => [r.id, r.metrics]));
    expect(await (await call("/api/v1/status")).json()).toEqual({ pending: 0 });
  });
});
