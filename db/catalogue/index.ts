/**
 * The board catalogue: sourced data (boards.ts, sources.ts) and the look-ups
 * the registry needs on it. Slugs for unknown boards and the envelope used for
 * ranking are decided elsewhere; this module only describes boards.
 */
import { BOARDS, type CatalogueBoard, type Sourced, type SourceId } from "./boards.js";
import { SOURCES, type Source } from "./sources.js";

export type { CatalogueBoard, Source, Sourced, SourceId };
export { BOARDS, SOURCES };

/** Every entry in catalogue order (more specific boards before general ones). */
export const BOARD_CATALOGUE: readonly CatalogueBoard[] = BOARDS;

export const CATALOGUE_BY_ID: ReadonlyMap<string, CatalogueBoard> = new Map(BOARD_CATALOGUE.map((b) => [b.id, b]));

export const SOURCES_BY_ID: ReadonlyMap<SourceId, Source> = new Map(Object.values(SOURCES).map((s) => [s.id, s]));

/**
 * The catalogue entry a submitted board name (device-tree model, DMI product
 * name or typed text) refers to, or null. Add-ons and modules are never the
 * board a result ran on, so they never match.
 */
export function matchBoard(submittedName: string): CatalogueBoard | null {
  const name = submittedName.replace(/\s+/g, " ").trim();
  for (const board of BOARD_CATALOGUE) {
    if (board.kind === "addon" || board.kind === "module") continue;
    if (board.match.some((re) => re.test(name))) return board;
  }
  return null;
}

/** The distinct sources an entry cites, in the order they are first cited (size, envelope, bandwidth, power, accelerators). */
export function sourceList(board: CatalogueBoard): Source[] {
  const figures = [board.pcb, board.envelope, board.bandwidth, board.power, board.accelerators];
  const ids = new Set(figures.flatMap((f) => f?.sources ?? []));
  return [...ids].flatMap((id) => {
    const source = SOURCES_BY_ID.get(id);
    return source ? [source] : [];
  });
}
