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

/**
 * One drizzle instance per D1 binding object, kept for the isolate's life:
 * building one walks the whole schema (relational config), which a profile
 * under ingest load put at ~5 % of the Worker's CPU when done per request.
 * The instance holds no per-request state (no transaction, no I/O object of
 * its own: every query goes through the binding), so reusing it is safe; a
 * different binding object (another env, a test's) gets its own instance.
 */
const instances = new WeakMap<D1Database, Db>();

export function createDb(d1: D1Database): Db {
  let db = instances.get(d1);
  if (!db) {
    db = drizzle(d1, { schema });
    instances.set(d1, db);
  }
  return db;
}

export const dbMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  c.set("db", createDb(c.env.DB));
  await next();
});
