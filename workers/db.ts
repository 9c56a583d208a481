/**
 * The drizzle instance over D1, and the middleware that puts one on the
 * context (c.var.db) so handlers and the leaderboard pages share one way in.
 */
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import { createMiddleware } from "hono/factory";
import * as schema from "../db/schema.js";
import type { AppEnv } from "./env.js";

/** drizzle over D1; $client is the D1 binding itself (the ingest batch uses it directly). */
export type Db = DrizzleD1Database<typeof schema> & { $client: D1Database };

export function createDb(d1: D1Database): Db {
  return drizzle(d1, { schema });
}

export const dbMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  c.set("db", createDb(c.env.DB));
  await next();
});
