/**
 * The aggregation path (workers/aggregate): the catalogue counts an upload
 * batch moves by one upload must equal a full recount, and every
 * configuration's stored figures and counts must equal the contract's own
 * aggregateRuns() over its stored visible runs, after a mix of uploads,
 * duplicates, a flagged result, a failed run, racing identical uploads, a
 * replayed batch, moderation, and a pass that read before a newer upload.
 */
import { env } from "cloudflare:workers";
import {
  aggregateRuns,
  type ComputedMetrics,
  canonicalJson,
  keyFingerprint,
  METRIC_IDS,
  median,
  ResultDocument,
  submissionId,
} from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { recount } from "../../workers/aggregate/catalogue-counts.js";
import { aggregateConfigurations, readForAggregation, writeAggregation } from "../../workers/aggregate/configurations.js";
import { createDb } from "../../workers/db.js";
import app from "../../workers/index.js";
import { planIngest } from "../../workers/ingest/plan.js";
import { storeSubmission } from "../../workers/ingest/store.js";
import { hideSubmission, restoreSubmission, revokeKey } from "../../workers/moderation/actions.js";
import { buildDocument, type FixtureKeyPair, fixtureKeyPair, signed } from "../fixtures/documents.js";
import { call, ingest, ORIGIN, postJson, settle, submit } from "./helpers.js";

const rows = async (q: string) => (await env.DB.prepare(q).all()).results;

const catalogue = async () => ({
  models: await rows("SELECT id, submission_count, key_count, board_count FROM models ORDER BY id"),
  families: await rows("SELECT slug, submission_count, key_count, board_count FROM model_families ORDER BY slug"),
  boards: await rows("SELECT id, submission_count, key_count FROM boards ORDER BY id"),
  contributors: await rows("SELECT public_key, submission_count FROM contributors ORDER BY public_key"),
});

/** Every catalogue count rewritten by the full recount (what moderation runs). */
async function recountAll(): Promise<void> {
  const db = createDb(env.DB);
  const ids = async (q: string) => (await rows(q)).map((r) => Object.values(r)[0] as string);
  const statements = recount(db, {
    keys: await ids("SELECT public_key FROM contributors"),
    boards: await ids("SELECT id FROM boards"),
    models: await ids("SELECT id FROM models"),
    families: await ids("SELECT slug FROM model_families"),
  });
  await db.batch(statements as unknown as Parameters<typeof db.batch>[0]);
}

