/**
 * The registry's tables (drizzle sqlite-core); `npm run db:generate` turns this
 * file into the flat SQL migrations in db/migrations.
 *
 * What is stored and why:
 * - `submissions` keeps every signed document verbatim (its RFC 8785 canonical
 *   JSON: exactly the bytes that were signed and hashed into the id), so anyone
 *   can re-verify a result offline. Nothing derived is trusted from the client.
 * - `runs` is one normalised row per model run with the figures the server
 *   computed itself from the raw samples (one column per METRICS id, plus its
 *   sample stddev where the metric has one).
 * - `configurations` is a precomputed aggregate per configuration, rewritten in
 *   the same D1 batch as every ingest, so the leaderboard ranks from one indexed
 *   table instead of grouping all runs on each request.
 * - `contributors`, `boards`, `models`: what exists, with counts.
 *
 * Metric columns are generated from METRIC_IDS so adding a metric to the
 * contract adds its columns here (then `npm run db:generate`).
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { METRIC_BY_ID, METRIC_IDS, type MetricId } from "@edgebench/contract";
import { ACCELERATOR_KINDS, BACKENDS, METER_SCOPES } from "@edgebench/contract";

const realColumn = () => real();
type RealColumn = ReturnType<typeof realColumn>;
/** `<metric>` and `<metric>_sd` for every metric: the figure and its sample stddev. */
export type MetricColumns = { [K in MetricId]: RealColumn } & { [K in MetricId as `${K}_sd`]: RealColumn };

/** Fresh column builders for one table (builders cannot be shared between tables). */
function metricColumns(): MetricColumns {
  const cols: Record<string, RealColumn> = {};
  for (const id of METRIC_IDS) {
    cols[id] = real();
    cols[`${id}_sd`] = real();
  }
  return cols as MetricColumns;
}

/** Moderation state of a submission; only visible ones feed the aggregates. */
export const SUBMISSION_STATUSES = ["visible", "hidden", "flagged"] as const;
/** "cpu" is a configuration whose model runs on the CPU cores (no accelerator used). */
export const CONFIG_ACCELERATOR_KINDS = ["cpu", ...ACCELERATOR_KINDS] as const;

export const contributors = sqliteTable("contributors", {
  /** Raw 32-byte Ed25519 key, base64url: the contributor's identity. */
  publicKey: text("public_key").primaryKey(),
  fingerprint: text("fingerprint").notNull(),
  /** The optional display name carried (and signed) in the latest document that had one. */
  displayName: text("display_name"),
  firstSeenAt: text("first_seen_at").notNull(),
  lastSeenAt: text("last_seen_at").notNull(),
  submissionCount: integer("submission_count").notNull().default(0),
}, (t) => [index("contributors_fingerprint").on(t.fingerprint)]);

export const submissions = sqliteTable(
  "submissions",
  {
    /** Lowercase hex SHA-256 of the canonical document bytes. */
    id: text("id").primaryKey(),
    publicKey: text("public_key").notNull().references(() => contributors.publicKey),
    /** Ed25519 signature over the canonical bytes, base64url, as submitted. */
    signature: text("signature").notNull(),
    /** RFC 8785 canonical JSON of the document: the signed bytes, verbatim. */
    document: text("document").notNull(),
    schemaId: text("schema_id").notNull(),
    /** The document's createdAt as written (RFC 3339). */
    createdAt: text("created_at").notNull(),
    /** Server time of the first accepted upload (ISO 8601, UTC). */
    receivedAt: text("received_at").notNull(),
    suiteId: text("suite_id").notNull(),
    suiteVersion: text("suite_version").notNull(),
    uploaderName: text("uploader_name").notNull(),
    uploaderVersion: text("uploader_version").notNull(),
    originKind: text("origin_kind", { enum: ["measured", "imported"] }).notNull(),
    originTool: text("origin_tool"),
    boardId: text("board_id").notNull(),
    /** The board name as the document gave it (the catalogue name lives in boards). */
    boardName: text("board_name").notNull(),
    runtimeName: text("runtime_name").notNull(),
    runtimeVersion: text("runtime_version").notNull(),
    backend: text("backend", { enum: BACKENDS }).notNull(),
    /** Primary meter (meters[0]); "none" when nothing was measured. */
    meterKind: text("meter_kind"),
    meterScope: text("meter_scope", { enum: METER_SCOPES }).notNull(),
    /** The envelope the server resolved (declared in the document, else the catalogue's); null when unknown. */
    envelopeWidthMm: real("envelope_width_mm"),
    envelopeDepthMm: real("envelope_depth_mm"),
    envelopeHeightMm: real("envelope_height_mm"),
    envelopeSource: text("envelope_source", { enum: ["catalogue", "declared"] }),
    runCount: integer("run_count").notNull(),
    status: text("status", { enum: SUBMISSION_STATUSES }).notNull().default("visible"),
    statusReason: text("status_reason"),
    /**
     * Random per ingest request: the ingest batch's incremental count updates
     * run only where the stored row carries their own request's token, i.e.
     * where this batch's INSERT stored the submission (a racing identical
     * upload, even in the same millisecond, inserts nothing and counts nothing).
     */
    ingestToken: text("ingest_token"),
  },
  (t) => [
    index("submissions_public_key").on(t.publicKey),
    index("submissions_board").on(t.boardId),
    index("submissions_received").on(t.receivedAt),
    index("submissions_status").on(t.status),
    // Covering indexes for the aggregate recomputes (issue 8): `document` sits
    // before status/board_id/public_key in the row, so reading those columns
    // from the table walks the document's overflow pages. With these, the
    // visible-runs join and the board/contributor counts never touch the row.
    index("submissions_id_status").on(t.id, t.status, t.boardId),
    index("submissions_board_status_key").on(t.boardId, t.status, t.publicKey),
    index("submissions_key_status").on(t.publicKey, t.status),
  ],
);

