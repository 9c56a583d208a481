/**
 * D1's own meta.rows_read / meta.rows_written summed over a request, for the
 * benchmarks (bench/registry-rows.ts): these are what Cloudflare bills, and
 * unlike times they do not drift with the machine.
 *
 * Off unless the D1_METER_TOKEN var is set and the request carries it in
 * METER_REQUEST_HEADER (production sets no token). drizzle reads most SELECTs
 * with `raw()`, which returns no meta; for those the meter runs the same
 * statement once more with `run()` to read its meta, so a metered request
 * costs more time than a plain one: use it for row counts, never for timings.
 */
import type { Env } from "./env.js";

export interface D1Meter {
  rowsRead: number;
  rowsWritten: number;
  queries: number;
}

export const METER_REQUEST_HEADER = "x-edgebench-d1-meter";
export const meterHeader = "x-d1-rows";

export function newMeter(): D1Meter {
  return { rowsRead: 0, rowsWritten: 0, queries: 0 };
}

export function isMetered(env: Pick<Env, "D1_METER_TOKEN">, headers: Headers): boolean {
  return Boolean(env.D1_METER_TOKEN) && headers.get(METER_REQUEST_HEADER) === env.D1_METER_TOKEN;
}

/** Work a metered request left to run after its response (the aggregation step), summed per isolate. */
export const deferredMeter: D1Meter = newMeter();

function add(meter: D1Meter, meta: D1Meta | undefined): void {
  meter.queries++;
  meter.rowsRead += meta?.rows_read ?? 0;
  meter.rowsWritten += meta?.rows_written ?? 0;
}

/** Only statements without side effects may be run twice to read their meta. */
const READ_ONLY = /^\s*(select|with\s(?![\s\S]*\b(insert|update|delete)\b))/i;

class MeteredStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    readonly sqlText: string,
    readonly meter: D1Meter,
  ) {}

  bind(...values: unknown[]): MeteredStatement {
    return new MeteredStatement(this.inner.bind(...values), this.sqlText, this.meter);
  }

  async first<T>(column?: string): Promise<T | null> {
    const r = await this.inner.all<Record<string, unknown>>();
    add(this.meter, r.meta);
    const row = r.results[0];
    if (!row) return null;
    return (column === undefined ? row : row[column]) as T;
  }

  async run<T>(): Promise<D1Result<T>> {
    const r = await this.inner.run<T>();
    add(this.meter, r.meta);
    return r;
  }

  async all<T>(): Promise<D1Result<T>> {
    const r = await this.inner.all<T>();
    add(this.meter, r.meta);
    return r;
  }

  async raw<T>(options?: { columnNames?: boolean }): Promise<T[]> {
    const rows = options?.columnNames ? await this.inner.raw<T>({ columnNames: true }) : await this.inner.raw<T>();
    if (READ_ONLY.test(this.sqlText)) add(this.meter, (await this.inner.run()).meta);
    else this.meter.queries++;
    return rows as T[];
  }
}

/** A D1 binding that adds every statement's meta to `meter`. */
export function meteredD1(d1: D1Database, meter: D1Meter): D1Database {
  const unwrap = (s: D1PreparedStatement) => (s instanceof MeteredStatement ? s.inner : s);
  const wrapped = {
    prepare: (query: string) => new MeteredStatement(d1.prepare(query), query, meter) as unknown as D1PreparedStatement,
    batch: async <T>(statements: D1PreparedStatement[]) => {
      const results = await d1.batch<T>(statements.map(unwrap));
      for (const r of results) add(meter, r.meta);
      return results;
    },
    exec: (query: string) => d1.exec(query),
    dump: () => d1.dump(),
    withSession: (constraint?: string) => d1.withSession(constraint),
  };
  return wrapped as unknown as D1Database;
}
