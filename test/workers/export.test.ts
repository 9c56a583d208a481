/**
 * The bulk export (workers/api/export.ts, workers/read/export.ts): NDJSON of
 * every visible signed submission, each line verifiable offline with the
 * contract's own rule; resumable by cursor without gaps or duplicates; the
 * runs as CSV with one column per metric of the contract's list; the data
 * licence in the Link header.
 */
import { env } from "cloudflare:workers";
import { canonicalJson, METRIC_IDS, type ResultDocument, sha256Hex, signRequest, verifySubmission } from "@edgebench/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { runsCsvHeader } from "../../workers/api/export.js";
import type { SubmissionView } from "../../workers/read/submissions.js";
import { buildDocument, type FixtureKeyPair, fixtureKeyPair, signed } from "../fixtures/documents.js";
import { call, type ErrorJson, ingest, postJson } from "./helpers.js";

interface Line {
  id: string;
  document: ResultDocument;
  signature: string;
  publicKey: string;
  receivedAt: string;
  status: string;
  retired: { ruleId: string; reason: string } | null;
  runs: { index: number; status: string; configurationId: string | null; metrics: Record<string, { value: number; stddev?: number }> }[];
}

const LICENCE = '<https://creativecommons.org/licenses/by/4.0/>; rel="license"';
const admin = { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" };

async function lines(path: string): Promise<{ res: Response; lines: Line[] }> {
  const res = await call(path);
  const text = new TextDecoder().decode(await res.arrayBuffer());
  expect(text === "" || text.endsWith("\n")).toBe(true);
  return { res, lines: text.split("\n").flatMap((l) => (l ? [JSON.parse(l) as Line] : [])) };
}

/** Walks every page from the start with `limit`, checking each page's size; returns the lines in order. */
async function allPages(limit: number): Promise<Line[]> {
  const out: Line[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await lines(`/api/v1/export?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(page.res.status).toBe(200);
    cursor = page.res.headers.get("X-Next-Cursor");
    expect(page.lines.length).toBe(cursor ? limit : page.lines.length);
    expect(page.lines.length).toBeLessThanOrEqual(limit);
    out.push(...page.lines);
    if (!cursor) return out;
    expect(page.res.headers.get("Link")).toContain(`rel="next"`);
  }
  throw new Error("more than 100 pages");
}

const visible: string[] = [];
let hidden = "";
let withdrawn = "";
let flagged = "";

async function withdraw(id: string, keys: FixtureKeyPair): Promise<void> {
  const w = { action: "withdraw" as const, id, at: new Date().toISOString(), nonce: crypto.randomUUID().replaceAll("-", "") };
  const body = JSON.stringify({ withdraw: w, signature: await signRequest(w, keys.privateKey), publicKey: keys.publicKeyB64 });
  const res = await call(`/api/v1/submissions/${id}/withdraw`, { method: "POST", headers: { "content-type": "application/json" }, body });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  const [a, b] = [await fixtureKeyPair(), await fixtureKeyPair()];
  visible.push(
    await ingest(buildDocument({ board: "rpi5", seed: 1, models: ["qwen2.5-0.5b-q4_k_m", "llama-3.2-1b-q4_k_m"] }), a),
    await ingest(buildDocument({ board: "nuc", seed: 2, meter: null }), b),
  );
  for (let seed = 3; seed < 10; seed++)
    visible.push(await ingest(buildDocument({ board: seed % 2 ? "mac-mini-m4" : "orin-nano", seed }), seed % 3 ? a : b));
  hidden = await ingest(buildDocument({ board: "nuc", seed: 20 }), a);
  const hide = await call(`/api/v1/admin/submissions/${hidden}/hide`, { method: "POST", headers: admin, body: '{"reason":"test"}' });
  expect(hide.status).toBe(200);
  withdrawn = await ingest(buildDocument({ board: "nuc", seed: 21 }), b);
  await withdraw(withdrawn, b);
  // Ten times the Pi's memory-bandwidth roofline: stored, flagged, not visible.
  const f = await signed(buildDocument({ board: "rpi5", seed: 22, speed: 10 }), a);
  const res = await postJson(f.body);
  expect(res.status).toBe(201);
  expect(((await res.json()) as { status?: string }).status).toBe("flagged");
  flagged = f.id;
});

describe("GET /api/v1/export (NDJSON)", () => {
  it("gives every visible submission once, in (receivedAt, id) order, each line verifiable over its document's canonical JSON", async () => {
    const { res, lines: all } = await lines("/api/v1/export");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get("Link")).toContain(LICENCE);
    expect(res.headers.get("X-Next-Cursor")).toBeNull();
    expect(all.map((l) => l.id).sort()).toEqual([...visible].sort());
    const keys = all.map((l) => [l.receivedAt, l.id] as const);
    expect(keys).toEqual([...keys].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : 1)));
    for (const l of all) {
      expect(await verifySubmission({ document: l.document, signature: l.signature, publicKey: l.publicKey }), l.id).toBe(true);
      expect(await sha256Hex(new TextEncoder().encode(canonicalJson(l.document)))).toBe(l.id);
      expect(l.status).toBe("visible");
      expect(l.retired).toBeNull();
      // The runs' figures are the server's, as the result JSON gives them.
      const view = (await (await call(`/api/v1/submissions/${l.id}`)).json()) as SubmissionView;
      expect(l.runs).toEqual(view.runs.map((r) => ({ index: r.index, status: r.status, configurationId: r.configurationId, metrics: r.metrics })));
    }
    expect(all.find((l) => l.id === visible[0])!.runs).toHaveLength(2);
  });

  it("leaves out hidden, withdrawn and flagged results", async () => {
    const ids = new Set((await lines("/api/v1/export")).lines.map((l) => l.id));
    for (const id of [hidden, withdrawn, flagged]) expect(ids.has(id), id).toBe(false);
    expect(((await (await call(`/api/v1/submissions/${flagged}`)).json()) as SubmissionView).status).toBe("flagged");
  });

  it("resumes by cursor: pages of `limit` give the whole export with no duplicate and no gap", async () => {
    const whole = (await lines("/api/v1/export")).lines.map((l) => l.id);
    for (const limit of [1, 3, 4, whole.length])
      expect(
        (await allPages(limit)).map((l) => l.id),
        `limit ${limit}`,
      ).toEqual(whole);
    // A later upload lands after every cursor already handed out: a consumer resuming from the last one gets it.
    const first = await call("/api/v1/export?limit=8");
    const cursor = first.headers.get("X-Next-Cursor")!;
    await first.body?.cancel();
    const late = await ingest(buildDocument({ board: "orin-nano", seed: 30 }), await fixtureKeyPair());
    const rest = (await lines(`/api/v1/export?limit=100&cursor=${cursor}`)).lines.map((l) => l.id);
    expect(rest).toEqual([...whole.slice(8), late]);
  });

  it("refuses a bad cursor or limit with 400 in the API's error shape", async () => {
    const forged = btoa(JSON.stringify(["2026-01-01T00:00:00.000Z", "not-an-id"])).replace(/=+$/, "");
    for (const [q, code] of [
      ["limit=0", "bad_limit"],
      ["limit=5001", "bad_limit"],
      ["limit=ten", "bad_limit"],
      ["limit=-1", "bad_limit"],
      ["limit=1.5", "bad_limit"],
      ["cursor=xyz%21", "bad_cursor"],
      ["cursor=", "bad_cursor"],
      [`cursor=${forged}`, "bad_cursor"],
    ] as const) {
      for (const path of ["/api/v1/export", "/api/v1/export/runs.csv"]) {
        const res = await call(`${path}?${q}`);
        expect(res.status, `${path}?${q}`).toBe(400);
        expect(((await res.json()) as ErrorJson).error.code).toBe(code);
      }
    }
    expect((await call("/api/v1/export?limit=5000")).status).toBe(200);
  });
});

describe("GET /api/v1/export/runs.csv", () => {
  /** RFC 4180 records: quoted fields may hold commas, quotes (doubled) and line breaks. */
  function parse(text: string): string[][] {
    const records: string[][] = [];
    const re = /("(?:[^"]|"")*"|[^,\r\n]*)(,|\r\n|$)/y;
    let record: string[] = [];
    while (re.lastIndex < text.length) {
      const m = re.exec(text)!;
      const field = m[1]!;
      record.push(field.startsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field);
      if (m[2] !== ",") {
        records.push(record);
        record = [];
      }
    }
    return records;
  }

  it("heads its columns with the fixed fields and then every metric id of the contract's list, in order; one row per run", async () => {
    const res = await call("/api/v1/export/runs.csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/csv/);
    expect(res.headers.get("Link")).toContain(LICENCE);
    const [header, ...rows] = parse(await res.text());
    expect(header).toEqual(runsCsvHeader());
    expect(header!.slice(header!.length - METRIC_IDS.length)).toEqual([...METRIC_IDS]);
    expect(header!.slice(0, 3)).toEqual(["submission_id", "received_at", "run_index"]);

    const exported = (await lines("/api/v1/export")).lines;
    expect(rows).toHaveLength(exported.reduce((n, l) => n + l.runs.length, 0));
    const col = (name: string) => header!.indexOf(name);
    for (const l of exported) {
      for (const r of l.runs) {
        const row = rows.find((x) => x[col("submission_id")] === l.id && x[col("run_index")] === String(r.index))!;
        expect(row[col("configuration_id")]).toBe(r.configurationId ?? "");
        for (const id of METRIC_IDS) {
          // Not measured is an empty cell, never 0; a measured figure is the number as JavaScript prints it.
          expect(row[col(id)], `${l.id} ${id}`).toBe(r.metrics[id] ? String(r.metrics[id].value) : "");
        }
      }
    }
    // The board measured without a meter has no energy figure: empty, not 0.
    const unmetered = rows.find((x) => x[col("submission_id")] === visible[1])!;
    expect(unmetered[col("tokens_per_j")]).toBe("");
    expect(unmetered[col("tg_tps")]).not.toBe("");
  });

  it("pages by the same cursor: every page starts with the header, and the pages' rows are the whole CSV's", async () => {
    const [header, ...whole] = parse(await (await call("/api/v1/export/runs.csv")).text());
    const paged: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await call(`/api/v1/export/runs.csv?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      const [h, ...rows] = parse(await res.text());
      expect(h).toEqual(header);
      paged.push(...rows);
      cursor = res.headers.get("X-Next-Cursor");
    } while (cursor);
    expect(paged).toEqual(whole);
  });
});
