/** The Worker's bindings and the Hono environment every route shares. */
import type { Db } from "./db.js";

export interface Env {
  DB: D1Database;
}

export interface AppEnv {
  Bindings: Env;
  Variables: { db: Db };
}
