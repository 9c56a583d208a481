/**
 * What a ranking is asked for, in the URL parameters the API and the site
 * share: `/api/v1/leaderboard?sort=tokens_per_j&board=raspberry-pi-5` and
 * `/?sort=tokens_per_j&board=raspberry-pi-5` rank the same rows in the same
 * order. The API validates strictly (400 on anything unknown); the site
 * drops what does not parse (a hand-edited link still shows a page).
 */
import { BACKENDS, COOLING, METER_SCOPES, METRIC_IDS, type MetricId } from "@edgebench/contract";
import { z } from "zod";
import { CONFIG_ACCELERATOR_KINDS } from "../../db/schema.js";

export const DEFAULT_SORT: MetricId = "tg_tps";
export const MAX_PAGE = 500;

const optionalText = z.string().trim().min(1).max(200).optional();

/** The filters: each narrows the configurations ranked. */
export const RankFilters = z.strictObject({
  /** Model family slug, or a model variant id (a sha256, or "<name>~<quantisation>"). */
  model: optionalText,
  quantisation: optionalText,
  /** Board id (GET /api/v1/boards). */
  board: optionalText,
  accelerator: z.enum(CONFIG_ACCELERATOR_KINDS).optional(),
  backend: z.enum(BACKENDS).optional(),
  /** Primary meter scope; "none" selects results without a meter (see ranking/scope.ts for energy metrics). */
  scope: z.enum(METER_SCOPES).optional(),
  /** Declared cooling: passive, heatsink, fan or case (results that state none are left out by this filter). */
  cooling: z.enum(COOLING).optional(),
  suite: optionalText,
  /** "1": only configurations whose model file is a pinned standard file (GET /api/v1/standard-files), so every row ran the same bytes. */
  standard: z.literal("1").optional(),
});
export type RankFilters = z.output<typeof RankFilters>;
export const FILTER_KEYS = Object.keys(RankFilters.shape) as (keyof RankFilters)[];

/** The ordering: a metric and a direction (default: the metric's better direction first). */
export const RankOrder = z.strictObject({
  sort: z.enum(METRIC_IDS as [MetricId, ...MetricId[]]).default(DEFAULT_SORT),
  order: z.enum(["asc", "desc"]).optional(),
});

/** The API's whole query: filters, ordering and a page (by offset, or by the cursor a previous page returned). */
export const LeaderboardQuery = z.strictObject({
  ...RankFilters.shape,
  ...RankOrder.shape,
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  /** Opaque keyset cursor from a previous page's nextCursor (offset is then ignored). */
  cursor: z.string().max(512).optional(),
});
export type LeaderboardParams = z.input<typeof LeaderboardQuery>;
export type LeaderboardQuery = z.output<typeof LeaderboardQuery>;

export class RankQueryError extends Error {
  constructor(
    message: string,
    readonly issues?: unknown,
  ) {
    super(message);
    this.name = "RankQueryError";
  }
}

/** Parses the API's URL parameters (repeated keys: the last wins; `format` is the API's own). Throws RankQueryError. */
export function parseLeaderboardQuery(search: URLSearchParams | Record<string, string>): LeaderboardQuery {
  const raw = search instanceof URLSearchParams ? Object.fromEntries(search) : search;
  const { format: _format, ...rest } = raw;
  const parsed = LeaderboardQuery.safeParse(rest);
  if (!parsed.success) throw new RankQueryError("invalid leaderboard query", parsed.error.issues);
  return parsed.data;
}

/** The shared parameters of a site URL, each kept only when it parses on its own. */
export function lenientRankParams(search: URLSearchParams): RankFilters & { sort: MetricId | null; order: "asc" | "desc" | null } {
  const filters: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) {
    const one = RankFilters.shape[key].safeParse(search.get(key) ?? undefined);
    if (one.success && one.data !== undefined) filters[key] = one.data;
  }
  const sort = RankOrder.shape.sort.safeParse(search.get("sort") ?? undefined);
  const order = RankOrder.shape.order.safeParse(search.get("order") ?? undefined);
  return {
    ...(filters as RankFilters),
    sort: sort.success && search.has("sort") ? sort.data : null,
    order: order.success ? (order.data ?? null) : null,
  };
}