export const runs = sqliteTable(
  "runs",
  {
    submissionId: text("submission_id").notNull().references(() => submissions.id),
    /** Position in document.runs. */
    runIndex: integer("run_index").notNull(),
    /** The configuration this run counts towards; null for a failed run (it ranks nowhere). */
    configurationId: text("configuration_id"),
    /** Denormalised from the submission so distinct contributors count without a join. */
    publicKey: text("public_key").notNull(),
    status: text("status", { enum: ["ok", "failed"] }).notNull(),
    error: text("error"),
    /** Model variant id: the GGUF's sha256 when known, else name + quantisation (see db/configuration.ts). */
    modelId: text("model_id").notNull(),
    /** Model family: slug of the model name (quantisations side by side). */
    modelSlug: text("model_slug").notNull(),
    modelName: text("model_name").notNull(),
    modelSha256: text("model_sha256"),
    modelFileName: text("model_file_name"),
    quantisation: text("quantisation").notNull(),
    parameters: integer("parameters"),
    sizeBytes: integer("size_bytes"),
    arch: text("arch"),
    threads: integer("threads").notNull(),
    gpuLayers: integer("gpu_layers").notNull(),
    contextSize: integer("context_size").notNull(),
    batchSize: integer("batch_size").notNull(),
    ubatchSize: integer("ubatch_size").notNull(),
    flashAttention: integer("flash_attention", { mode: "boolean" }).notNull(),
    ...metricColumns(),
    /**
     * The submission's status is "visible" (copied from submissions.status:
     * written by ingest, kept in step by the trigger submissions_status_runs
     * in migration 0005 on every status change). Lets the configuration
     * aggregates read only the indexes below, never the submissions table.
     */
    visible: integer("visible", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.submissionId, t.runIndex] }),
    // Counts and distinct keys of a configuration's visible runs (covering).
    index("runs_configuration_visible").on(t.configurationId, t.visible, t.publicKey, t.submissionId),
    // One sorted index per figure column: a configuration's median is an
    // OFFSET walk over its visible, non-null entries (no table rows, no sort).
    ...[...METRIC_IDS, ...METRIC_IDS.map((id) => `${id}_sd` as const)].map((c) =>
      index(`runs_median_${c}`).on(t.configurationId, t.visible, t[c]).where(sql`${sql.identifier(c)} IS NOT NULL`),
    ),
    index("runs_model").on(t.modelId, t.submissionId),
    index("runs_model_slug").on(t.modelSlug),
  ],
);

/**
 * One row per configuration: the key fields (see db/configuration.ts for the
 * key and why it includes the primary meter's scope), the median of every
 * metric over the configuration's runs from visible submissions, the median of
 * their per-run stddevs, and counts. Rewritten by the ingest batch.
 */
