/**
 * A board or model id in the URL that the registry has never heard of is a
 * mistake to name (404), not an empty ranking: one check, called by the API
 * (GET /api/v1/leaderboard) and the site (/) alike. Known: a board in the
 * catalogue or seen in a submission; a model family slug or variant id seen
 * in a submission (test data included: it exists, it only ranks when asked).
 */
import { eq, exists, or, sql } from "drizzle-orm";
import { CATALOGUE_BY_ID } from "../../db/catalogue/index.js";
import { boards, models } from "../../db/schema.js";
import type { Db } from "../db.js";
import { ApiError } from "../errors.js";
import type { RankFilters } from "./query.js";

export interface UnknownId {
  param: "board" | "model";
  id: string;
  /** The API's error code for it. */
  code: "unknown_board" | "unknown_model";
}

/** The first board or model filter that names nothing known, or null (one statement, by primary key and the models_slug index). */
export async function unknownId(db: Db, filters: Pick<RankFilters, "board" | "model">): Promise<UnknownId | null> {
  const board = filters.board && !CATALOGUE_BY_ID.has(filters.board) ? filters.board : undefined;
  const model = filters.model;
  if (!board && !model) return null;
  const one = { one: sql`1` };
  const [row] = await db
    .select({
      board: board ? sql<number>`${exists(db.select(one).from(boards).where(eq(boards.id, board)))}` : sql<number>`1`,
      model: model
        ? sql<number>`${exists(
            db
              .select(one)
              .from(models)
              .where(or(eq(models.id, model), eq(models.slug, model))),
          )}`
        : sql<number>`1`,
    })
    // drizzle has no SELECT without a FROM: a one-row subquery stands in for it (as in options.ts).
    .from(sql`(SELECT 1)`);
  if (board && !row?.board) return { param: "board", id: board, code: "unknown_board" };
  if (model && !row?.model) return { param: "model", id: model, code: "unknown_model" };
  return null;
}

/** The API's form: throws a 404 in the one error shape naming the id. */
export async function assertKnownIds(db: Db, filters: Pick<RankFilters, "board" | "model">): Promise<void> {
  const unknown = await unknownId(db, filters);
  if (unknown)
    throw new ApiError(404, unknown.code, `no ${unknown.param} with the id "${unknown.id}" (see GET /api/v1/${unknown.param}s)`, {
      [unknown.param]: unknown.id,
    });
}
