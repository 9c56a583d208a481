/**
 * When a retirement rule matches a result's runtime build: the one predicate,
 * in SQL, that both the upload's own batch (workers/ingest/store.ts) and a
 * rule's change (./retired-builds.ts) evaluate, so a result is retired by the
 * same test whichever came first, and always against the rules committed at
 * that moment (each runs inside its D1 batch's transaction).
 *
 * A rule names a runtime (exact name) and either
 * - a llama.cpp commit: it matches the commit the document records
 *   (runtime.llamaCpp.commit) when either is a prefix of the other, so a rule
 *   given the full 40-digit hash matches a document that recorded the short
 *   one and the other way round (a recorded commit shorter than
 *   MIN_COMMIT_DIGITS matches nothing longer); or
 * - a version range on runtime.version, inclusive, either end optional,
 *   compared as dotted numbers (3.9.0 < 3.10.0) through `versionKey`.
 */
import { and, eq, isNull, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { retiredBuilds } from "../../db/schema.js";
import type { Db } from "../db.js";

/** Shortest commit a rule may name (git's default abbreviation). */
export const MIN_COMMIT_DIGITS = 7;
/** Digits a version part may have; longer parts make the version unordered (no range matches it). */
const PART_DIGITS = 12;

/**
 * A text that sorts like the version's dotted numbers: each part zero-padded
 * to PART_DIGITS, joined by dots, trailing zero parts dropped (3.9 and 3.9.0
 * are one version). Leading letters are skipped ("v3.9.0", llama.cpp's
 * "b6000"); what follows the numbers is ignored ("3.9.0-rc1" is 3.9.0). Null
 * when the version does not start with a number: no range matches it.
 */
export function versionKey(version: string): string | null {
  const m = /^[a-z]*(\d+(?:\.\d+)*)/i.exec(version.trim());
  if (!m) return null;
  const parts = m[1]!.split(".").map((p) => p.replace(/^0+(?=\d)/, ""));
  if (parts.some((p) => p.length > PART_DIGITS)) return null;
  while (parts.length > 1 && parts.at(-1) === "0") parts.pop();
  return parts.map((p) => p.padStart(PART_DIGITS, "0")).join(".");
}

/** A value in the predicate: a bound parameter, a column of the outer statement's row, or an expression. */
type Operand = SQL | SQLiteColumn | string | null;
const operand = (x: Operand): SQL | SQLiteColumn => (x === null || typeof x === "string" ? sql`${x}` : x);

/** SQL: rule row `r` matches a result of `runtime` whose recorded commit is `commit` and whose version key is `key`. */
export function ruleMatches(runtime: Operand, commit: Operand, key: Operand): SQL {
  const r = retiredBuilds;
  const c = operand(commit);
  const k = operand(key);
  // NULL on either side makes a comparison NULL, so a result without a commit or an ordered version matches no such rule.
  const commitMatches = sql`(substr(${c}, 1, length(${r.llamaCppCommit})) = ${r.llamaCppCommit}
    OR (length(${c}) >= ${MIN_COMMIT_DIGITS} AND substr(${r.llamaCppCommit}, 1, length(${c})) = ${c}))`;
  return and(
    eq(r.runtime, operand(runtime)),
    or(isNull(r.llamaCppCommit), commitMatches),
    or(isNull(r.minVersionKey), sql`${k} >= ${r.minVersionKey}`),
    or(isNull(r.maxVersionKey), sql`${k} <= ${r.maxVersionKey}`),
  )!;
}

/** SQL: the id of the oldest rule matching (see ruleMatches), or NULL. */
export function matchingRule(db: Db, runtime: Operand, commit: Operand, key: Operand): SQL {
  return sql`(${db
    .select({ id: retiredBuilds.id })
    .from(retiredBuilds)
    .where(ruleMatches(runtime, commit, key))
    .orderBy(retiredBuilds.createdAt, retiredBuilds.id)
    .limit(1)})`;
}
