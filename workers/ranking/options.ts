/**
 * The values the site's filter form offers: for each filter, only values
 * some ranked configuration has under the other filters chosen (with
 * board=raspberry-pi-5 the model menu lists the models run on it), test data
 * only with `test=1`. One round trip, read so that the cost follows the
 * catalogue and what the filters match, never the number of results:
 * - no filter with an index of its own chosen: each candidate of the small catalogue tables (a
 *   family, board, variant or enum value) is probed through its own index,
 *   stopping at its first configuration that qualifies;
 * - one chosen: the configurations all the filters match are read once,
 *   through that filter's index, and give every menu that is not chosen; a
 *   chosen menu lists what the other filters match, read the same way (or
 *   probed as above when no other indexed filter is chosen);
 * The scope menu's probe walks each scope's tokens per joule figures in the
 * rank index instead; read from the matches, it lists their meter scopes.
 */
import { BACKENDS, COOLING, type Cooling, METER_SCOPES, type MeterScope } from "@edgebench/contract";
import { and, eq, exists, gt, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { boards, CONFIG_ACCELERATOR_KINDS, configurationMetrics, configurations, modelFamilies, models } from "../../db/schema.js";
import type { Db } from "../db.js";
import { byCountThenName, byName } from "../read/order.js";
import type { RankFilters } from "./query.js";
import { filterConditions, hasIndexedFilter, matching } from "./scope.js";
import { syntheticModelSql, unidentifiedBoardSql } from "./test-data.js";

export interface FilterOptions {
  /** Some configuration ranks (test data counted only with `test=1`), whatever the other filters: false on an empty registry. */
  any: boolean;
  /** Model families, natural name order. */
  models: { id: string; label: string }[];
  quantisations: string[];
  /** Most submissions first, natural name order for ties. */
  boards: { id: string; label: string }[];
  backends: string[];
  accelerators: string[];
  /** Declared coolings some configuration has. */
  cooling: Cooling[];
  /** Meter scopes with a measured tokens per joule: the ones energy can be ranked within. */
  scopes: Exclude<MeterScope, "none">[];
}

/** The metric whose scopes the scope menu lists (the energy view's). */
const ENERGY_METRIC = "tokens_per_j";

const c = configurations;
/** Each menu and the configuration column its values are. */
const MENU_COLUMNS = {
  model: c.modelSlug,
  quantisation: c.quantisation,
  board: c.boardId,
  accelerator: c.acceleratorKind,
  backend: c.backend,
  cooling: c.cooling,
  /** The primary meter's; the menu offers the scopes with a tokens per joule figure (energy ranks within one). */
  scope: c.meterScope,
} as const satisfies Record<string, SQLiteColumn>;
type Menu = keyof typeof MENU_COLUMNS;
const MENUS = Object.keys(MENU_COLUMNS) as Menu[];
/** A filter with an index of its own is chosen: the matches can be read through it (quantisation alone has none: probes are cheaper than a scan). */
const narrowed = (f: RankFilters) => hasIndexedFilter(f, f.scope !== undefined);

export async function filterOptions(db: Db, filters: RankFilters = {}): Promise<FilterOptions> {
  const one = { one: sql`1` };
  const without = (key: Menu): RankFilters => ({ ...filters, [key]: undefined });
  /** Ranked configurations (visible results) under filters `f`; a scope here is the primary meter's. */
  const under = (f: RankFilters): SQL[] => [gt(c.submissionCount, 0), ...filterConditions(f), ...(f.scope ? [eq(c.meterScope, f.scope)] : [])];
  /** The distinct values of the `keys` menus among the configurations `f` matches (one read of the matches). */
  const distinct = <K extends Menu>(keys: readonly K[], f: RankFilters) =>
    db
      .selectDistinct(Object.fromEntries(keys.map((k) => [k, MENU_COLUMNS[k]])) as Record<string, SQLiteColumn>)
      .from(c)
      .where(and(...under(f)));

  // Where each menu's values come from (see the header).
  const filtered = narrowed(filters);
  const probed = MENUS.filter((k) => !filtered || (filters[k] !== undefined && !narrowed(without(k))));
  const readOthers = MENUS.filter((k) => filtered && filters[k] !== undefined && narrowed(without(k)));
  const fromMatches = MENUS.filter((k) => filtered && filters[k] === undefined);

  /** Probe: a candidate value (`candidate`, a catalogue column) that some configuration has under the other filters. */
  const present = (menu: Menu, candidate: SQLiteColumn): SQL =>
    exists(
      db
        .select(one)
        .from(c)
        .where(and(eq(MENU_COLUMNS[menu], candidate), ...under(without(menu)))),
    );
  const probe = (menu: Menu, value: string) =>
    exists(
      db
        .select(one)
        .from(c)
        .where(and(eq(MENU_COLUMNS[menu], value), ...under(without(menu)))),
    );
  const isProbed = (menu: Menu) => probed.includes(menu);

  const energyScopes = METER_SCOPES.filter((s): s is Exclude<MeterScope, "none"> => s !== "none");
  /** A scope with a tokens per joule figure: its figures walked in the rank index, the filters tested per row (a scope without any reads nothing). */
  const scopeProbe = (scope: string) => {
    const ranked = and(eq(configurationMetrics.metric, ENERGY_METRIC), eq(configurationMetrics.rankScope, scope))!;
    return exists(matching(db, one, ranked, filterConditions(without("scope"), false), false));
  };
  const enumMenus: [Menu, readonly string[]][] = [
    ["backend", BACKENDS],
    ["accelerator", CONFIG_ACCELERATOR_KINDS],
    ["cooling", COOLING],
    ["scope", energyScopes],
  ];
  const probeList: [string, SQL][] = [
    ...enumMenus
      .filter(([k]) => isProbed(k))
      .flatMap(([k, values]) => values.map((v): [string, SQL] => [`${k}:${v}`, k === "scope" ? scopeProbe(v) : probe(k, v)])),
    [
      "any",
      exists(
        db
          .select(one)
          .from(c)
          .where(and(gt(c.submissionCount, 0), ...filterConditions({ test: filters.test }))),
      ),
    ],
  ];
  // Each probe under its own column name: inside a batch D1 returns rows as objects, where equal names would collide.
  const probes = Object.fromEntries(probeList.map(([, q], i) => [`p${i}`, sql<number>`${q}`.as(`p${i}`)]));
  // Test data's own catalogue entries are skipped before any probe (the probe would find nothing for them).
  const publicFamily = filters.test ? undefined : sql`NOT ${syntheticModelSql(modelFamilies.name)}`;
  const publicBoard = filters.test ? undefined : sql`NOT ${unidentifiedBoardSql(boards.id)}`;
  const [families, boardRows, variantQuants, matches, present_, ...others] = await db.batch([
    db
      .select({ id: modelFamilies.slug, name: modelFamilies.name })
      .from(modelFamilies)
      .where(and(gt(modelFamilies.submissionCount, 0), publicFamily, isProbed("model") ? present("model", modelFamilies.slug) : undefined)),
    db
      .select({ id: boards.id, name: boards.name, submissions: boards.submissionCount })
      .from(boards)
      .where(and(gt(boards.submissionCount, 0), publicBoard, isProbed("board") ? present("board", boards.id) : undefined)),
    // Probed through each variant's configurations (configurations_model), not by scanning them for the column.
    db
      .selectDistinct({ quantisation: models.quantisation })
      .from(models)
      .where(
        isProbed("quantisation")
          ? and(
              gt(models.submissionCount, 0),
              exists(
                db
                  .select(one)
                  .from(c)
                  .where(and(eq(c.modelId, models.id), ...under(without("quantisation")))),
              ),
            )
          : sql`0`,
      ),
    fromMatches.length > 0 ? distinct(fromMatches, filters) : db.select(one).from(sql`(SELECT 1)`).where(sql`0`),
    // drizzle has no SELECT without a FROM: a one-row subquery stands in for it.
    db.select(probes).from(sql`(SELECT 1)`),
    ...readOthers.map((k) => distinct([k], without(k))),
  ]);
  const row = (present_[0] ?? {}) as Record<string, unknown>;
  const has = (key: string) => Boolean(row[`p${probeList.findIndex(([k]) => k === key)}`]);
  /** A menu's values: probed, or the distinct values read, and always the chosen one (so the form shows it). */
  const values = (menu: Menu, probedValues: () => readonly string[]): Set<string> => {
    const out = new Set<string>();
    if (isProbed(menu)) for (const v of probedValues()) out.add(v);
    const read = fromMatches.includes(menu) ? matches : (others[readOthers.indexOf(menu)] ?? []);
    for (const r of read as Record<string, unknown>[]) if (typeof r[menu] === "string") out.add(r[menu]);
    const chosen = filters[menu];
    if (chosen) out.add(chosen);
    return out;
  };
  const familyIds = values("model", () => families.map((f) => f.id));
  const boardIds = values("board", () => boardRows.map((b) => b.id));
  const quantisations = values("quantisation", () => variantQuants.map((r) => r.quantisation));
  const enumValues = <T extends string>(menu: Menu, all: readonly T[]) => {
    const set = values(menu, () => all.filter((v) => has(`${menu}:${v}`)));
    return all.filter((v) => set.has(v));
  };
  return {
    any: has("any"),
    models: families
      .filter((f) => familyIds.has(f.id))
      .sort(byName)
      .map((f) => ({ id: f.id, label: f.name })),
    quantisations: [...quantisations].sort((a, b) => byName({ name: a }, { name: b })),
    boards: boardRows
      .filter((b) => boardIds.has(b.id))
      .sort(byCountThenName)
      .map((b) => ({ id: b.id, label: b.name })),
    backends: enumValues("backend", BACKENDS),
    accelerators: enumValues("accelerator", CONFIG_ACCELERATOR_KINDS),
    cooling: enumValues("cooling", COOLING),
    scopes: enumValues("scope", energyScopes),
  };
}
