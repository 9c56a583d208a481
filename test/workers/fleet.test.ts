/**
 * A fleet through the real Worker and D1: three nodes submit under one label
 * (one of them twice, one without a meter), a fleet-level result drives load
 * at the cluster's Service; the fleet's API and page show each node's newest
 * result, the per-model totals and spread, and the Service result's scaling.
 */
import type { ResultDocument } from "@edgebench/contract";
import { beforeAll, describe, expect, it } from "vitest";
import type { FleetView } from "../../workers/read/fleets.js";
import { buildDocument, keyPairFromSeed } from "../fixtures/documents.js";
import { call, ingest } from "./helpers.js";

const inFleet = (label: string, node?: string, nodes?: string[]) => (d: ResultDocument) => {
  d.fleet = { label, ...(node ? { node } : {}), ...(nodes ? { nodes } : {}) };
};

const ids: Record<string, string> = {};

beforeAll(async () => {
  const keys = await keyPairFromSeed(81);
  ids.n1old = await ingest(
    buildDocument({ board: "rpi5", seed: 91, speed: 0.5, createdAt: "2026-11-01T10:00:00.000Z", mutate: inFleet("lab-a", "n1") }),
    keys,
  );
  ids.n1 = await ingest(buildDocument({ board: "rpi5", seed: 92, mutate: inFleet("lab-a", "n1") }), keys);
  ids.n2 = await ingest(buildDocument({ board: "rpi5", seed: 93, speed: 0.8, mutate: inFleet("lab-a", "n2") }), keys);
  ids.n3 = await ingest(buildDocument({ board: "rpi5", seed: 94, meter: null, mutate: inFleet("lab-a", "n3") }), keys);
  ids.service = await ingest(
    buildDocument({ board: "rpi5", seed: 95, backend: "http", tests: ["tg"], serving: {}, mutate: inFleet("lab-a", undefined, ["n1", "n2", "n3"]) }),
    keys,
  );
  ids.other = await ingest(buildDocument({ board: "rpi5", seed: 96, mutate: inFleet("lab-b", "n1") }), keys);
});

async function fleet(label: string): Promise<FleetView> {
  const res = await call(`/api/v1/fleets/${label}`);
  expect(res.status).toBe(200);
  return (await res.json()) as FleetView;
}

describe("fleets", () => {
  it("lists each node's newest result and nothing of another fleet", async () => {
    const f = await fleet("lab-a");
    expect(f.nodes.map((n) => [n.node, n.submissionId])).toEqual([
      ["n1", ids.n1],
      ["n2", ids.n2],
      ["n3", ids.n3],
    ]);
    expect(f.fleetLevel.map((r) => r.submissionId)).toEqual([ids.service]);
    expect(f.fleetLevel[0]!.declaredNodes).toEqual(["n1", "n2", "n3"]);
    expect((await call("/api/v1/fleets/nowhere")).status).toBe(404);
  });

  it("adds up the nodes per model: tokens/s summed, power only when every node measured it, the spread", async () => {
    const f = await fleet("lab-a");
    const tg = f.nodes.map((n) => n.runs[0]!.metrics.tg_tps!.value);
    const [model] = f.models;
    expect(model!.nodes).toBe(3);
    expect(model!.tgTps).toBeCloseTo(tg[0]! + tg[1]! + tg[2]!, 9);
    expect(model!.spread).toBeCloseTo(Math.max(...tg) / Math.min(...tg), 9);
    // n3 has no meter: the fleet's power is not measured, never a sum that leaves it out.
    expect(model!.avgW).toBeNull();
    expect(model!.tokensPerJ).toBeNull();
    expect(model!.unmetered).toBe(1);
    const metered = await fleet("lab-b");
    expect(metered.models[0]!.avgW).toBeCloseTo(metered.nodes[0]!.runs[0]!.metrics.avg_w!.value, 9);
  });

  it("renders the fleet page, links it from a node's result, and shows the Service result's scaling", async () => {
    const html = await (await call("/fleets/lab-a")).text();
    expect(html).toContain("<h1>Fleet lab-a</h1>");
    expect(html).toContain("not measured (1 node without a meter)");
    expect([...html.matchAll(/<tr data-node="(n\d)"/g)].map((m) => m[1])).toEqual(["n1", "n2", "n3"]);
    const serving = html.slice(html.indexOf('<table id="fleet-serving"'));
    expect(serving).toContain(`/results/${ids.service}`);
    expect(serving).toContain("n1, n2, n3");
    expect(serving).toMatch(/tokens\/s/);
    const result = await (await call(`/results/${ids.n2}`)).text();
    expect(result).toContain('<a href="/fleets/lab-a">lab-a</a>');
    expect((await call("/fleets/nowhere")).status).toBe(404);
  });
});