/** Every configuration's stored aggregate, next to what the contract computes from its stored visible runs. */
async function configurationsAgainstRuns(): Promise<void> {
  const configs = (await rows(
    "SELECT id, run_count, submission_count, key_count, first_submitted_at, last_submitted_at, latest_submission_id, pending_seq, aggregated_seq FROM configurations",
  )) as Record<string, unknown>[];
  for (const c of configs) {
    expect(c.aggregated_seq, `${c.id} is not pending`).toBe(c.pending_seq);
    const runs = (await rows(
      `SELECT submission_id, public_key, received_at, figures FROM runs WHERE configuration_id = '${c.id}' AND visible = 1`,
    )) as { submission_id: string; public_key: string; received_at: string; figures: string }[];
    const latest = [...runs].sort((a, b) =>
      a.received_at === b.received_at ? (a.submission_id < b.submission_id ? -1 : 1) : a.received_at < b.received_at ? 1 : -1,
    )[0];
    expect(c, String(c.id)).toMatchObject({
      run_count: runs.length,
      submission_count: new Set(runs.map((r) => r.submission_id)).size,
      key_count: new Set(runs.map((r) => r.public_key)).size,
      first_submitted_at: runs.length ? runs.map((r) => r.received_at).sort()[0] : null,
      last_submitted_at: runs.length
        ? runs
            .map((r) => r.received_at)
            .sort()
            .at(-1)
        : null,
      latest_submission_id: latest?.submission_id ?? null,
    });
    const figures = runs.map((r) => JSON.parse(r.figures) as ComputedMetrics);
    const expected = aggregateRuns(figures);
    // The value lists the step reads hold exactly the visible runs' figures (as a multiset: order does not matter).
    const lists = (await rows(`SELECT metric, figure_values, stddev_values FROM configuration_values WHERE configuration_id = '${c.id}'`)) as {
      metric: string;
      figure_values: string;
      stddev_values: string;
    }[];
    const sorted = (text: string) => (text === "" ? [] : text.split(",").map(Number)).sort((a, b) => a - b);
    expect(
      Object.fromEntries(lists.map((l) => [l.metric, { values: sorted(l.figure_values), stddevs: sorted(l.stddev_values) }])),
      String(c.id),
    ).toEqual(
      Object.fromEntries(
        Object.keys(expected).map((m) => [
          m,
          {
            values: figures.flatMap((f) => (f[m as keyof ComputedMetrics] ? [f[m as keyof ComputedMetrics]!.value] : [])).sort((a, b) => a - b),
            stddevs: figures
              .flatMap((f) => {
                const x = f[m as keyof ComputedMetrics]?.stddev;
                return x === undefined ? [] : [x];
              })
              .sort((a, b) => a - b),
          },
        ]),
      ),
    );
    const stored = (await rows(
      `SELECT metric, value, stddev, runs FROM configuration_metrics WHERE configuration_id = '${c.id}' ORDER BY metric`,
    )) as {
      metric: string;
      value: number;
      stddev: number | null;
      runs: number;
    }[];
    expect(stored, String(c.id)).toEqual(
      Object.entries(expected)
        .map(([metric, f]) => ({ metric, value: f!.value, stddev: f!.stddev ?? null, runs: f!.runs }))
        .sort((a, b) => (a.metric < b.metric ? -1 : 1)),
    );
  }
}

