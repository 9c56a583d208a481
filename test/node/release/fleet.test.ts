/**
 * Cluster runs: `edgebench run --fleet LABEL [--node NAME]` records the fleet
 * and node in the signed document (node defaults to the hostname with --fleet),
 * two nodes' results of one configuration land in one leaderboard row (repeat
 * measurements of one setup; uploader/deploy/README.md says why the node is not part of
 * the configuration key), and each result page names its node. Real wrangler
 * dev with local D1 on 127.0.0.1; real inference on the tiny model.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ResultDocument } from "@edgebench/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalRegistry, startLocalRegistry } from "../helpers/local-registry.js";
import { tinyModel } from "../helpers/models.js";
import { rankingsSettled } from "../helpers/rankings.js";
import { runCli } from "../uploader/cli-helpers.js";

// --submit-synthetic: the tiny model is one edgebench generated, whose results are sent only when asked.
const QUICK = ["--reps", "1", "--threads", "1", "--no-perplexity", "--idle-seconds", "0", "--submit-synthetic"];
let registry: LocalRegistry;
let work = "";

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-fleet-"));
  registry = await startLocalRegistry();
}, 180_000);

afterAll(async () => {
  await registry?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** Runs the suite as one node (its own home and key), submitting to the local registry; returns the stored id. */
async function runAsNode(name: string, fleetArgs: string[]): Promise<{ id: string; doc: ResultDocument }> {
  const home = path.join(work, name);
  const out = path.join(work, `${name}.json`);
  // Named boards: an unidentified board is filed per contributor key, and each node here has its own key.
  const board = ["--board-name", "edgebench test rack node"];
  const r = await runCli(["run", "--model", tinyModel("q8_0"), ...QUICK, ...board, ...fleetArgs, "--server", registry.url, "--out", out], {
    EDGEBENCH_HOME: home,
  });
  expect(r.code, r.stderr.slice(-3000)).toBe(0);
  const sent = fs.readdirSync(path.join(home, "outbox", "sent")).filter((f) => /^[0-9a-f]{64}\.json$/.test(f));
  expect(sent).toHaveLength(1);
  return { id: sent[0]!.replace(/\.json$/, ""), doc: JSON.parse(fs.readFileSync(out, "utf8")) as ResultDocument };
}

describe("fleet and node on a cluster run", () => {
  let a: { id: string; doc: ResultDocument };
  let b: { id: string; doc: ResultDocument };

  beforeAll(async () => {
    a = await runAsNode("pi-a", ["--fleet", "rack-1", "--node", "pi-a"]);
    b = await runAsNode("host", ["--fleet", "rack-1"]);
  }, 300_000);

  it("records --fleet and --node in the document; --node defaults to the hostname", () => {
    expect(a.doc.fleet).toEqual({ label: "rack-1", node: "pi-a" });
    expect(b.doc.fleet).toEqual({ label: "rack-1", node: os.hostname() });
  });

  it("the stored, signed document keeps them", async () => {
    for (const { id, doc } of [a, b]) {
      const res = await fetch(`${registry.url}/api/v1/submissions/${id}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { document: ResultDocument };
      expect(body.document.fleet).toEqual(doc.fleet);
    }
  });

  it("each result page names its fleet, linked to the fleet's page, and its node", async () => {
    for (const { id, doc } of [a, b]) {
      const html = await (await fetch(`${registry.url}/results/${id}`)).text();
      const field = /<dd data-field="fleet">(.*?)<\/dd>/.exec(html);
      expect(field?.[1]).toBe(`<a href="/fleets/rack-1">rack-1</a> / ${doc.fleet!.node}`);
    }
    const fleet = await (await fetch(`${registry.url}/fleets/rack-1`)).text();
    for (const { doc } of [a, b]) expect(fleet).toContain(`<tr data-node="${doc.fleet!.node}"`);
  });

  it("both nodes' runs of the one configuration aggregate into one leaderboard row", async () => {
    await rankingsSettled(registry.url);
    // Generated models are test data: ranked only when asked.
    const res = await fetch(`${registry.url}/api/v1/leaderboard?test=1`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { rows: { submissions: number; runs: number; latestSubmissionId: string | null }[] };
    const rows = page.rows.filter((r) => r.latestSubmissionId === a.id || r.latestSubmissionId === b.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.submissions).toBe(2);
  });
});
