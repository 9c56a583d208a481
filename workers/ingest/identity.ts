/**
 * What the registry derives from a verified document to file it: the board
 * it ran on (a catalogue entry or a slug of the submitted name), the model
 * variant and family, the size the size metrics use, and the configuration
 * (leaderboard row) each run counts towards.
 *
 * A configuration is the set of things a leaderboard row holds fixed, so the
 * runs aggregated into it are repeat measurements of one setup:
 *
 *   suite id + version, model variant, board, accelerator kind + name, backend,
 *   runtime name, threads, GPU layers, and the primary meter's scope.
 *
 * Why the meter scope is part of the key (rather than per-scope energy
 * aggregates beside a scope-less row): energy figures are only comparable
 * within one scope (a wall meter includes the PSU and peripherals, SoC rails
 * do not), and a row must never mix them in one median. With the scope in the
 * key every row has exactly one scope and its energy medians are
 * like-for-like. The cost is that the same setup measured with two different
 * meters shows as two rows (both carry their scope); their throughput figures
 * stay separate, which is also honest because a fast-polling meter can
 * perturb what it measures.
 *
 * Model variant: the GGUF's sha256 when the document gives it (two files with
 * one name can differ), else name + quantisation.
 */
import {
  type Cooling,
  canonicalBytes,
  type Envelope,
  type Footprint,
  type MeterScope,
  type ModelRun,
  type ResultDocument,
  sha256Hex,
} from "@edgebench/contract";
import { type CatalogueBoard, matchBoard } from "../../db/catalogue/index.js";
import type { ConfigAcceleratorKind } from "../../db/schema.js";
import { isUnidentifiedBoardId, unidentifiedBoard } from "../ranking/test-data.js";

/** A URL-safe slug: lowercase ASCII letters and digits joined by single dashes. */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return slug || "unknown";
}

/**
 * The board id stored for a submission: the catalogue id, else a slug of the
 * submitted name; a board no one identified (the uploader's "unknown board",
 * or a name that slugs to an id of unidentified boards) is filed per
 * contributor key (ranking/test-data.ts), so unknown machines never pool.
 */
export function boardIdFor(
  board: Pick<ResultDocument["system"]["board"], "name" | "identifiedBy">,
  fingerprint: string,
): { id: string; name: string; catalogue: CatalogueBoard | null } {
  const entry = matchBoard(board.name);
  if (entry) return { id: entry.id, name: entry.name, catalogue: entry };
  const slug = slugify(board.name);
  if (board.identifiedBy === "unknown" || isUnidentifiedBoardId(slug)) return { ...unidentifiedBoard(fingerprint), catalogue: null };
  return { id: slug, name: board.name, catalogue: null };
}

export interface ResolvedSize {
  envelope: Envelope | null;
  footprint: Footprint | null;
}

/**
 * The size the size metrics use. Envelope (tokens/s per litre): the one the
 * contributor declared, else the catalogue's; a document claiming source
 * "catalogue" gets the registry's catalogue figure, not its own copy.
 * Footprint (tokens/s per cm²): the declared envelope's width x depth, else
 * the catalogue's board size, else the catalogue envelope's width x depth (a
 * computer sold only as a chassis). Null where neither is known: the metric
 * is then "not measured", never guessed.
 */
export function resolveSize(declared: Envelope | undefined, entry: CatalogueBoard | null): ResolvedSize {
  const own = declared?.source === "declared" ? declared : null;
  const catalogueEnvelope = entry?.envelope?.value ?? null;
  const envelope: Envelope | null = own ?? (catalogueEnvelope ? { ...catalogueEnvelope, source: "catalogue" } : null);
  const area = own ?? entry?.pcb?.value ?? catalogueEnvelope;
  const footprint: Footprint | null = area ? { widthMm: area.widthMm, depthMm: area.depthMm, source: own ? "declared" : "catalogue" } : null;
  return { envelope, footprint };
}

export interface ConfigurationKey {
  suiteId: string;
  suiteVersion: string;
  modelId: string;
  boardId: string;
  acceleratorKind: ConfigAcceleratorKind;
  acceleratorName: string | null;
  backend: ResultDocument["runtime"]["backend"];
  runtimeName: string;
  threads: number;
  gpuLayers: number;
  meterScope: MeterScope;
  /**
   * Declared cooling, present only when declared: heat decides what a board
   * sustains, and leaving the key unchanged for undeclared results keeps their
   * configurations' ids.
   */
  cooling?: Cooling;
}

/** The model variant id: sha256 when known, else "<name slug>~<quantisation slug>". */
export function modelVariantId(model: ModelRun["model"]): string {
  return model.sha256 ?? `${slugify(model.name)}~${slugify(model.quantisation)}`;
}

/** The model family a variant belongs to (its quantisations sit side by side). */
export function modelSlug(model: ModelRun["model"]): string {
  return slugify(model.name);
}

/** The primary meter's scope, "none" when the document has no meter. */
export function primaryMeterScope(doc: ResultDocument): MeterScope {
  return doc.power.meters[0]?.scope ?? "none";
}

/**
 * Which processor the run used. llama.cpp backends: cpu means the CPU; cuda,
 * vulkan and metal mean the first GPU, unless no layer was offloaded (then the
 * CPU did the work). HTTP runtimes: the accelerator the server declares when it
 * names one the system lists, else the first NPU/TPU, else the first GPU, else
 * the CPU. The name is what the system reported.
 */
export function runAccelerator(doc: ResultDocument, run: ModelRun): { kind: ConfigAcceleratorKind; name: string | null } {
  const accs = doc.system.accelerators;
  const cpu = { kind: "cpu" as const, name: doc.system.cpu.model };
  const backend = doc.runtime.backend;
  if (backend === "cpu") return cpu;
  if (backend !== "http") {
    const gpu = accs.find((a) => a.kind === "gpu");
    if (!gpu || run.settings.gpuLayers === 0) return cpu;
    return { kind: "gpu", name: gpu.name };
  }
  const declared = doc.runtime.http?.declaredAccelerator?.toLowerCase();
  const named = declared ? accs.find((a) => a.name.toLowerCase() === declared) : undefined;
  const chosen = named ?? accs.find((a) => a.kind === "npu" || a.kind === "tpu") ?? accs.find((a) => a.kind === "gpu");
  return chosen ? { kind: chosen.kind, name: chosen.name } : cpu;
}

export function configurationKey(doc: ResultDocument, run: ModelRun, boardId: string): ConfigurationKey {
  const acc = runAccelerator(doc, run);
  return {
    suiteId: doc.suite.id,
    suiteVersion: doc.suite.version,
    modelId: modelVariantId(run.model),
    boardId,
    acceleratorKind: acc.kind,
    acceleratorName: acc.name,
    backend: doc.runtime.backend,
    runtimeName: doc.runtime.name,
    threads: run.settings.threads,
    gpuLayers: run.settings.gpuLayers,
    meterScope: primaryMeterScope(doc),
    ...(doc.system.conditions?.cooling ? { cooling: doc.system.conditions.cooling } : {}),
  };
}

/** A configuration's id: the first 24 hex digits of SHA-256 over its canonical key. */
export async function configurationId(key: ConfigurationKey): Promise<string> {
  return (await sha256Hex(canonicalBytes(key))).slice(0, 24);
}
