/**
 * Test data: stored, shown on its own pages, ranked nowhere unless asked
 * (`test=1`). A configuration is test data when its model is one the
 * uploader generated (the contract's SYNTHETIC_NAME_PREFIX) or its board was
 * identified by no one. The rule lives here once, as a predicate for the
 * Worker and as SQL for the reads; no column holds it, so it costs no
 * migration and follows the rule if the rule changes.
 */
import { isSyntheticModel, SYNTHETIC_NAME_PREFIX } from "@edgebench/contract";
import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * Board ids stored before unidentified boards got one id per key: "unknown"
 * (an empty name's slug) and "unknown-board" (the uploader's "unknown board").
 */
const SHARED_UNKNOWN_IDS = ["unknown", "unknown-board"] as const;
const PER_KEY_PREFIX = "unknown-";
const PER_KEY_ID = /^unknown-[0-9a-f]{8}$/;

/**
 * The board an unidentified board is filed under: one per contributor key
 * (the first 8 hex digits of its fingerprint), so two contributors' unknown
 * machines are two boards, not one.
 */
export function unidentifiedBoard(fingerprint: string): { id: string; name: string } {
  const hex = fingerprint
    .replace(/[^0-9a-f]/gi, "")
    .toLowerCase()
    .slice(0, 8);
  return { id: `${PER_KEY_PREFIX}${hex}`, name: `Unknown board (key ${hex})` };
}

/** Whether a board id is one the registry files unidentified boards under (per key, or the old shared ids). */
export function isUnidentifiedBoardId(id: string): boolean {
  return (SHARED_UNKNOWN_IDS as readonly string[]).includes(id) || PER_KEY_ID.test(id);
}

/** Whether a configuration is test data (see above). */
export function isTestData(row: { modelName: string; boardId: string }): boolean {
  return isSyntheticModel({ name: row.modelName }) || isUnidentifiedBoardId(row.boardId);
}

/** A constant of the rule as an SQL string literal: inlined, so the rule binds no parameter (D1 allows 100 per statement). */
const literal = (text: string) => sql.raw(`'${text.replaceAll("'", "''")}'`);

/** The board part of the rule in SQL (D1 caps a GLOB pattern at 50 bytes, so the per-key form is tested in parts). */
export function unidentifiedBoardSql(boardId: SQLiteColumn | SQL): SQL {
  const perKey = sql`(length(${boardId}) = ${sql.raw(String(PER_KEY_PREFIX.length + 8))} AND substr(${boardId}, 1, ${sql.raw(String(PER_KEY_PREFIX.length))}) = ${literal(PER_KEY_PREFIX)} AND substr(${boardId}, ${sql.raw(String(PER_KEY_PREFIX.length + 1))}) NOT GLOB ${literal("*[^0-9a-f]*")})`;
  return sql`(${boardId} IN (${sql.join(SHARED_UNKNOWN_IDS.map(literal), sql`, `)}) OR ${perKey})`;
}

/** The model part of the rule in SQL (GLOB: case-sensitive like startsWith; a wildcard in the prefix is matched as itself). */
export function syntheticModelSql(modelName: SQLiteColumn | SQL): SQL {
  return sql`${modelName} GLOB ${literal(`${SYNTHETIC_NAME_PREFIX.replace(/[*?[]/g, "[$&]")}*`)}`;
}

/** True for a configuration (its model name and board id columns) that is not test data. */
export function notTestData(cols: { modelName: SQLiteColumn | SQL; boardId: SQLiteColumn | SQL }): SQL {
  return sql`NOT (${syntheticModelSql(cols.modelName)} OR ${unidentifiedBoardSql(cols.boardId)})`;
}

/** Whether a whole result is test data: its board is unidentified, or every run is on a model the uploader generated. */
export function isTestResult(boardId: string, runs: readonly { model: { name: string } }[]): boolean {
  return isUnidentifiedBoardId(boardId) || (runs.length > 0 && runs.every((r) => isSyntheticModel(r.model)));
}