describe("the aggregation path", () => {
  it("keeps catalogue counts equal to a full recount and configurations equal to their runs, through races and replays", async () => {
    const [a, b, c] = [await fixtureKeyPair(), await fixtureKeyPair(), await fixtureKeyPair()];
    await ingest(buildDocument({ board: "rpi5", seed: 1, models: ["qwen2.5-0.5b-q4_k_m", "llama-3.2-1b-q4_k_m"] }), a);
    await ingest(buildDocument({ board: "rpi5", seed: 2 }), a); // same key, same board, same model
    await ingest(buildDocument({ board: "rpi5", seed: 8, speed: 1.1 }), b); // same configuration, another key
    await ingest(buildDocument({ board: "nuc", seed: 3, models: ["qwen2.5-0.5b-q8_0"] }), b); // same family, another variant
    await ingest(buildDocument({ board: "rock5b", seed: 4, models: ["llama-3.2-1b-q4_k_m", "llama-3.2-1b-q4_k_m"], threads: 2 }), c); // two runs, one configuration
    const failed = buildDocument({
      board: "orin-nano",
      seed: 5,
      models: ["qwen2.5-0.5b-q4_k_m"],
      mutate: (d) => {
        d.runs[0]!.status = "failed";
        d.runs[0]!.error = "out of memory";
      },
    });
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
    await settle();
    const once = { catalogue: await catalogue(), pending: await rows("SELECT id, pending_seq FROM configurations ORDER BY id") };
    await storeSubmission(db, await plan());
    expect({ catalogue: await catalogue(), pending: await rows("SELECT id, pending_seq FROM configurations ORDER BY id") }).toEqual(once);

    const incremental = await catalogue();
    await recountAll();
    expect(incremental).toEqual(await catalogue());
    await configurationsAgainstRuns();
    expect(incremental.families.find((f) => (f as { slug: string }).slug === "qwen2-5-0-5b-instruct")).toMatchObject({
      key_count: 3,
      board_count: 3,
    });
    const rpi = incremental.boards.find((x) => (x as { id: string }).id === "raspberry-pi-5");
    expect(rpi).toMatchObject({ submission_count: 5, key_count: 2 }); // seeds 1, 2, 8, 9 (raced), 10; not the flagged one
    expect(
      (await rows("SELECT run_count, submission_count FROM configurations")).some(
        (x) => (x as { run_count: number }).run_count === 2 && (x as { submission_count: number }).submission_count === 1,
      ),
    ).toBe(true);
  });

  it("moderation re-aggregates through the same path, and the next upload agrees", async () => {
    const [a, b] = [await fixtureKeyPair(), await fixtureKeyPair()];
    const ids = [
      await ingest(buildDocument({ board: "mac-mini-m4", seed: 21 }), a),
      await ingest(buildDocument({ board: "mac-mini-m4", seed: 22, speed: 1.3 }), b),
      await ingest(buildDocument({ board: "mac-mini-m4", seed: 23, speed: 0.7 }), b),
    ];
    const db = createDb(env.DB);
    expect(await hideSubmission(db, ids[1]!, "test", "test")).toBe(1);
    expect(await rows(`SELECT visible FROM runs WHERE submission_id = '${ids[1]}'`)).toEqual([{ visible: 0 }]);
    await configurationsAgainstRuns(); // moderation aggregated before it returned
    await ingest(buildDocument({ board: "mac-mini-m4", seed: 24, speed: 1.1 }), a);
    const incremental = await catalogue();
    await recountAll();
    expect(incremental).toEqual(await catalogue());
    await configurationsAgainstRuns();
    const mac = "SELECT run_count, submission_count, key_count FROM configurations WHERE board_id = 'apple-mac-mini-m4-2024'";
    expect(await rows(mac)).toEqual([{ run_count: 3, submission_count: 3, key_count: 2 }]);
    expect(await restoreSubmission(db, ids[1]!, "test", "test")).toBe(1);
    expect(await rows(mac)).toEqual([{ run_count: 4, submission_count: 4, key_count: 2 }]);
    await configurationsAgainstRuns();
  });

  it("keeps every configuration median equal to the contract's median of the stored values through a long run of uploads with ties", async () => {
    const keys = [await fixtureKeyPair(), await fixtureKeyPair(), await fixtureKeyPair()];
    // Speeds below, above and equal to the running median; seed 0 turns the fixture noise off, so equal
    // speeds give equal figures (ties in every metric). createdAt keeps the documents distinct.
    const speeds = [1, 1, 1.2, 0.8, 1, 1.3, 0.7, 1.1, 1, 0.9, 1.2, 1.2, 0.75, 1.25, 1, 1.05, 0.95, 1, 1.4, 0.6, 1, 1, 1.15, 0.85];
    const config = "SELECT id FROM configurations WHERE board_id = 'radxa-rock-5b' AND threads = 3";
    let checked = 0;
    for (const [i, speed] of speeds.entries()) {
      const createdAt = new Date(Date.parse("2026-11-01T00:00:00Z") + i * 60_000).toISOString();
      await ingest(buildDocument({ board: "rock5b", threads: 3, speed, createdAt, quality: i % 3 === 0 }), keys[i % 3]!);
      const id = ((await rows(config))[0] as { id: string }).id;
      const runs = ((await rows(`SELECT figures FROM runs WHERE configuration_id = '${id}' AND visible = 1`)) as { figures: string }[]).map(
        (r) => JSON.parse(r.figures) as ComputedMetrics,
      );
      const stored = new Map(
        ((await rows(`SELECT metric, value FROM configuration_metrics WHERE configuration_id = '${id}'`)) as { metric: string; value: number }[]).map(
          (r) => [r.metric, r.value],
        ),
      );
      for (const m of METRIC_IDS) {
        const xs = runs.flatMap((r) => (r[m] ? [r[m].value] : []));
        expect(stored.get(m) ?? null, `${m} after upload ${i + 1}`).toBe(xs.length ? median(xs) : null);
        if (xs.length) checked++;
      }
    }
    expect(checked).toBeGreaterThan(speeds.length * 5);
  });

  it("a pass that read before a newer upload writes nothing, and the configuration stays pending until a pass that saw it", async () => {
    const k = await fixtureKeyPair();
    await ingest(buildDocument({ board: "orin-nano", seed: 41, speed: 1 }), k);
    const db = createDb(env.DB);
    const id = ((await rows("SELECT id FROM configurations WHERE board_id = 'jetson-orin-nano-devkit' AND threads = 6")) as { id: string }[])[0]?.id;
    const target = id ?? ((await rows("SELECT id FROM configurations WHERE board_id = 'jetson-orin-nano-devkit'")) as { id: string }[])[0]!.id;
    const stale = await readForAggregation(db, [target]);
    // A newer upload to the same configuration lands (its own pass aggregates it) ...
    await ingest(buildDocument({ board: "orin-nano", seed: 42, speed: 1.5 }), k);
    const fresh = await rows(`SELECT metric, value FROM configuration_metrics WHERE configuration_id = '${target}' ORDER BY metric`);
    const counts = await rows(`SELECT run_count, pending_seq, aggregated_seq FROM configurations WHERE id = '${target}'`);
    expect(counts).toEqual([{ run_count: 2, pending_seq: 2, aggregated_seq: 2 }]);
    // ... then the stale pass writes what it read: its guard (pending_seq still 1) stops every statement.
    await writeAggregation(db, stale);
    expect(await rows(`SELECT metric, value FROM configuration_metrics WHERE configuration_id = '${target}' ORDER BY metric`)).toEqual(fresh);
    expect(await rows(`SELECT run_count, pending_seq, aggregated_seq FROM configurations WHERE id = '${target}'`)).toEqual(counts);
    // Running the step again on anything is harmless.
    await aggregateConfigurations(db, [target]);
    await configurationsAgainstRuns();
    expect(await (await call("/api/v1/status")).json()).toEqual({ pending: 0 });
  });

  it("writes nothing but the rate-limit count for an upload refused by its rate limit or a revoked key (one batch, guarded writes)", async () => {
    const tables = ["contributors", "boards", "models", "model_families", "configurations", "configuration_metrics", "submissions", "runs"];
    const counts = async () =>
      Object.fromEntries(
        await Promise.all(tables.map(async (t) => [t, (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t}`).first<{ n: number }>())!.n])),
      );
    const limitedEnv = { ...env, RATE_LIMIT_PER_KEY: "1", RATE_LIMIT_WINDOW_SECONDS: "3600" };
    const post = async (doc: ReturnType<typeof buildDocument>, keys: FixtureKeyPair, e: typeof env) =>
      app.fetch(
        new Request(`${ORIGIN}/api/v1/submissions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify((await signed(doc, keys)).body),
        }),
        e,
      );
    // A new board, model and configuration each time, so a leaked write would show as a new row.
    const k = await fixtureKeyPair();
    expect((await post(buildDocument({ board: "custom", seed: 31 }), k, limitedEnv)).status).toBe(201);
    const before = await counts();
    expect((await post(buildDocument({ board: "rpi5-hailo", seed: 32, models: ["llama-3.2-1b-q4_k_m"], threads: 5 }), k, limitedEnv)).status).toBe(
      429,
    );
    expect(await counts()).toEqual(before);

    const r = await fixtureKeyPair();
    await revokeKey(createDb(env.DB), r.publicKeyB64, "test", "test");
    const revokedRes = await post(
      buildDocument({
        board: "custom",
        seed: 33,
        models: ["llama-3.2-1b-q4_k_m"],
        threads: 6,
        mutate: (d) => {
          d.system.board.name = "Refused board 403";
        },
      }),
      r,
      env,
    );
    expect(revokedRes.status).toBe(403);
    expect(await counts()).toEqual(before);
  });
});
