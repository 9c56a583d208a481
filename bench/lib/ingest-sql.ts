/**
 * The exact SQL the Worker's upload batch would write for a signed
 * submission, as text a SQL file can carry: the route's own steps (contract
 * verification, plausibility, planIngest, storeSubmission's statements) run
 * here against a capturing stand-in for the D1 binding, and the captured
 * statements are rendered with their parameters inlined.
 *
 * One difference, on purpose: an upload batch moves the catalogue counts by
 * one upload and marks its configurations pending; a bulk load keeps only the
 * INSERTs and, at the end (finishStatements), recounts each touched count once
 * with the statements moderation uses (test/workers/aggregate.test.ts keeps the
 * two equal) and marks every configuration pending, for the Worker's own
 * aggregation step to compute (bench/lib/seed.ts runs it through the cron
 * handler).
 */
import { canonicalJson, keyFingerprint, ResultDocument, type SignedSubmission, submissionId, verifySubmission } from "@edgebench/contract";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import * as schema from "../../db/schema.js";
import { recount } from "../../workers/aggregate/catalogue-counts.js";
import { bumpRegistryVersion } from "../../workers/cache/version.js";
import type { Db } from "../../workers/db.js";
import { boardIdFor } from "../../workers/ingest/identity.js";
import { planIngest } from "../../workers/ingest/plan.js";
import { assessPlausibility, flagReason, nonFiniteFigures } from "../../workers/ingest/plausibility.js";
import { storeSubmission } from "../../workers/ingest/store.js";
import { unsafeText } from "../../workers/ingest/text-safety.js";

function literal(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`non-finite parameter ${v}`);
    return String(v);
  }
  if (typeof v === "boolean") return v ? "1" : "0";
  if (typeof v === "bigint") return v.toString();
  return `'${String(v).replaceAll("'", "''")}'`;
}

/** Inlines positional `?` and numbered `?NNN` parameters (outside quoted strings) as SQL literals. */
export function inline(sql: string, params: unknown[]): string {
  let out = "";
  let quote: string | null = null;
  let next = 0;
  const used = new Set<number>();
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"' || ch === "`") {
      quote = ch;
      out += ch;
    } else if (ch === "?") {
      const digits = /^\d+/.exec(sql.slice(i + 1))?.[0];
      // SQLite numbers an anonymous `?` one past the largest number so far.
      const n = digits ? Number(digits) : Math.max(next, ...used) + 1;
      if (!digits) next = n;
      used.add(n);
      if (n > params.length) throw new Error(`parameter ?${n} of ${params.length} bound`);
      out += literal(params[n - 1]);
      i += digits?.length ?? 0;
    } else out += ch;
  }
  if (used.size !== params.length) throw new Error(`bound ${params.length} parameters, used ${used.size}`);
  return out;
}

/** A D1 stand-in that records prepared statements instead of running them. */
class CapturingD1 {
  captured: string[] = [];
  prepare(sql: string) {
    return {
      bind: (...params: unknown[]) => ({ sql: inline(sql, params) }),
    };
  }
  async batch(stmts: { sql: string }[]) {
    for (const s of stmts) this.captured.push(s.sql);
    return [];
  }
}

/** drizzle over the capturing stand-in: statements are built, never run. */
function capturingDb(): { db: Db; d1: CapturingD1 } {
  const d1 = new CapturingD1();
  return { db: drizzle(d1 as unknown as D1Database, { schema }) as unknown as Db, d1 };
}

export interface Touched {
  keys: Set<string>;
  boards: Set<string>;
  models: Set<string>;
  families: Set<string>;
  configurations: Set<string>;
}

export const emptyTouched = (): Touched => ({
  keys: new Set(),
  boards: new Set(),
  models: new Set(),
  families: new Set(),
  configurations: new Set(),
});

/**
 * Verifies a submission exactly as POST /api/v1/submissions does and returns
 * the INSERT statements ingest would run (without the per-upload recomputes),
 * recording what they touch.
 */
export async function ingestSql(
  body: SignedSubmission,
  receivedAt: string,
  touched: Touched,
): Promise<{ id: string; sql: string[]; flagged: boolean }> {
  const parsed = ResultDocument.safeParse(body.document);
  if (!parsed.success) throw new Error(`fixture is not schema-valid: ${parsed.error.message}`);
  if (!(await verifySubmission(body))) throw new Error("fixture signature does not verify");
  const doc = parsed.data;
  const fingerprint = await keyFingerprint(body.publicKey);
  const verdict = assessPlausibility(doc, boardIdFor(doc.system.board, fingerprint).id, Date.parse(receivedAt));
  verdict.refuse.push(...unsafeText(body.document));
  if (verdict.refuse.length) throw new Error(`ingest would refuse: ${verdict.refuse.map((r) => r.message).join("; ")}`);
  const id = await submissionId(body.document);
  const plan = await planIngest(
    {
      id,
      canonical: canonicalJson(body.document),
      document: doc,
      signature: body.signature,
      publicKey: body.publicKey,
      fingerprint,
    },
    receivedAt,
  );
  if (nonFiniteFigures(plan.metrics).length) throw new Error("ingest would refuse non-finite figures");
  if (verdict.flag.length) {
    plan.submission.status = "flagged";
    plan.submission.statusReason = flagReason(verdict.flag);
  }
  const { db, d1 } = capturingDb();
  await storeSubmission(db, plan);
  touched.keys.add(plan.publicKey);
  touched.boards.add(plan.board.id);
  for (const m of plan.models.values()) {
    touched.models.add(m.id);
    touched.families.add(m.slug);
  }
  for (const c of plan.configurations.keys()) touched.configurations.add(c);
  return { id, sql: d1.captured.filter((s) => /^\s*INSERT/i.test(s)), flagged: verdict.flag.length > 0 };
}

/**
 * After the INSERTs: every touched catalogue count recounted once (the
 * statements moderation runs), every configuration marked pending for the
 * aggregation step, and the registry version moved.
 */
export function finishStatements(t: Touched): string[] {
  const { db } = capturingDb();
  const render = (q: { toSQL(): { sql: string; params: unknown[] } }) => {
    const { sql: text, params } = q.toSQL();
    return inline(text, params);
  };
  return [
    ...recount(db, { keys: t.keys, boards: t.boards, models: t.models, families: t.families }).map(render),
    render(db.update(schema.configurations).set({ pendingSeq: sql`${schema.configurations.pendingSeq} + 1` })),
    render(bumpRegistryVersion(db)),
  ];
}
