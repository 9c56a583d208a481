/** Boards: the catalogue (db/catalogue) merged with the boards seen in submissions. */
import { and, count, desc, eq, gt } from "drizzle-orm";
import { BOARD_CATALOGUE, CATALOGUE_BY_ID, type CatalogueBoard, SOURCES_BY_ID, type Source, type Sourced } from "../../db/catalogue/index.js";
import { type BoardRow, boards, configurations } from "../../db/schema.js";
import type { Db } from "../db.js";
import { type LeaderboardRow, ROW_COLUMNS, withFigures } from "../ranking/rows.js";
import { isUnidentifiedBoardId, notTestData } from "../ranking/test-data.js";
import { byCountThenName } from "./order.js";

/** A catalogue figure as the API and the board page show it: the value, its sources, and how far to trust it. */
export interface SourcedFigure<T> {
  value: T;
  sources: Source[];
  unverified: boolean;
  derived: boolean;
  note: string | null;
}

export interface BoardSummary {
  id: string;
  name: string;
  vendor: string | null;
  /** null for a board that is not in the catalogue. */
  kind: CatalogueBoard["kind"] | null;
  inCatalogue: boolean;
  /** Board size, width x depth: the footprint the per-cm² metric uses when a result declares no envelope. */
  pcbMm: SourcedFigure<{ widthMm: number; depthMm: number }> | null;
  /** The envelope the per-litre metric uses when a result declares none; null when the catalogue has no height. */
  envelope: SourcedFigure<{ widthMm: number; depthMm: number; heightMm: number }> | null;
  envelopeNote: string | null;
  /** Peak DRAM bandwidth in GB/s: the generation roofline's bound. */
  bandwidthGBps: SourcedFigure<number> | null;
  /** Power as the catalogue's sources state it (not a measurement). */
  typicalPower: SourcedFigure<string> | null;
  accelerators: SourcedFigure<string> | null;
  submissions: number;
  contributors: number;
  configurations: number;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
}

function view<T, U = T>(f: Sourced<T> | null, map: (v: T) => U = (v) => v as unknown as U): SourcedFigure<U> | null {
  if (!f) return null;
  return {
    value: map(f.value),
    sources: f.sources.flatMap((id) => SOURCES_BY_ID.get(id) ?? []),
    unverified: f.unverified,
    derived: f.derived ?? false,
    note: f.note ?? null,
  };
}

function summarise(entry: CatalogueBoard | undefined, seen: BoardRow | undefined, configs: number): BoardSummary {
  return {
    id: entry?.id ?? seen!.id,
    name: entry?.name ?? seen!.name,
    vendor: entry?.vendor ?? null,
    kind: entry?.kind ?? null,
    inCatalogue: entry !== undefined,
    pcbMm: view(entry?.pcb ?? null),
    envelope: view(entry?.envelope ?? null),
    envelopeNote: entry?.envelopeNote ?? null,
    bandwidthGBps: view(entry?.bandwidth ?? null, (b) => b.bytesPerSecond / 1e9),
    typicalPower: view(entry?.power ?? null),
    accelerators: view(entry?.accelerators ?? null),
    submissions: seen?.submissionCount ?? 0,
    contributors: seen?.keyCount ?? 0,
    configurations: configs,
    firstSeenAt: seen?.firstSeenAt ?? null,
    lastSeenAt: seen?.lastSeenAt ?? null,
  };
}

/** What a catalogue read includes: test data (ranking/test-data.ts) only when asked. */
export interface CatalogueRead {
  test?: boolean;
}

/**
 * Every catalogue board and every board with a ranked configuration (test
 * data only when asked), most submissions first, then in natural name order.
 */
export async function listBoards(db: Db, opts: CatalogueRead = {}): Promise<BoardSummary[]> {
  const c = configurations;
  const [seen, configCounts] = await db.batch([
    db.select().from(boards),
    db
      .select({ boardId: c.boardId, n: count() })
      .from(c)
      .where(and(gt(c.submissionCount, 0), opts.test ? undefined : notTestData(c)))
      .groupBy(c.boardId),
  ]);
  const seenById = new Map(seen.map((b) => [b.id, b]));
  const configsById = new Map(configCounts.map((r) => [r.boardId, r.n]));
  const ids = new Set([...BOARD_CATALOGUE.map((b) => b.id), ...seen.filter((b) => configsById.has(b.id)).map((b) => b.id)]);
  return [...ids].map((id) => summarise(CATALOGUE_BY_ID.get(id), seenById.get(id), configsById.get(id) ?? 0)).sort(byCountThenName);
}

export interface BoardDetail {
  board: BoardSummary;
  /** The board is one no one identified: its results are test data (shown here, ranked nowhere by default). */
  testData: boolean;
  /** Every configuration measured on the board (test data only when asked, or when the board is), fastest generation first (unmeasured last). */
  rows: LeaderboardRow[];
}

/** Highest generation speed first, unmeasured last, then by id. */
export function byThroughput(a: LeaderboardRow, b: LeaderboardRow): number {
  return (b.metrics.tg_tps ?? Number.NEGATIVE_INFINITY) - (a.metrics.tg_tps ?? Number.NEGATIVE_INFINITY) || a.id.localeCompare(b.id);
}

/** One board (catalogue or seen) with its configurations, or null. */
export async function getBoard(db: Db, id: string, opts: CatalogueRead & { limit?: number } = {}): Promise<BoardDetail | null> {
  const entry = CATALOGUE_BY_ID.get(id);
  const c = configurations;
  const testData = isUnidentifiedBoardId(id);
  const [seen, configs] = await db.batch([
    db.select().from(boards).where(eq(boards.id, id)),
    db
      .select(ROW_COLUMNS)
      .from(c)
      .where(and(eq(c.boardId, id), gt(c.submissionCount, 0), opts.test || testData ? undefined : notTestData(c)))
      .orderBy(desc(c.lastSubmittedAt))
      .limit(opts.limit ?? 1000),
  ]);
  if (!entry && !seen[0]) return null;
  const rows = (await withFigures(db, configs)).sort(byThroughput);
  return { board: summarise(entry, seen[0], rows.length), testData, rows };
}
