/**
 * The registry's tables (drizzle sqlite-core); `npm run db:generate` turns this
 * file into the flat SQL migrations in db/migrations.
 *
 * The data path, table by table:
 * - `submissions` keeps every signed document verbatim (its RFC 8785 canonical
 *   JSON: exactly the bytes that were signed and hashed into the id), so anyone
 *   can re-verify a result offline. Nothing derived is trusted from the client.
 * - `runs`: one row per model run, with the figures the registry computed from
 *   the raw samples as one JSON object keyed by metric id (`figures`). A new
 *   metric in the contract's list is a new key there: no column, no index.
 * - `configurations` + `configuration_metrics`: a leaderboard row and its
 *   figures, the median over the configuration's visible runs, one narrow row
 *   per (configuration, metric) with one ranking index over all metrics. The
 *   upload marks its configurations pending (`pending_seq`); the aggregation
 *   step (workers/aggregate) recomputes them from the runs, the same way after
 *   an upload and after moderation.
 * - `contributors`, `boards`, `models`, `model_families`: what exists, with counts.
 * - `standard_files`: the GGUF files (by sha256) the registry pins as a suite's
 *   standard model, so `standard=1` compares runs of the very same file.
 * - `retired_builds`: rules that take a runtime build's results out of the
 *   rankings (a buggy release, a broken llama.cpp commit); `submissions.retired_rule`
 *   names the rule that retired a result.
 */

import { ACCELERATOR_KINDS, BACKENDS, COOLING, type ComputedMetrics, METER_SCOPES } from "@edgebench/contract";
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Moderation state of a submission; only visible ones feed the aggregates. */
export const SUBMISSION_STATUSES = ["visible", "hidden", "flagged"] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];
/** "cpu" is a configuration whose model runs on the CPU cores (no accelerator used). */
export const CONFIG_ACCELERATOR_KINDS = ["cpu", ...ACCELERATOR_KINDS] as const;
export type ConfigAcceleratorKind = (typeof CONFIG_ACCELERATOR_KINDS)[number];
/** configuration_metrics.rank_scope of a metric ranked across every meter scope (see ranking). */
export const ANY_SCOPE = "any";

export const contributors = sqliteTable("contributors", {
  /** Raw 32-byte Ed25519 key, base64url: the contributor's identity. */
  publicKey: text("public_key").primaryKey(),
  fingerprint: text("fingerprint").notNull(),
  /** The optional display name carried (and signed) in the latest document that had one. */
  displayName: text("display_name"),
  firstSeenAt: text("first_seen_at").notNull(),
  lastSeenAt: text("last_seen_at").notNull(),
  submissionCount: integer("submission_count").notNull().default(0),
});

export const submissions = sqliteTable(
  "submissions",
  {
    /** Lowercase hex SHA-256 of the canonical document bytes. */
    id: text("id").primaryKey(),
    publicKey: text("public_key")
      .notNull()
      .references(() => contributors.publicKey),
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
    /** Primary meter (meters[0]); null when nothing was measured. */
    meterKind: text("meter_kind"),
    meterScope: text("meter_scope", { enum: METER_SCOPES }).notNull(),
    /** The envelope the server resolved (declared in the document, else the catalogue's); null when unknown. */
    envelopeWidthMm: real("envelope_width_mm"),
    envelopeDepthMm: real("envelope_depth_mm"),
    envelopeHeightMm: real("envelope_height_mm"),
    envelopeSource: text("envelope_source", { enum: ["catalogue", "declared"] }),
    /** The footprint the server resolved (the declared envelope's width x depth, else the catalogue's board size); null when unknown. */
    footprintWidthMm: real("footprint_width_mm"),
    footprintDepthMm: real("footprint_depth_mm"),
    footprintSource: text("footprint_source", { enum: ["catalogue", "declared"] }),
    runCount: integer("run_count").notNull(),
    status: text("status", { enum: SUBMISSION_STATUSES }).notNull().default("visible"),
    statusReason: text("status_reason"),
    /**
     * Random per ingest request: the upload batch's count updates run only
     * where the stored row carries their own request's token, i.e. where this
     * batch's INSERT stored the submission (a racing identical upload, even in
     * the same millisecond, inserts nothing and counts nothing).
     */
    ingestToken: text("ingest_token"),
    /**
     * The contract's FIGURES_VERSION the runs' figures were computed with; a
     * result of an older one is recomputed from this stored document by the
     * aggregation step's cron pass (workers/aggregate/refigure.ts).
     */
    figuresVersion: text("figures_version").notNull().default(""),
    /** The document's fleet label and node name (cluster runs): a fleet page lists its nodes by these. */
    fleetLabel: text("fleet_label"),
    fleetNode: text("fleet_node"),
    /** The llama.cpp commit the document records (runtime.llamaCpp.commit), lowercased: what a retirement rule's commit matches. */
    llamaCppCommit: text("llama_cpp_commit"),
    /**
     * The oldest retirement rule (retired_builds.id) that matches this result's runtime build, null when none:
     * a retired result stays stored and readable but its runs are not visible to the rankings.
     */
    retiredRule: text("retired_rule"),
  },
  (t) => [
    // `document` sits before these columns in the row, so reading them from the table walks the
    // document's overflow pages: the counts read these covering indexes instead.
    index("submissions_id_status").on(t.id, t.status, t.boardId),
    index("submissions_board_status_key").on(t.boardId, t.status, t.publicKey),
    index("submissions_key_status").on(t.publicKey, t.status),
    index("submissions_figures_version").on(t.figuresVersion),
    // Covering: a fleet page reads its results' rows from this index alone, never the documents' pages.
    index("submissions_fleet").on(t.fleetLabel, t.status, t.receivedAt, t.id, t.fleetNode, t.boardName),
    // Covering: a retirement rule's change re-matches one runtime's results from this index alone (workers/moderation/retired-builds.ts).
    index("submissions_runtime").on(t.runtimeName, t.runtimeVersion, t.llamaCppCommit, t.retiredRule, t.status, t.id),
    // The bulk export's keyset order over visible results (workers/read/export.ts): a page's bound and each chunk from the index.
    index("submissions_export").on(t.status, t.receivedAt, t.id),
  ],
);

