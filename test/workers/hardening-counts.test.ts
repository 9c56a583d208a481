/**
 * The ingest batch increments model and model-family counts (addUploadTo in
 * workers/queries/ingest.ts) instead of recounting the registry; after a mix
 * of uploads (several keys, boards and models, a duplicate, a flagged one, a
 * failed run) they must equal a full recount.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../workers/db.js";
import { recomputeModel, recomputeModelFamily, statement } from "../../workers/queries/ingest.js";
import { buildDocument, fixtureKeyPair } from "../fixtures/documents.js";
import { ingest, submit } from "./helpers.js";

const snapshot = async () => ({
  models: (await env.DB.prepare("SELECT id, submission_count, key_count, board_count FROM models ORDER BY id").all()).results,
  families: (await env.DB.prepare("SELECT slug, submission_count, key_count, board_count FROM model_families ORDER BY slug").all()).results,
});

describe("incremental model counts", () => {
  it("equal a full recount after a mix of uploads", async () => {
    const [a, b, c] = [await fixtureKeyPair(), await fixtureKeyPair(), await fixtureKeyPair()];
    await ingest(buildDocument({ board: "rpi5", seed: 1, models: ["qwen2.5-0.5b-q4_k_m", "llama-3.2-1b-q4_k_m"] }), a);
    await ingest(buildDocument({ board: "rpi5", seed: 2 }), a); // same key, same board, same model
    await ingest(buildDocument({ board: "nuc", seed: 3, models: ["qwen2.5-0.5b-q8_0"] }), b); // same family, another variant
    await ingest(buildDocument({ board: "rock5b", seed: 4, models: ["llama-3.2-1b-q4_k_m", "llama-3.2-1b-q4_k_m"], threads: 2 }), c);
    const failed = buildDocument({ board: "orin-nano", seed: 5, models: ["qwen2.5-0.5b-q4_k_m"], mutate: (d) => ((d.runs[0]!.status = "failed"), (d.runs[0]!.error = "out of memory")) });
    await ingest(failed, b);
    const dup = buildDocument({ board: "nuc", seed: 6 });
    await ingest(dup, c);
    expect((await submit(dup, c)).res.status).toBe(200); // duplicate: nothing counted twice
    const flagged = await submit(buildDocument({ board: "rpi5", seed: 7, speed: 4 }), c); // stored flagged: not counted
    expect(flagged.res.status).toBe(201);

    const incremental = await snapshot();
    const db = createDb(env.DB);
    const models = incremental.models.map((m) => (m as { id: string }).id);
    const families = incremental.families.map((f) => (f as { slug: string }).slug);
    await env.DB.batch([...models.map((m) => statement(db.$client, recomputeModel(m))), ...families.map((f) => statement(db.$client, recomputeModelFamily(f)))]);
    const recounted = await snapshot();
    expect(incremental).toEqual(recounted);
    expect(incremental.families.find((f) => (f as { slug: string }).slug === "qwen2-5-0-5b-instruct")).toMatchObject({ key_count: 3, board_count: 3 });
  });
});
