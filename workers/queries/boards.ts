/** Boards: the catalogue (db/catalogue.ts) merged with the boards seen in submissions. */
import { asc, count, desc, eq, gt, and } from "drizzle-orm";
import { BOARD_CATALOGUE, CATALOGUE_BY_ID, type CatalogueBoard, type CatalogueEnvelope } from "../../db/catalogue.js";
import { boards, configurations, type BoardRow } from "../../db/schema.js";
import type { Db } from "../db.js";
import { toLeaderboardRow, type LeaderboardRow } from "./rows.js";

export interface BoardSummary {
  id: string;
  name: string;
  vendor: string | null;
  /** null for a board that is not in the catalogue. */
  kind: CatalogueBoard["kind"] | null;
  inCatalogue: boolean;
  pcbMm: CatalogueBoard["pcbMm"];
  /** The catalogue envelope used for the size axis; null when the catalogue has no full envelope. */
  envelope: CatalogueEnvelope | null;
  envelopeNote: string | null;
  /** Where the catalogue's figures come from. */
  source: string | null;
  /** The catalogue marks these figures unverified: show them as such. */
  unverified: boolean;
  typicalPower: string | null;
  submissions: number;
  contributors: number;
  configurations: number;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
}

function summarise(entry: CatalogueBoard | undefined, seen: BoardRow | undefined, configs: number): BoardSummary {
  return {
    id: entry?.id ?? seen!.id,
    name: entry?.name ?? seen!.name,
    vendor: entry?.vendor ?? null,
    kind: entry?.kind ?? null,
    inCatalogue: entry !== undefined,
    pcbMm: entry?.pcbMm ?? null,
    envelope: entry?.envelope ?? null,
    envelopeNote: entry?.envelopeNote ?? null,
    source: entry?.source ?? null,
    unverified: entry?.unverified ?? false,
    typicalPower: entry?.typicalPower ?? null,
    submissions: seen?.submissionCount ?? 0,
    contributors: seen?.keyCount ?? 0,
    configurations: configs,
    firstSeenAt: seen?.firstSeenAt ?? null,
    lastSeenAt: seen?.lastSeenAt ?? null,
  };
}

/** Every catalogue board and every board seen, most submissions first, then by name. */
export async function listBoards(db: Db): Promise<BoardSummary[]> {
  const [seen, configCounts] = await Promise.all([
    db.select().from(boards),
    db
      .select({ boardId: configurations.boardId, n: count() })
      .from(configurations)
      .where(gt(configurations.submissionCount, 0))
      .groupBy(configurations.boardId),
  ]);
  const seenById = new Map(seen.map((b) => [b.id, b]));
  const configsById = new Map(configCounts.map((c) => [c.boardId, c.n]));
  const ids = new Set([...BOARD_CATALOGUE.map((b) => b.id), ...seen.map((b) => b.id)]);
  return [...ids]
    .map((id) => summarise(CATALOGUE_BY_ID.get(id), seenById.get(id), configsById.get(id) ?? 0))
    .sort((a, b) => b.submissions - a.submissions || a.name.localeCompare(b.name));
}

export interface BoardDetail {
  board: BoardSummary;
  /** Every configuration measured on the board, fastest generation first. */
  rows: LeaderboardRow[];
}

/** One board (catalogue or seen) with its configurations, or null. */
export async function getBoard(db: Db, id: string, limit = 1000): Promise<BoardDetail | null> {
  const entry = CATALOGUE_BY_ID.get(id);
  const seen = await db.select().from(boards).where(eq(boards.id, id)).get();
  if (!entry && !seen) return null;
  const rows = await db
    .select()
    .from(configurations)
    .where(and(eq(configurations.boardId, id), gt(configurations.submissionCount, 0)))
    .orderBy(desc(configurations.tg_tps), asc(configurations.id))
    .limit(limit);
  return { board: summarise(entry, seen, rows.length), rows: rows.map(toLeaderboardRow) };
}
