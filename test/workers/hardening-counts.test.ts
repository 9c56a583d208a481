/**
 * The ingest batch updates aggregates incrementally (workers/queries/ingest.ts:
 * medians from the per-column indexes, counts moved by one upload under the
 * insertedVisible guard) instead of recounting the registry. After a mix of
 * uploads (several keys, boards and models, two runs in one configuration, a
 * duplicate, a flagged one, a failed run, racing identical uploads, and a
 * replay of the same batch with the same millisecond) every aggregate must
 * equal the full recompute moderation uses.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { canonicalJson, keyFingerprint, median, METRIC_IDS, ResultDocument, submissionId } from "@edgebench/contract";
import { createDb } from "../../workers/db.js";
import { planIngest } from "../../workers/ingest.js";
import { recomputeBoard, recomputeConfiguration, recomputeContributor, recomputeModel, recomputeModelFamily, statement, storeSubmission } from "../../workers/queries/ingest.js";
import { setSubmissionStatus } from "../../workers/queries/moderation.js";
import { revokeKey } from "../../workers/security/moderation-actions.js";
import { rebuildAllMedianStates } from "../../workers/queries/median-state.js";
import app from "../../workers/index.js";
import { buildDocument, fixtureKeyPair, signed, type FixtureKeyPair } from "../fixtures/documents.js";
import { ingest, ORIGIN, postJson, submit } from "./helpers.js";

const rows = async (q: string) => (await env.DB.prepare(q).all()).results;
const FIGURES = "pp_tps, pp_tps_sd, tg_tps, tg_tps_sd, pg_tps, tg_depth_tps, ttft_ms, ttft_ms_sd, avg_w, j_per_token, tokens_per_j, tokens_per_j_sd, tps_per_litre, perplexity";
const snapshot = async () => ({
  models: await rows("SELECT id, submission_count, key_count, board_count FROM models ORDER BY id"),
  families: await rows("SELECT slug, submission_count, key_count, board_count FROM model_families ORDER BY slug"),
  boards: await rows("SELECT id, submission_count, key_count FROM boards ORDER BY id"),
  contributors: await rows("SELECT public_key, submission_count FROM contributors ORDER BY public_key"),
  configurations: await rows(
    `SELECT id, run_count, submission_count, key_count, first_submitted_at, last_submitted_at, latest_submission_id, ${FIGURES} FROM configurations ORDER BY id`,
  ),
});

/** Every aggregate rewritten by the full recompute statements (what moderation runs). */
async function recountAll(): Promise<void> {
  const db = createDb(env.DB);
  const ids = async (q: string) => (await rows(q)).map((r) => Object.values(r)[0] as string);
  await env.DB.batch([
    ...(await ids("SELECT id FROM models")).map((m) => statement(db.$client, recomputeModel(m))),
    ...(await ids("SELECT slug FROM model_families")).map((f) => statement(db.$client, recomputeModelFamily(f))),
    ...(await ids("SELECT id FROM boards")).map((b) => statement(db.$client, recomputeBoard(b))),
    ...(await ids("SELECT public_key FROM contributors")).map((k) => statement(db.$client, recomputeContributor(k))),
    ...(await ids("SELECT id FROM configurations")).map((c) => statement(db.$client, recomputeConfiguration(c))),
  ]);
}

