/**
 * Statements rendered once per isolate, bound per request.
 *
 * Rendering a drizzle `sql` tree to text walks every chunk of it; for the
 * ingest statements (twenty figure columns each) that walk was most of an
 * upload's Worker CPU (a profile under load: 45 % of the isolate's time in
 * drizzle's sqlToQuery). The text
 * of these statements depends only on their shape, never on the values, so
 * each is rendered once with named placeholders and every later call only
 * binds values in the recorded order. The text being the same on every call
 * also lets D1 reuse its prepared statement.
 */
import type { SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";

const dialect = new SQLiteAsyncDialect();
const MARK = "\u0000edgebench-param:";

export interface Rendered {
  sql: string;
  params: unknown[];
}

/**
 * A statement template: `build` receives a placeholder per name (use them
 * where a value goes, as `${p.name}` inside sql``) and is called once, on the
 * first use; the returned function binds real values to the same text.
 */
export function sqlTemplate<K extends string>(build: (p: Record<K, string>) => SQL): (values: Record<K, unknown>) => Rendered {
  let compiled: { sql: string; slots: ({ name: K } | { value: unknown })[] } | null = null;
  return (values) => {
    if (!compiled) {
      const placeholders = new Proxy({} as Record<K, string>, { get: (_, name) => `${MARK}${String(name)}` });
      const { sql, params } = dialect.sqlToQuery(build(placeholders));
      compiled = {
        sql,
        slots: params.map((p) => (typeof p === "string" && p.startsWith(MARK) ? { name: p.slice(MARK.length) as K } : { value: p })),
      };
    }
    return { sql: compiled.sql, params: compiled.slots.map((s) => ("name" in s ? values[s.name] : s.value)) };
  };
}
