/**
 * From a verified document to the rows the registry stores. Every figure is
 * recomputed here from the raw samples with the contract's computeMetrics();
 * a document has no place to carry its own figures, and none would be read.
 */
import { computeMetrics, METRIC_IDS, type ComputedMetrics } from "@edgebench/contract";
import type { Envelope, ResultDocument } from "@edgebench/contract";
import { boardIdFor, resolveEnvelope } from "../db/catalogue.js";
import { configurationId, configurationKey, modelSlug, modelVariantId, primaryMeterScope, type ConfigurationKey } from "../db/configuration.js";
import type { configurations, models, runs, submissions } from "../db/schema.js";

export interface IngestPlan {
  id: string;
  publicKey: string;
  fingerprint: string;
  displayName: string | null;
  receivedAt: string;
  board: { id: string; name: string; inCatalogue: boolean };
  submission: typeof submissions.$inferInsert;
  runs: (typeof runs.$inferInsert)[];
  /** Configurations the runs count towards (new ones are created), keyed by id. */
  configurations: Map<string, typeof configurations.$inferInsert>;
  models: Map<string, typeof models.$inferInsert>;
  /** The figures per run, as stored: what GET /submissions/:id serves. */
  metrics: ComputedMetrics[];
  envelope: Envelope | null;
}

export interface VerifiedSubmission {
  id: string;
  /** Canonical JSON of the document: the signed bytes, stored verbatim. */
  canonical: string;
  document: ResultDocument;
  signature: string;
  publicKey: string;
  fingerprint: string;
}

/** The figure columns of a runs/configurations row: `<metric>` and `<metric>_sd`. */
export function metricColumnValues(m: ComputedMetrics): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const id of METRIC_IDS) {
    out[id] = m[id]?.value ?? null;
    out[`${id}_sd`] = m[id]?.stddev ?? null;
  }
  return out;
}

export async function planIngest(v: VerifiedSubmission, receivedAt: string): Promise<IngestPlan> {
  const doc = v.document;
  const board = boardIdFor(doc.system.board.name);
  const envelope = resolveEnvelope(doc.system.envelope, board.catalogue);
  const primaryMeter = doc.power.meters[0];

  const plan: IngestPlan = {
    id: v.id,
    publicKey: v.publicKey,
    fingerprint: v.fingerprint,
    displayName: doc.contributor?.displayName ?? null,
    receivedAt,
    board: { id: board.id, name: board.name, inCatalogue: board.catalogue !== null },
    submission: {
      id: v.id,
      publicKey: v.publicKey,
      signature: v.signature,
      document: v.canonical,
      schemaId: doc.schema,
      createdAt: doc.createdAt,
      receivedAt,
      suiteId: doc.suite.id,
      suiteVersion: doc.suite.version,
      uploaderName: doc.uploader.name,
      uploaderVersion: doc.uploader.version,
      originKind: doc.origin.kind,
      originTool: doc.origin.tool ?? null,
      boardId: board.id,
      boardName: doc.system.board.name,
      runtimeName: doc.runtime.name,
      runtimeVersion: doc.runtime.version,
      backend: doc.runtime.backend,
      meterKind: primaryMeter?.kind ?? null,
      meterScope: primaryMeterScope(doc),
      envelopeWidthMm: envelope?.widthMm ?? null,
      envelopeDepthMm: envelope?.depthMm ?? null,
      envelopeHeightMm: envelope?.heightMm ?? null,
      envelopeSource: envelope?.source ?? null,
      runCount: doc.runs.length,
    },
    runs: [],
    configurations: new Map(),
    models: new Map(),
    metrics: [],
    envelope,
  };

  for (const [runIndex, run] of doc.runs.entries()) {
    const metrics = run.status === "ok" ? computeMetrics({ run, doc, envelope }) : {};
    plan.metrics.push(metrics);
    const modelId = modelVariantId(run.model);
    let configId: string | null = null;
    // A failed run is stored (it is part of the signed record) but ranks nowhere.
    if (run.status === "ok") {
      const key: ConfigurationKey = configurationKey(doc, run, board.id);
      configId = await configurationId(key);
      if (!plan.configurations.has(configId)) {
        plan.configurations.set(configId, {
          id: configId,
          ...key,
          modelSlug: modelSlug(run.model),
          modelName: run.model.name,
          modelSha256: run.model.sha256 ?? null,
          quantisation: run.model.quantisation,
          parameters: run.model.parameters ?? null,
          boardName: board.name,
        });
      }
    }
    if (!plan.models.has(modelId)) {
      plan.models.set(modelId, {
        id: modelId,
        slug: modelSlug(run.model),
        name: run.model.name,
        quantisation: run.model.quantisation,
        sha256: run.model.sha256 ?? null,
        parameters: run.model.parameters ?? null,
        sizeBytes: run.model.sizeBytes ?? null,
        arch: run.model.arch ?? null,
        firstSeenAt: receivedAt,
        lastSeenAt: receivedAt,
      });
    }
    plan.runs.push({
      submissionId: v.id,
      runIndex,
      configurationId: configId,
      publicKey: v.publicKey,
      status: run.status,
      error: run.error ?? null,
      modelId,
      modelSlug: modelSlug(run.model),
      modelName: run.model.name,
      modelSha256: run.model.sha256 ?? null,
      modelFileName: run.model.fileName ?? null,
      quantisation: run.model.quantisation,
      parameters: run.model.parameters ?? null,
      sizeBytes: run.model.sizeBytes ?? null,
      arch: run.model.arch ?? null,
      threads: run.settings.threads,
      gpuLayers: run.settings.gpuLayers,
      contextSize: run.settings.contextSize,
      batchSize: run.settings.batchSize,
      ubatchSize: run.settings.ubatchSize,
      flashAttention: run.settings.flashAttention,
      ...metricColumnValues(metrics),
    });
  }
  return plan;
}
