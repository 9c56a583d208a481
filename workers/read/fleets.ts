/**
 * A fleet: the boards of one site or cluster, each submitting its own result
 * under one fleet label (`edgebench run --fleet SITE --node NAME`), and
 * fleet-level results that drove load at the cluster's Service (a label, the
 * nodes behind it as declared, no node of their own).
 *
 * Per node its newest visible result; per model variant the nodes that ran it
 * and what they add up to: tokens/s summed (each node serves its own users),
 * power summed only when every node measured it, and the spread between the
 * fastest and slowest node. Read from the covering index submissions_fleet and
 * the runs by primary key: a page costs what the fleet holds, never documents
 * (only the few fleet-level results' declared node lists are read from theirs).
 */
import type { ComputedMetrics } from "@edgebench/contract";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { runs, submissions } from "../../db/schema.js";
import type { Db } from "../db.js";

/** Newest results a fleet page reads: far more than any site's boards, bounded so a page stays cheap. */
export const FLEET_RESULTS = 400;
/** Fleet-level results shown (newest first). */
const FLEET_LEVEL_RESULTS = 10;
/** D1 binds at most 100 parameters per statement. */
const ID_CHUNK = 90;

export interface FleetRun {
  modelId: string;
  modelName: string;
  quantisation: string;
  configurationId: string | null;
  status: "ok" | "failed";
  metrics: ComputedMetrics;
}

export interface FleetResult {
  submissionId: string;
  node: string | null;
  boardName: string;
  receivedAt: string;
  runs: FleetRun[];
}

export interface FleetModelTotal {
  modelId: string;
  modelName: string;
  quantisation: string;
  /** Nodes whose newest result ran this model variant. */
  nodes: number;
  /** Sum of the nodes' generation tokens/s. */
  tgTps: number;
  /** Sum of the nodes' average power during generation; null unless every node measured it. */
  avgW: number | null;
  /** Fleet tokens per joule (summed tokens/s over summed watts); null unless every node measured power. */
  tokensPerJ: number | null;
  /** Fastest node's tokens/s over the slowest's (1: identical nodes). */
  spread: number | null;
  /** Nodes without a power figure (their energy is not measured). */
  unmetered: number;
}

export interface FleetView {
  label: string;
  /** Newest visible result per node, by node name. */
  nodes: FleetResult[];
  /** Results at the fleet's Service, newest first, with the nodes they declared. */
  fleetLevel: (FleetResult & { declaredNodes: string[] })[];
  models: FleetModelTotal[];
}

async function runsOf(db: Db, ids: readonly string[]): Promise<Map<string, FleetRun[]>> {
  const out = new Map<string, FleetRun[]>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const rows = await db
      .select({
        submissionId: runs.submissionId,
        runIndex: runs.runIndex,
        modelId: runs.modelId,
        modelName: runs.modelName,
        quantisation: runs.quantisation,
        configurationId: runs.configurationId,
        status: runs.status,
        figures: runs.figures,
      })
      .from(runs)
      .where(inArray(runs.submissionId, ids.slice(i, i + ID_CHUNK)))
      .orderBy(runs.submissionId, runs.runIndex);
    for (const r of rows) {
      const list = out.get(r.submissionId) ?? [];
      list.push({
        modelId: r.modelId,
        modelName: r.modelName,
        quantisation: r.quantisation,
        configurationId: r.configurationId,
        status: r.status,
        metrics: r.figures,
      });
      out.set(r.submissionId, list);
    }
  }
  return out;
}

/** Per model variant, what the nodes that ran it add up to. */
export function fleetTotals(nodes: readonly FleetResult[]): FleetModelTotal[] {
  const byModel = new Map<string, { run: FleetRun; tg: number[]; w: (number | null)[] }>();
  for (const n of nodes) {
    // A node that ran one variant at several settings counts once: its fastest run.
    const best = new Map<string, FleetRun>();
    for (const r of n.runs) {
      if (r.status !== "ok" || r.metrics.tg_tps === undefined) continue;
      const seen = best.get(r.modelId);
      if (!seen || r.metrics.tg_tps.value > seen.metrics.tg_tps!.value) best.set(r.modelId, r);
    }
    for (const [modelId, r] of best) {
      const acc = byModel.get(modelId) ?? { run: r, tg: [], w: [] };
      acc.tg.push(r.metrics.tg_tps!.value);
      acc.w.push(r.metrics.avg_w?.value ?? null);
      byModel.set(modelId, acc);
    }
  }
  return [...byModel.entries()]
    .map(([modelId, { run, tg, w }]) => {
      const tgTps = tg.reduce((a, b) => a + b, 0);
      const metered = w.filter((x): x is number => x !== null);
      const avgW = metered.length === w.length ? metered.reduce((a, b) => a + b, 0) : null;
      return {
        modelId,
        modelName: run.modelName,
        quantisation: run.quantisation,
        nodes: tg.length,
        tgTps,
        avgW,
        tokensPerJ: avgW ? tgTps / avgW : null,
        spread: Math.min(...tg) > 0 ? Math.max(...tg) / Math.min(...tg) : null,
        unmetered: w.length - metered.length,
      };
    })
    .sort((a, b) => b.nodes - a.nodes || b.tgTps - a.tgTps);
}

/** The fleet with this label, or null when no visible result carries it. */
export async function getFleet(db: Db, label: string): Promise<FleetView | null> {
  const s = submissions;
  const rows = await db
    .select({ id: s.id, node: s.fleetNode, boardName: s.boardName, receivedAt: s.receivedAt })
    .from(s)
    .where(and(eq(s.fleetLabel, label), eq(s.status, "visible")))
    .orderBy(desc(s.receivedAt), desc(s.id))
    .limit(FLEET_RESULTS);
  if (rows.length === 0) return null;
  const newestPerNode = new Map<string, (typeof rows)[number]>();
  const fleetLevel: (typeof rows)[number][] = [];
  for (const r of rows) {
    if (r.node === null) {
      if (fleetLevel.length < FLEET_LEVEL_RESULTS) fleetLevel.push(r);
    } else if (!newestPerNode.has(r.node)) newestPerNode.set(r.node, r);
  }
  const chosen = [...newestPerNode.values(), ...fleetLevel];
  const runsById = await runsOf(
    db,
    chosen.map((r) => r.id),
  );
  const declared = new Map<string, string[]>();
  if (fleetLevel.length) {
    const found = await db
      .select({ id: s.id, nodes: sql<string | null>`json_extract(${s.document}, '$.fleet.nodes')` })
      .from(s)
      .where(
        inArray(
          s.id,
          fleetLevel.map((r) => r.id),
        ),
      );
    for (const f of found) declared.set(f.id, f.nodes ? (JSON.parse(f.nodes) as string[]) : []);
  }
  const result = (r: (typeof rows)[number]): FleetResult => ({
    submissionId: r.id,
    node: r.node,
    boardName: r.boardName,
    receivedAt: r.receivedAt,
    runs: runsById.get(r.id) ?? [],
  });
  const nodes = [...newestPerNode.values()].map(result).sort((a, b) => (a.node ?? "").localeCompare(b.node ?? ""));
  return {
    label,
    nodes,
    fleetLevel: fleetLevel.map((r) => ({ ...result(r), declaredNodes: declared.get(r.id) ?? [] })),
    models: fleetTotals(nodes),
  };
}