export const runs = sqliteTable(
  "runs",
  {
    submissionId: text("submission_id")
      .notNull()
      .references(() => submissions.id),
    /** Position in document.runs. */
    runIndex: integer("run_index").notNull(),
    /** The configuration this run counts towards; null for a failed run (it ranks nowhere). */
    configurationId: text("configuration_id"),
    /** Denormalised from the submission (never changes) so the aggregation reads runs only. */
    publicKey: text("public_key").notNull(),
    receivedAt: text("received_at").notNull(),
    status: text("status", { enum: ["ok", "failed"] }).notNull(),
    error: text("error"),
    /** Model variant id: the GGUF's sha256 when known, else name + quantisation (workers/ingest/identity.ts). */
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
    /** Every figure the registry computed for the run (contract computeMetrics), keyed by metric id. */
    figures: text("figures", { mode: "json" }).$type<ComputedMetrics>().notNull(),
    /**
     * The run counts in the rankings: its submission's status is "visible" and its build is not retired
     * (`retired_rule` null). Written with the run; changed by moderation and retirement rules in the same batch.
     */
    visible: integer("visible", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.submissionId, t.runIndex] }),
    // The aggregation step's counts and latest result, read from this index alone (covering).
    index("runs_configuration_visible").on(t.configurationId, t.visible, t.receivedAt, t.submissionId, t.publicKey),
    index("runs_model").on(t.modelId, t.submissionId),
    index("runs_model_slug").on(t.modelSlug),
  ],
);

/**
 * One row per configuration: the key fields (workers/ingest/identity.ts: the
 * key and why it includes the primary meter's scope) and counts over the
 * configuration's visible runs. Its figures are configuration_metrics rows.
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
    /**
     * Cooling as the contributor declared it, null when not stated: a fanless
     * board and the same board with a fan are different configurations once
     * they run for minutes (the sustained test).
     */
    cooling: text("cooling", { enum: COOLING }),
    runCount: integer("run_count").notNull().default(0),
    submissionCount: integer("submission_count").notNull().default(0),
    keyCount: integer("key_count").notNull().default(0),
    firstSubmittedAt: text("first_submitted_at"),
    lastSubmittedAt: text("last_submitted_at"),
    latestSubmissionId: text("latest_submission_id"),
    /** Moved by every upload or moderation action that changes the configuration's runs. */
    pendingSeq: integer("pending_seq").notNull().default(0),
    /** The pending_seq the stored aggregate was computed at; behind pending_seq: the aggregation has work to do. */
    aggregatedSeq: integer("aggregated_seq").notNull().default(0),
    /**
     * configuration_values no longer lists exactly the visible runs' figures (moderation changed which runs
     * count, or their figures were recomputed): the aggregation step rebuilds them from the runs first.
     */
    valuesStale: integer("values_stale", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    index("configurations_board").on(t.boardId),
    index("configurations_model").on(t.modelId),
    index("configurations_model_slug").on(t.modelSlug),
    index("configurations_backend").on(t.backend),
    index("configurations_accelerator").on(t.acceleratorKind),
    index("configurations_meter_scope").on(t.meterScope),
    index("configurations_cooling").on(t.cooling),
    // Only configurations waiting for the aggregation: the step finds its work without a scan.
    index("configurations_pending").on(t.id).where(sql`${t.aggregatedSeq} < ${t.pendingSeq}`),
  ],
);

