/**
 * llama-bench JSON (`llama-bench -o json`: an array of test records) into an
 * edgebench result document, marked origin "imported" with no power. Fields
 * per record follow llama-bench's own field list (anchors.md): build_commit,
 * build_number, cpu_info, gpu_info, backends, model_filename, model_type,
 * model_size, model_n_params, n_batch, n_ubatch, n_threads, n_gpu_layers,
 * flash_attn, n_prompt, n_gen, n_depth, test_time, samples_ns, ...
 * Raw samples_ns are kept; every derived figure is recomputed from them.
 */
import path from "node:path";
import { type Backend, LIMITS, type ModelRun, RESULT_SCHEMA_ID, type ResultDocument, type System, type TestResult } from "@edgebench/contract";
import { z } from "zod";
import { uploaderIdentity } from "../runner/document.js";

const num = z.coerce.number();
export const LlamaBenchRecord = z.looseObject({
  build_commit: z.string().optional(),
  build_number: num.optional(),
  cpu_info: z.string().optional(),
  gpu_info: z.string().optional(),
  backends: z.string().optional(),
  model_filename: z.string(),
  model_type: z.string().optional(),
  model_size: num.optional(),
  model_n_params: num.optional(),
  n_batch: num,
  n_ubatch: num.optional(),
  n_threads: num,
  n_gpu_layers: num.default(0),
  flash_attn: z.union([z.boolean(), z.number()]).transform(Boolean).default(false),
  n_prompt: num,
  n_gen: num,
  n_depth: num.default(0),
  test_time: z.string().optional(),
  samples_ns: z.array(num).min(1),
});
export type LlamaBenchRecord = z.infer<typeof LlamaBenchRecord>;

export class ImportError extends Error {
  override name = "ImportError";
}

/** llama.cpp's descriptive ftype names (llama_model_ftype_name) -> short quantisation names. */
export function quantFromModelType(modelType: string | undefined): string {
  if (!modelType) return "unknown";
  const m = /\b((?:all )?F32|F16|BF16|[IT]?Q\d(?:_[0-9A-Z]+)*(?: - (?:Small|Medium|Large|Extra small|Extra-small|XS|S|M|L))?)\b/i.exec(modelType);
  if (!m) return "unknown";
  const raw = m[1]!.replace(/^all /i, "");
  const size = /- (Small|Medium|Large|Extra.small|XS|S|M|L)$/i.exec(raw)?.[1];
  const base = raw.replace(/ - .*$/, "").toUpperCase();
  if (!size) return base;
  const letter = /^extra/i.test(size) ? "XS" : size.length <= 2 ? size.toUpperCase() : size[0]!.toUpperCase();
  return `${base}_${letter}`;
}

function backendOf(backends: string | undefined, ngl: number): Exclude<Backend, "http"> {
  const list = (backends ?? "").toLowerCase();
  if (ngl > 0 || !list.includes("cpu")) {
    if (list.includes("cuda")) return "cuda";
    if (list.includes("metal")) return "metal";
    if (list.includes("vulkan")) return "vulkan";
  }
  return "cpu";
}

function testOf(r: LlamaBenchRecord): TestResult {
  const kind = r.n_prompt > 0 && r.n_gen > 0 ? "pg" : r.n_gen > 0 ? "tg" : "pp";
  const base = kind === "pg" ? `pp${r.n_prompt}+tg${r.n_gen}` : kind === "tg" ? `tg${r.n_gen}` : `pp${r.n_prompt}`;
  return {
    name: r.n_depth > 0 ? `${base}@d${r.n_depth}` : base,
    kind,
    nPrompt: r.n_prompt,
    nGen: r.n_gen,
    depth: r.n_depth,
    status: "ok",
    samplesNs: r.samples_ns.slice(0, LIMITS.maxReps).map((ns) => Math.max(1, Math.round(ns))),
    timing: "client",
    tokenCounts: "exact",
  };
}

export interface ImportOptions {
  /** The system the file was produced on (detected here, or declared). */
  system: System;
  suite: { id: string; version: string };
  fleet?: { label?: string; node?: string };
}

