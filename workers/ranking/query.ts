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
/** A bound of a constraint: a positive finite number (the URL's text, coerced). */
const bound = (text: string) => z.coerce.number().positive().finite().max(1e9).optional().describe(text);

/**
 * Parameter size classes (`params`), on the model's parameter count. The upper bounds leave room for a model
 * named by its rounded size (Llama 3.1 8B has 8.03 billion: class 3-8b).
 */
export const PARAM_CLASSES = {
  lt1b: { below: 1e9, text: "under 1 B parameters" },
  "1-3b": { from: 1e9, below: 3.5e9, text: "1 to 3 B (at least 1 B, under 3.5 B)" },
  "3-8b": { from: 3.5e9, below: 9e9, text: "4 to 8 B (at least 3.5 B, under 9 B)" },
  gt8b: { from: 9e9, text: "over 8 B (9 B or more)" },
} as const satisfies Record<string, { from?: number; below?: number; text: string }>;
export type ParamClass = keyof typeof PARAM_CLASSES;
const PARAM_CLASS_IDS = Object.keys(PARAM_CLASSES) as [ParamClass, ...ParamClass[]];

/** How rows are grouped: one per setup (the sweep of threads and GPU layers folded into its best), per board, or every configuration. */
export const GROUPS = ["setup", "board", "configuration"] as const;
export type RankGroup = (typeof GROUPS)[number];
export const DEFAULT_GROUP: RankGroup = "setup";

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
  test: z
    .literal("1")
    .optional()
    .describe(
      '"1": include test data (results on models the uploader generated, general.name starting "edgebench ", and on boards no one identified): stored, but left out by default.',
    ),
  // Constraints a team has. A configuration without the constrained figure measured is left out: not measured counts as not meeting it.
  max_w: bound("Maximum average power during generation (avg_w, W, primary meter: its own scope)."),
  min_tps: bound("Minimum generation tokens/s (tg_tps)."),
  max_litres: bound("Maximum board volume in litres, derived per configuration as tg_tps / tps_per_litre (needs a known envelope)."),
  max_cm2: bound("Maximum board footprint in cm², derived per configuration as tg_tps / tps_per_cm2."),
  params: z
    .enum(PARAM_CLASS_IDS)
    .optional()
    .describe(
      `Model size class by parameter count: ${Object.entries(PARAM_CLASSES)
        .map(([id, c]) => `${id} (${c.text})`)
        .join(", ")}. A model of unknown size is left out.`,
    ),
  min_acc: bound("Minimum HellaSwag accuracy in percent (hellaswag_acc, 0 to 100)."),
  min_sustained: bound("Minimum sustained ratio (sustained_ratio: last 30 s over first 30 s of the 120 s test, 1 = no slowdown)."),
});
export type RankFilters = z.output<typeof RankFilters>;
export const FILTER_KEYS = Object.keys(RankFilters.shape) as (keyof RankFilters)[];

/** The ordering: a metric and a direction (default: the metric's better direction first). */
export const RankOrder = z.strictObject({
  sort: z.enum(METRIC_IDS as [MetricId, ...MetricId[]]).default(DEFAULT_SORT),
  order: z.enum(["asc", "desc"]).optional(),
  group: z
    .enum(GROUPS)
    .default(DEFAULT_GROUP)
    .describe(
      "setup (default): one row per setup, the configurations equal in all but threads and GPU layers, shown as its best by the sort metric (ties: lower id) with the sweep in `group.settings`; " +
        "board: the best configuration per board; configuration: every configuration. Counts, offset and cursor pages are of the rows so grouped.",
    ),
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
export function lenientRankParams(search: URLSearchParams): RankFilters & { sort: MetricId | null; order: "asc" | "desc" | null; group: RankGroup } {
  const filters: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) {
    const one = RankFilters.shape[key].safeParse(search.get(key) ?? undefined);
    if (one.success && one.data !== undefined) filters[key] = one.data;
  }
  const sort = RankOrder.shape.sort.safeParse(search.get("sort") ?? undefined);
  const order = RankOrder.shape.order.safeParse(search.get("order") ?? undefined);
  const group = RankOrder.shape.group.safeParse(search.get("group") ?? undefined);
  return {
    ...(filters as RankFilters),
    sort: sort.success && search.has("sort") ? sort.data : null,
    order: order.success ? (order.data ?? null) : null,
    group: group.success ? group.data : DEFAULT_GROUP,
  };
}
