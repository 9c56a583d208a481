/**
 * The registry version (workers/cache): one row, rewritten by every write
 * that can change what a public read shows (the ingest batch, every
 * moderation batch). Cached reads are keyed by it, so a write makes every
 * cached page unreachable at once, with no purge.
 *
 * `version` counts writes; `salt` is fresh random text on every bump (and in
 * the migration's initial row), so a database restored to an earlier state
 * (D1 Time Travel) or a fresh one never reuses a version token some cache
 * still holds an entry for.
 */
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const registryVersion = sqliteTable("registry_version", {
  /** Always 1: one row. */
  id: integer("id").primaryKey(),
  version: integer("version").notNull(),
  salt: text("salt").notNull(),
});
