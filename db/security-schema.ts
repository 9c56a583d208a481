/**
 * Tables for abuse resistance and moderation, re-exported from
 * db/schema.ts so drizzle-kit and createDb see them:
 * - `rate_limits`: fixed one-minute windows of submission counts per bucket
 *   ("key:<publicKey>" or "addr:<client address>"). The primary key leads with
 *   the window so pruning old windows is a range delete on the key itself.
 * - `moderation_log`: every admin action and contributor withdrawal, append-only.
 * - `revoked_keys`: keys whose results left the rankings; new uploads refused.
 * - `request_nonces`: nonces of signed contributor requests (withdraw) seen in
 *   the last replay window, so a captured request cannot be replayed.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const rateLimits = sqliteTable(
  "rate_limits",
  {
    /** Start of the window, in whole seconds since the epoch. */
    windowStart: integer("window_start").notNull(),
    bucket: text("bucket").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.windowStart, t.bucket] })],
);

export const moderationLog = sqliteTable(
  "moderation_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Server time, ISO 8601 UTC. */
    at: text("at").notNull(),
    /** hide | restore | revoke-key | restore-key | withdraw | pin-file | unpin-file | retire-build | unretire-build */
    action: text("action").notNull(),
    /** What `target` names: a submission id, a public key, a pinned file's sha256 or a retirement rule's id. */
    targetKind: text("target_kind", { enum: ["submission", "key", "standard-file", "retired-build"] }).notNull(),
    target: text("target").notNull(),
    reason: text("reason").notNull(),
    /** "admin" for the admin token; "key:<fingerprint>" for a contributor's signed request. */
    actor: text("actor").notNull(),
    /** Submissions whose status changed. */
    affected: integer("affected").notNull().default(0),
  },
  (t) => [index("moderation_log_target").on(t.target)],
);

export const revokedKeys = sqliteTable("revoked_keys", {
  publicKey: text("public_key").primaryKey(),
  reason: text("reason").notNull(),
  revokedAt: text("revoked_at").notNull(),
});

export const requestNonces = sqliteTable(
  "request_nonces",
  {
    publicKey: text("public_key").notNull(),
    nonce: text("nonce").notNull(),
    /** The request's signed time in ms since the epoch (pruned after the replay window). */
    atMs: integer("at_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.publicKey, t.nonce] }), index("request_nonces_at").on(t.atMs)],
);

export type ModerationLogRow = typeof moderationLog.$inferSelect;