/**
 * A configuration's figures: per metric, the median over its visible runs
 * that measured it (contract aggregateRuns), the median of their stddevs over
 * repetitions, and how many runs. Only configurations with visible runs have
 * rows. `rank_scope` is the group a figure is ranked within: the
 * configuration's meter scope for a metric compared within one scope
 * (energy), ANY_SCOPE for the rest; so one index ranks every metric.
 */
export const configurationMetrics = sqliteTable(
  "configuration_metrics",
  {
    configurationId: text("configuration_id").notNull(),
    metric: text("metric").notNull(),
    rankScope: text("rank_scope").notNull(),
    value: real("value").notNull(),
    stddev: real("stddev"),
    runs: integer("runs").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.configurationId, t.metric] }),
    index("configuration_metrics_rank").on(t.metric, t.rankScope, t.value, t.configurationId),
  ],
);

/**
 * Every visible run's figure per (configuration, metric), gathered where the
 * aggregation step reads them: the values as the decimal text JavaScript
 * printed for each double (exact), joined by commas, and likewise the runs'
 * stddevs over repetitions where they have one. An upload appends its runs'
 * figures in its own batch; the aggregation step rebuilds a configuration's
 * lists from `runs` when values_stale says they no longer match. Read in one
 * row per metric, however many runs a configuration has, instead of every
 * run's whole figure set.
 */
export const configurationValues = sqliteTable(
  "configuration_values",
  {
    configurationId: text("configuration_id").notNull(),
    metric: text("metric").notNull(),
    figureValues: text("figure_values").notNull(),
    stddevValues: text("stddev_values").notNull(),
  },
  (t) => [primaryKey({ columns: [t.configurationId, t.metric] })],
);

/** Boards seen in submissions (the catalogue itself lives in db/catalogue). */
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

/**
 * GGUF files pinned as a suite's standard model: `standard=1` ranks only
 * configurations whose model variant (the sha256, workers/ingest/identity.ts)
 * is one of them. Read at query time, so a pin applies at once to results
 * stored before it.
 */
export const standardFiles = sqliteTable("standard_files", {
  /** Lowercase hex SHA-256 of the GGUF file: the model variant id of runs of this file. */
  sha256: text("sha256").primaryKey(),
  name: text("name").notNull(),
  quantisation: text("quantisation").notNull(),
  suiteId: text("suite_id").notNull(),
  /** Where the file is published, e.g. "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf". */
  source: text("source").notNull(),
  addedAt: text("added_at").notNull(),
});

/**
 * Retirement rules: a runtime's builds whose results leave the rankings. A
 * rule names a runtime and either a llama.cpp commit (prefix match against the
 * commit a document records) or a version range (inclusive, either end
 * optional, compared as dotted numbers through the sortable keys stored beside
 * the versions as given: workers/moderation/build-rules.ts).
 */
export const retiredBuilds = sqliteTable("retired_builds", {
  id: text("id").primaryKey(),
  runtime: text("runtime").notNull(),
  /** Lowercase hex, 7-40 digits. */
  llamaCppCommit: text("llama_cpp_commit"),
  minVersion: text("min_version"),
  maxVersion: text("max_version"),
  minVersionKey: text("min_version_key"),
  maxVersionKey: text("max_version_key"),
  reason: text("reason").notNull(),
  createdAt: text("created_at").notNull(),
});

// The registry version the read cache is keyed by (workers/cache).
export * from "./cache-schema.js";
// Abuse resistance and moderation tables (rate limits, log, revoked keys, nonces).
export * from "./security-schema.js";

export type ContributorRow = typeof contributors.$inferSelect;
export type SubmissionRow = typeof submissions.$inferSelect;
export type RunRow = typeof runs.$inferSelect;
export type ConfigurationRow = typeof configurations.$inferSelect;
export type ConfigurationMetricRow = typeof configurationMetrics.$inferSelect;
export type ConfigurationValuesRow = typeof configurationValues.$inferSelect;
export type BoardRow = typeof boards.$inferSelect;
export type ModelRow = typeof models.$inferSelect;
export type ModelFamilyRow = typeof modelFamilies.$inferSelect;
export type StandardFileRow = typeof standardFiles.$inferSelect;
export type RetiredBuildRow = typeof retiredBuilds.$inferSelect;
