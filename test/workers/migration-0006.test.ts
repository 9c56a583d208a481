/**
 * Migration 0006 (figures as (metric, value) rows) on a database holding
 * results in the shape before it: a second local D1 (MIGRATION_DB, left
 * empty by the test setup) brought to 0005, filled with rows as the earlier
 * ingest wrote them (one column per figure), then migrated. Every run keeps
 * its figures (as JSON keyed by metric id), every configuration its medians
 * (as configuration_metrics rows, energy ranked within its meter scope) until
 * the aggregation step, marked pending by the migration, recomputes them
 * from the runs; nothing of the old columns, indexes or trigger is left.
 */
import { env } from "cloudflare:workers";
import { median } from "@edgebench/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { aggregatePending } from "../../workers/aggregate/configurations.js";
import { createDb } from "../../workers/db.js";

const db = env.MIGRATION_DB;

/** The migrations whose file name passes `which`, statement by statement, as wrangler applies them. */
async function apply(which: (name: string) => boolean): Promise<void> {
  for (const m of env.TEST_MIGRATIONS.filter((m) => which(m.name))) {
    for (const statement of m.queries) await db.prepare(statement).run();
  }
}

const rows = async <T>(q: string) => (await db.prepare(q).all<T>()).results;
const OLD_FIGURES = ["pp_tps", "tg_tps", "pg_tps", "tg_depth_tps", "ttft_ms", "avg_w", "j_per_token", "tokens_per_j", "tps_per_litre", "perplexity"];

beforeAll(async () => {
  await apply((f) => f < "0006");
  const at = (i: number) => `2026-11-0${i}T10:00:00.000Z`;
  await db.batch([
    db
      .prepare("INSERT INTO contributors (public_key, fingerprint, first_seen_at, last_seen_at, submission_count) VALUES ('k1', 'f1', ?1, ?1, 3)")
      .bind(at(1)),
    ...[1, 2, 3].map((i) =>
      db
        .prepare(
          `INSERT INTO submissions (id, public_key, signature, document, schema_id, created_at, received_at, suite_id, suite_version, uploader_name,
            uploader_version, origin_kind, board_id, board_name, runtime_name, runtime_version, backend, meter_scope, run_count, status)
           VALUES (?1, 'k1', 'sig', '{}', 'edgebench.result/v1', ?2, ?2, 'edge-llm', '1', 'edgebench', '0.1.0', 'measured', 'raspberry-pi-5',
            'Raspberry Pi 5', 'node-llama-cpp', '3.22.1', 'cpu', 'wall', 1, ?3)`,
        )
        .bind(`s${i}`, at(i), i === 3 ? "hidden" : "visible"),
    ),
    db.prepare(
      `INSERT INTO configurations (id, suite_id, suite_version, model_id, model_slug, model_name, quantisation, board_id, board_name, accelerator_kind,
        backend, runtime_name, threads, gpu_layers, meter_scope, run_count, submission_count, key_count, tg_tps, tg_tps_sd, tokens_per_j, pp_tps)
       VALUES ('c1', 'edge-llm', '1', 'm~q', 'm', 'M', 'Q4_K_M', 'raspberry-pi-5', 'Raspberry Pi 5', 'cpu', 'cpu', 'node-llama-cpp', 4, 0, 'wall',
        2, 2, 1, 11, 0.5, 2.5, 40)`,
    ),
    ...[1, 2, 3].map((i) =>
      db
        .prepare(
          `INSERT INTO runs (submission_id, run_index, configuration_id, public_key, status, model_id, model_slug, model_name, quantisation, threads,
            gpu_layers, context_size, batch_size, ubatch_size, flash_attention, tg_tps, tg_tps_sd, tokens_per_j, pp_tps, visible)
           VALUES (?1, 0, 'c1', 'k1', 'ok', 'm~q', 'm', 'M', 'Q4_K_M', 4, 0, 4096, 512, 512, 0, ?2, 0.5, ?3, ?4, ?5)`,
        )
        .bind(`s${i}`, 10 + i, i === 2 ? null : 2 + i / 2, 40 + i, i === 3 ? 0 : 1),
    ),
  ]);
  await apply((f) => f.startsWith("0006"));
}, 120_000);

describe("migration 0006", () => {
  it("keeps every run's figures as JSON keyed by metric id, and its received_at", async () => {
    const runs = await rows<{ submission_id: string; received_at: string; figures: string }>(
      "SELECT submission_id, received_at, figures FROM runs ORDER BY submission_id",
    );
    expect(runs.map((r) => [r.submission_id, r.received_at, JSON.parse(r.figures)])).toEqual([
      ["s1", "2026-11-01T10:00:00.000Z", { pp_tps: { value: 41 }, tg_tps: { value: 11, stddev: 0.5 }, tokens_per_j: { value: 2.5 } }],
      ["s2", "2026-11-02T10:00:00.000Z", { pp_tps: { value: 42 }, tg_tps: { value: 12, stddev: 0.5 } }],
      ["s3", "2026-11-03T10:00:00.000Z", { pp_tps: { value: 43 }, tg_tps: { value: 13, stddev: 0.5 }, tokens_per_j: { value: 3.5 } }],
    ]);
  });

  it("moves the configuration medians to configuration_metrics, energy within its scope, and marks it pending", async () => {
    expect(await rows("SELECT metric, rank_scope, value, stddev FROM configuration_metrics ORDER BY metric")).toEqual([
      { metric: "pp_tps", rank_scope: "any", value: 40, stddev: null },
      { metric: "tg_tps", rank_scope: "any", value: 11, stddev: 0.5 },
      { metric: "tokens_per_j", rank_scope: "wall", value: 2.5, stddev: null },
    ]);
    expect(await rows("SELECT pending_seq, aggregated_seq FROM configurations")).toEqual([{ pending_seq: 1, aggregated_seq: 0 }]);
  });

  it("leaves no per-metric column, index or the visibility trigger behind", async () => {
    for (const table of ["runs", "configurations"]) {
      const columns = (await rows<{ name: string }>(`PRAGMA table_info(${table})`)).map((c) => c.name);
      for (const f of OLD_FIGURES) {
        expect(columns, table).not.toContain(f);
        expect(columns, table).not.toContain(`${f}_sd`);
      }
    }
    const objects = (await rows<{ name: string }>("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger', 'table')")).map((o) => o.name);
    expect(objects.filter((n) => /^(runs_median_|configurations_rank_)|submissions_status_runs|configuration_medians/.test(n))).toEqual([]);
  });

  it("then the aggregation step recomputes the configuration from its visible runs", async () => {
    expect(await aggregatePending(createDb(db))).toBe(1);
    const figures = new Map(
      (await rows<{ metric: string; value: number; runs: number }>("SELECT metric, value, runs FROM configuration_metrics")).map((r) => [
        r.metric,
        r,
      ]),
    );
    expect(figures.get("tg_tps")).toMatchObject({ value: median([11, 12]), runs: 2 }); // s3 is hidden
    expect(figures.get("tokens_per_j")).toMatchObject({ value: 2.5, runs: 1 });
    expect(
      await rows("SELECT run_count, submission_count, key_count, latest_submission_id, pending_seq, aggregated_seq FROM configurations"),
    ).toEqual([{ run_count: 2, submission_count: 2, key_count: 1, latest_submission_id: "s2", pending_seq: 1, aggregated_seq: 1 }]);
  });
});