export const configurations = sqliteTable(
  "configurations",
  {
    id: text("id").primaryKey(),
    suiteId: text("suite_id").notNull(),
    suiteVersion: text("suite_version").notNull(),
    modelId: text("model_id").notNull(),
    modelSlug: text("model_slug").notNull(),
    modelName: text("model_name").notNull(),
    modelSha256: text("model_sha256"),
    quantisation: text("quantisation").notNull(),
    parameters: integer("parameters"),
    boardId: text("board_id").notNull(),
    boardName: text("board_name").notNull(),
    acceleratorKind: text("accelerator_kind", { enum: CONFIG_ACCELERATOR_KINDS }).notNull(),
    acceleratorName: text("accelerator_name"),
    backend: text("backend", { enum: BACKENDS }).notNull(),
    runtimeName: text("runtime_name").notNull(),
    threads: integer("threads").notNull(),
    gpuLayers: integer("gpu_layers").notNull(),
    /** Scope of the primary meter, "none" when not measured: energy is ranked within one scope. */
    meterScope: text("meter_scope", { enum: METER_SCOPES }).notNull(),
    runCount: integer("run_count").notNull().default(0),
    submissionCount: integer("submission_count").notNull().default(0),
    keyCount: integer("key_count").notNull().default(0),
    firstSubmittedAt: text("first_submitted_at"),
    lastSubmittedAt: text("last_submitted_at"),
    latestSubmissionId: text("latest_submission_id"),
    /**
     * Bumped by every full recompute (moderation): configuration_medians rows
     * of an older epoch are stale, and the next ingest rebuilds them.
     */
    medianEpoch: integer("median_epoch").notNull().default(0),
    ...metricColumns(),
  },
  (t) => [
    index("configurations_board").on(t.boardId),
    index("configurations_model").on(t.modelId),
    index("configurations_model_slug").on(t.modelSlug),
    index("configurations_backend").on(t.backend),
    index("configurations_accelerator").on(t.acceleratorKind),
    // One index per metric so ORDER BY <metric> LIMIT n walks an index; energy
    // metrics lead with the scope because they are only ranked within one.
    ...METRIC_IDS.map((id) =>
      METRIC_BY_ID[id].axis === "energy"
        ? index(`configurations_rank_${id}`).on(t.meterScope, t[id], t.id)
        : index(`configurations_rank_${id}`).on(t[id], t.id),
    ),
  ],
);

/**
 * Where each configuration median stands, per figure column, so an ingest
 * moves it by what the upload added instead of walking half the
 * configuration (workers/queries/median-state.ts): `n` visible values,
 * `lo` the value at rank floor((n-1)/2) (0-based, ascending), `below` how
 * many values are smaller than `lo`, and the resulting `median`. Valid while
 * `epoch` equals configurations.median_epoch.
 */
export const configurationMedians = sqliteTable(
  "configuration_medians",
  {
    configurationId: text("configuration_id").notNull(),
    /** The runs/configurations column: `<metric>` or `<metric>_sd`. */
    figure: text("figure").notNull(),
    epoch: integer("epoch").notNull(),
    n: integer("n").notNull(),
    lo: real("lo"),
    below: integer("below").notNull(),
    median: real("median"),
  },
  (t) => [primaryKey({ columns: [t.configurationId, t.figure] })],
);

/** Boards seen in submissions (the catalogue itself lives in db/catalogue.ts). */
export const boards = sqliteTable("boards", {
  /** Catalogue id when the name matched an entry, else a slug of the submitted name. */
  id: text("id").primaryKey(),
  /** Catalogue name, or the first submitted name for a board not in the catalogue. */
  name: text("name").notNull(),
  inCatalogue: integer("in_catalogue", { mode: "boolean" }).notNull(),
  firstSeenAt: text("first_seen_at").notNull(),
  lastSeenAt: text("last_seen_at").notNull(),
  submissionCount: integer("submission_count").notNull().default(0),
  keyCount: integer("key_count").notNull().default(0),
});

/** Model variants seen (one per sha256, or name + quantisation when no hash was given). */
export const models = sqliteTable(
  "models",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    quantisation: text("quantisation").notNull(),
    sha256: text("sha256"),
    parameters: integer("parameters"),
    sizeBytes: integer("size_bytes"),
    arch: text("arch"),
    firstSeenAt: text("first_seen_at").notNull(),
    lastSeenAt: text("last_seen_at").notNull(),
    submissionCount: integer("submission_count").notNull().default(0),
    keyCount: integer("key_count").notNull().default(0),
    boardCount: integer("board_count").notNull().default(0),
  },
  (t) => [index("models_slug").on(t.slug)],
);

/**
 * Model families (one per model name slug) with counts over all their
 * variants, kept so /models never groups every run per request.
 */
export const modelFamilies = sqliteTable("model_families", {
  slug: text("slug").primaryKey(),
  name: text("name").notNull(),
  submissionCount: integer("submission_count").notNull().default(0),
  keyCount: integer("key_count").notNull().default(0),
  boardCount: integer("board_count").notNull().default(0),
});

// Abuse resistance and moderation tables (rate limits, log, revoked keys, nonces).
export * from "./security-schema.js";
// The registry version the read cache is keyed by (workers/cache).
export * from "./cache-schema.js";

export type ContributorRow = typeof contributors.$inferSelect;
export type SubmissionRow = typeof submissions.$inferSelect;
export type RunRow = typeof runs.$inferSelect;
export type ConfigurationRow = typeof configurations.$inferSelect;
export type BoardRow = typeof boards.$inferSelect;
export type ModelRow = typeof models.$inferSelect;
export type ModelFamilyRow = typeof modelFamilies.$inferSelect;