describe("incremental ingest aggregates", () => {
  it("equal a full recount after a mix of uploads, races and replays", async () => {
    const [a, b, c] = [await fixtureKeyPair(), await fixtureKeyPair(), await fixtureKeyPair()];
    await ingest(buildDocument({ board: "rpi5", seed: 1, models: ["qwen2.5-0.5b-q4_k_m", "llama-3.2-1b-q4_k_m"] }), a);
    await ingest(buildDocument({ board: "rpi5", seed: 2 }), a); // same key, same board, same model
    await ingest(buildDocument({ board: "rpi5", seed: 8, speed: 1.1 }), b); // same configuration, another key
    await ingest(buildDocument({ board: "nuc", seed: 3, models: ["qwen2.5-0.5b-q8_0"] }), b); // same family, another variant
    await ingest(buildDocument({ board: "rock5b", seed: 4, models: ["llama-3.2-1b-q4_k_m", "llama-3.2-1b-q4_k_m"], threads: 2 }), c); // two runs, one configuration
    const failed = buildDocument({ board: "orin-nano", seed: 5, models: ["qwen2.5-0.5b-q4_k_m"], mutate: (d) => ((d.runs[0]!.status = "failed"), (d.runs[0]!.error = "out of memory")) });
    await ingest(failed, b);
    const dup = buildDocument({ board: "nuc", seed: 6 });
    await ingest(dup, c);
    expect((await submit(dup, c)).res.status).toBe(200); // duplicate: nothing counted twice
    const flagged = await submit(buildDocument({ board: "rpi5", seed: 7, speed: 4 }), c); // stored flagged: not counted
    expect(flagged.res.status).toBe(201);

    // Two identical uploads at once: stored once, counted once, whichever order their batches run in.
    const race = await signed(buildDocument({ board: "rpi5", seed: 9, speed: 0.9 }), b);
    const statuses = (await Promise.all([postJson(race.body), postJson(race.body)])).map((r) => r.status).sort();
    expect(statuses[1]).toBe(201);
    expect([200, 201]).toContain(statuses[0]);

    // The same batch twice with the same received_at (two requests in one millisecond): the
    // second INSERT stores nothing, and its ingest token is not the stored one, so nothing moves.
    const doc = buildDocument({ board: "rpi5", seed: 10, speed: 0.95 });
    const s = await signed(doc, a);
    const plan = async () =>
      planIngest(
        {
          id: await submissionId(s.body.document),
          canonical: canonicalJson(s.body.document),
          document: ResultDocument.parse(s.body.document),
          signature: s.body.signature,
          publicKey: s.body.publicKey,
          fingerprint: await keyFingerprint(s.body.publicKey),
        },
        "2026-11-21T10:00:00.000Z",
      );
    const db = createDb(env.DB);
    await storeSubmission(db, await plan());
    const once = await snapshot();
    await storeSubmission(db, await plan());
    expect(await snapshot()).toEqual(once);

    const incremental = await snapshot();
    await recountAll();
    const recounted = await snapshot();
    expect(incremental).toEqual(recounted);
    expect(incremental.families.find((f) => (f as { slug: string }).slug === "qwen2-5-0-5b-instruct")).toMatchObject({ key_count: 3, board_count: 3 });
    const rpi = incremental.boards.find((x) => (x as { id: string }).id === "raspberry-pi-5");
    expect(rpi).toMatchObject({ submission_count: 5, key_count: 2 }); // seeds 1, 2, 8, 9 (raced), 10; not the flagged one
    expect(incremental.configurations.find((x) => (x as { run_count: number }).run_count === 2 && (x as { submission_count: number }).submission_count === 1)).toBeDefined();
  });

  it("moderation's full recompute and the next incremental upload agree", async () => {
    const [a, b] = [await fixtureKeyPair(), await fixtureKeyPair()];
    const ids = [
      await ingest(buildDocument({ board: "mac-mini-m4", seed: 21 }), a),
      await ingest(buildDocument({ board: "mac-mini-m4", seed: 22, speed: 1.3 }), b),
      await ingest(buildDocument({ board: "mac-mini-m4", seed: 23, speed: 0.7 }), b),
    ];
    const db = createDb(env.DB);
    expect(await setSubmissionStatus(db, ids[1]!, "hidden", "test")).toBe(true); // runs.visible follows (trigger)
    expect(await rows(`SELECT visible FROM runs WHERE submission_id = '${ids[1]}'`)).toEqual([{ visible: 0 }]);
    await ingest(buildDocument({ board: "mac-mini-m4", seed: 24, speed: 1.1 }), a);
    const incremental = await snapshot();
    await recountAll();
    expect(incremental).toEqual(await snapshot());
    const mac = "SELECT run_count, submission_count, key_count FROM configurations WHERE board_id = 'apple-mac-mini-m4-2024'";
    expect(await rows(mac)).toEqual([{ run_count: 3, submission_count: 3, key_count: 2 }]);
    expect(await setSubmissionStatus(db, ids[1]!, "visible", null)).toBe(true);
    expect(await rows(mac)).toEqual([{ run_count: 4, submission_count: 4, key_count: 2 }]);
  });

  it("keeps every configuration median exact through a long run of uploads with ties, without a recompute", async () => {
    const keys = [await fixtureKeyPair(), await fixtureKeyPair(), await fixtureKeyPair()];
    // Speeds below, above and equal to the running median; seed 0 turns the fixture noise off, so equal
    // speeds give equal figures (ties in every column). createdAt keeps the documents distinct.
    const speeds = [1, 1, 1.2, 0.8, 1, 1.3, 0.7, 1.1, 1, 0.9, 1.2, 1.2, 0.75, 1.25, 1, 1.05, 0.95, 1, 1.4, 0.6, 1, 1, 1.15, 0.85];
    const figures = METRIC_IDS.flatMap((id) => [id, `${id}_sd`]);
    const config = "SELECT id FROM configurations WHERE board_id = 'radxa-rock-5b' AND threads = 3";
    for (const [i, speed] of speeds.entries()) {
      const createdAt = new Date(Date.parse("2026-11-01T00:00:00Z") + i * 60_000).toISOString();
      await ingest(buildDocument({ board: "rock5b", threads: 3, speed, createdAt, quality: i % 3 === 0 }), keys[i % 3]!);
      const id = ((await rows(config))[0] as { id: string }).id;
      const stored = (await rows(`SELECT ${figures.join(", ")} FROM configurations WHERE id = '${id}'`))[0] as Record<string, number | null>;
      const values = (await rows(`SELECT ${figures.join(", ")} FROM runs WHERE configuration_id = '${id}' AND visible = 1`)) as Record<string, number | null>[];
      for (const f of figures) {
        const xs = values.flatMap((v) => (v[f] === null ? [] : [v[f]!]));
        expect(stored[f], `${f} after upload ${i + 1}`).toBe(xs.length ? median(xs) : null);
      }
    }
    const state = await rows(`SELECT figure, n FROM configuration_medians WHERE configuration_id = (${config}) AND figure = 'tg_tps'`);
    expect(state).toEqual([{ figure: "tg_tps", n: speeds.length }]);
    // The bulk rebuild (bench seeding) gives the same state as the incremental updates.
    const all = `SELECT figure, epoch, n, lo, below, median FROM configuration_medians WHERE n > 0 AND configuration_id = (${config}) ORDER BY figure`;
    const incremental = await rows(all);
    await env.DB.prepare("DELETE FROM configuration_medians").run();
    const db = createDb(env.DB);
    await env.DB.batch(rebuildAllMedianStates().map((q) => statement(db.$client, q)));
    expect(await rows(all)).toEqual(incremental);
  });

  it("writes nothing but the rate-limit count for an upload refused by its rate limit or a revoked key (one batch, guarded writes)", async () => {
    const tables = ["contributors", "boards", "models", "model_families", "configurations", "configuration_medians", "submissions", "runs"];
    const counts = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t}`).first<{ n: number }>())!.n])));
    const limitedEnv = { ...env, RATE_LIMIT_PER_KEY: "1", RATE_LIMIT_WINDOW_SECONDS: "3600" };
    const post = async (doc: ReturnType<typeof buildDocument>, keys: FixtureKeyPair, e: typeof env) =>
      app.fetch(
        new Request(`${ORIGIN}/api/v1/submissions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify((await signed(doc, keys)).body) }),
        e,
      );
    // A new board, model and configuration each time, so a leaked write would show as a new row.
    const k = await fixtureKeyPair();
    expect((await post(buildDocument({ board: "custom", seed: 31 }), k, limitedEnv)).status).toBe(201);
    const before = await counts();
    expect((await post(buildDocument({ board: "rpi5-hailo", seed: 32, models: ["llama-3.2-1b-q4_k_m"], threads: 5 }), k, limitedEnv)).status).toBe(429);
    expect(await counts()).toEqual(before);

    const r = await fixtureKeyPair();
    await revokeKey(createDb(env.DB), r.publicKeyB64, "test", "test");
    const revokedRes = await post(buildDocument({ board: "custom", seed: 33, models: ["llama-3.2-1b-q4_k_m"], threads: 6, mutate: (d) => void (d.system.board.name = "Refused board 403") }), r, env);
    expect(revokedRes.status).toBe(403);
    expect(await counts()).toEqual(before);
  });
});
