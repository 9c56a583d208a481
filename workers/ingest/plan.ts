/**
 * From a verified document to the rows the registry stores. Every figure is
 * recomputed here from the raw samples with the contract's computeMetrics();
 * a document has no place to carry its own figures, and none would be read.
 */
import { type ComputedMetrics, computeMetrics, FIGURES_VERSION, type ResultDocument } from "@edgebench/contract";
import type { configurations, models, runs, submissions } from "../../db/schema.js";
import {
  boardIdFor,
  type ConfigurationKey,
  configurationId,
  configurationKey,
  modelSlug,
  modelVariantId,
  primaryMeterScope,
  type ResolvedSize,
  resolveSize,
} from "./identity.js";

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
  size: ResolvedSize;
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

/** The size a submission's row records (what the size metrics used; the result page shows it). */
export function sizeColumns(size: ResolvedSize) {
  return {
    envelopeWidthMm: size.envelope?.widthMm ?? null,
    envelopeDepthMm: size.envelope?.depthMm ?? null,
    envelopeHeightMm: size.envelope?.heightMm ?? null,
    envelopeSource: size.envelope?.source ?? null,
    footprintWidthMm: size.footprint?.widthMm ?? null,
    footprintDepthMm: size.footprint?.depthMm ?? null,
    footprintSource: size.footprint?.source ?? null,
  } satisfies Partial<typeof submissions.$inferInsert>;
}

export async function planIngest(v: VerifiedSubmission, receivedAt: string): Promise<IngestPlan> {
  const doc = v.document;
  const board = boardIdFor(doc.system.board, v.fingerprint);
  const size = resolveSize(doc.system.envelope, board.catalogue);
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
      ...sizeColumns(size),
      runCount: doc.runs.length,
      figuresVersion: FIGURES_VERSION,
      fleetLabel: doc.fleet?.label ?? null,
      fleetNode: doc.fleet?.node ?? null,
      llamaCppCommit: doc.runtime.llamaCpp?.commit?.toLowerCase() ?? null,
    },
    runs: [],
    configurations: new Map(),
    models: new Map(),
    metrics: [],
    size,
  };

  for (const [runIndex, run] of doc.runs.entries()) {
    const figures = run.status === "ok" ? computeMetrics({ run, doc, ...size }) : {};
    plan.metrics.push(figures);
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
      receivedAt,
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
      figures,
    });
  }
  return plan;
}