export function parseLlamaBench(text: string): LlamaBenchRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // llama-bench -o jsonl writes one record per line.
    try {
      data = text
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l));
    } catch {
      throw new ImportError(`not llama-bench JSON or JSONL: ${(err as Error).message}`);
    }
  }
  if (!Array.isArray(data) || data.length === 0) throw new ImportError("expected llama-bench's JSON output: a non-empty array of test records");
  return data.map((rec, i) => {
    const parsed = LlamaBenchRecord.safeParse(rec);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ImportError(`record ${i}: ${issue.path.join(".") || "(record)"}: ${issue.message}`);
    }
    return parsed.data;
  });
}

export function llamaBenchToDocument(records: LlamaBenchRecord[], opts: ImportOptions): ResultDocument {
  const first = records[0]!;
  // One run per model file and settings; tests in the order llama-bench ran them.
  const runs = new Map<string, ModelRun>();
  for (const r of records) {
    const key = JSON.stringify([r.model_filename, r.n_threads, r.n_gpu_layers, r.n_batch, r.n_ubatch, r.flash_attn]);
    let run = runs.get(key);
    if (!run) {
      run = {
        model: {
          name:
            path
              .basename(r.model_filename)
              .replace(/\.gguf$/i, "")
              .slice(0, 128) || "model",
          fileName: path.basename(r.model_filename).slice(0, 1024) || undefined,
          sizeBytes: r.model_size,
          parameters: r.model_n_params,
          quantisation: quantFromModelType(r.model_type),
          arch: r.model_type?.split(" ")[0]?.slice(0, 128),
          source: "local",
        },
        settings: {
          threads: Math.max(1, r.n_threads),
          // llama-bench reports its default of 99 even on a CPU-only build, where nothing is offloaded.
          gpuLayers: backendOf(r.backends, r.n_gpu_layers) === "cpu" ? 0 : Math.max(0, r.n_gpu_layers),
          contextSize: Math.max(1, r.n_depth + r.n_prompt + r.n_gen),
          batchSize: Math.max(1, r.n_batch),
          ubatchSize: Math.max(1, r.n_ubatch ?? r.n_batch),
          flashAttention: r.flash_attn,
        },
        status: "ok",
        tests: [],
      };
      runs.set(key, run);
    }
    // llama-bench sizes its context to the test; the run records the largest.
    run.settings.contextSize = Math.max(run.settings.contextSize, r.n_depth + r.n_prompt + r.n_gen);
    if (run.tests.length < LIMITS.maxTestsPerRun) run.tests.push(testOf(r));
  }
  if (runs.size > LIMITS.maxRuns) throw new ImportError(`${runs.size} model/settings combinations; a document holds at most ${LIMITS.maxRuns}`);
  const createdAt =
    first.test_time && !Number.isNaN(Date.parse(first.test_time)) ? new Date(first.test_time).toISOString() : new Date().toISOString();
  const system: System = { ...opts.system, cpu: { ...opts.system.cpu, model: (first.cpu_info?.trim() || opts.system.cpu.model).slice(0, 128) } };
  if (first.gpu_info?.trim() && !system.accelerators.some((a) => a.kind === "gpu")) {
    system.accelerators = [
      ...first.gpu_info
        .split(",")
        .map((g) => ({ kind: "gpu" as const, name: g.trim().slice(0, 128), detectedBy: "llama-bench gpu_info" }))
        .filter((a) => a.name),
      ...system.accelerators,
    ].slice(0, LIMITS.maxAccelerators);
  }
  const doc: ResultDocument = {
    schema: RESULT_SCHEMA_ID,
    suite: opts.suite,
    uploader: uploaderIdentity(),
    createdAt,
    origin: { kind: "imported", tool: "llama-bench" },
    system,
    runtime: {
      name: "llama.cpp llama-bench",
      version: first.build_number !== undefined ? `b${first.build_number}` : "unknown",
      llamaCppBuild: first.build_commit ? `${first.build_commit}${first.build_number !== undefined ? ` (b${first.build_number})` : ""}` : undefined,
      backend: backendOf(first.backends, first.n_gpu_layers),
    },
    power: { meters: [], note: "Imported from llama-bench output: no power was measured." },
    runs: [...runs.values()],
  };
  if (!doc.runtime.llamaCppBuild) delete doc.runtime.llamaCppBuild;
  // llama-bench names its commit; which CPU variant it ran and whether it was a release build it does not say.
  if (first.build_commit && /^[0-9a-f]{6,40}$/i.test(first.build_commit)) doc.runtime.llamaCpp = { commit: first.build_commit };
  if (opts.fleet && (opts.fleet.label || opts.fleet.node)) doc.fleet = opts.fleet;
  return doc;
}
