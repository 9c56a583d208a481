/**
 * What the server says about itself, asked once before the tests run. Best
 * effort and never trusted for more than it is: a name and version for the
 * document, the model list (to catch a misspelt --model before timing anything)
 * and the context size when the server reports it.
 *
 *   llama-server: GET /props -> build_info ("b6000-abc1234"), n_ctx
 *   vLLM:         GET /version -> {version}; /v1/models owned_by "vllm"
 *   Ollama:       GET /api/version -> {version}; POST /api/show -> quantisation, parameters, family
 *   any OpenAI-compatible server: GET /v1/models -> {data: [{id, owned_by}]}
 */
import type { HttpApi } from "./spec.js";
import { getJson } from "./stream.js";

export interface ServerIdentity {
  /** Could the server be reached at all (any HTTP answer)? */
  reachable: boolean;
  /** Why not, when it could not. */
  error?: string;
  name?: string;
  version?: string;
  /** The llama.cpp build, when the server is llama.cpp's own. */
  llamaCppBuild?: string;
  /** Model ids the server lists (undefined: it does not list them). */
  models?: string[];
  /** Context size the server reports (tokens per sequence). */
  contextSize?: number;
}

export interface ServedModelFacts {
  quantisation?: string;
  parameters?: number;
  arch?: string;
  contextSize?: number;
}

const PROBE_MS = 5000;
const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim().slice(0, 128) : undefined);
const posInt = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined);

export async function probeServer(api: HttpApi, baseUrl: string): Promise<ServerIdentity> {
  if (api === "ollama") {
    const v = await getJson(`${baseUrl}/api/version`, PROBE_MS);
    if (v.status === 0) return { reachable: false, error: v.error };
    const tags = await getJson(`${baseUrl}/api/tags`, PROBE_MS);
    const list = (tags.json as { models?: Array<{ name?: unknown; model?: unknown }> } | undefined)?.models;
    return {
      reachable: true,
      name: "ollama",
      version: str((v.json as { version?: unknown } | undefined)?.version),
      models: Array.isArray(list) ? list.flatMap((m) => [str(m.name), str(m.model)].filter((x): x is string => Boolean(x))) : undefined,
    };
  }
  const models = await getJson(`${baseUrl}/v1/models`, PROBE_MS);
  if (models.status === 0) return { reachable: false, error: models.error };
  const data = (models.json as { data?: Array<{ id?: unknown; owned_by?: unknown }> } | undefined)?.data;
  const out: ServerIdentity = {
    reachable: true,
    models: Array.isArray(data) ? data.map((m) => str(m.id)).filter((x): x is string => Boolean(x)) : undefined,
  };
  const owners = Array.isArray(data) ? data.map((m) => str(m.owned_by)).filter(Boolean) : [];

  const props = await getJson(`${baseUrl}/props`, PROBE_MS);
  const p = props.status === 200 ? (props.json as Record<string, unknown> | undefined) : undefined;
  const build = str(p?.build_info);
  if (build) {
    out.name = "llama.cpp server";
    out.version = build;
    out.llamaCppBuild = build;
  }
  const dgs = p?.default_generation_settings as Record<string, unknown> | undefined;
  out.contextSize = posInt(dgs?.n_ctx) ?? posInt(p?.n_ctx);

  if (!out.name) {
    const ver = await getJson(`${baseUrl}/version`, PROBE_MS);
    const version = ver.status === 200 ? str((ver.json as { version?: unknown } | undefined)?.version) : undefined;
    if (owners.includes("vllm")) out.name = "vllm";
    if (version) out.version = version;
  }
  return out;
}

/** Ollama's own description of a model (its quantisation and size), for runs without --model-file. */
export async function ollamaModelFacts(baseUrl: string, model: string): Promise<ServedModelFacts> {
  const show = await getJson(`${baseUrl}/api/show`, PROBE_MS, { method: "POST", body: { model } });
  if (show.status !== 200 || !show.json) return {};
  const j = show.json as { details?: Record<string, unknown>; model_info?: Record<string, unknown> };
  const info = j.model_info ?? {};
  const arch = str(info["general.architecture"]) ?? str(j.details?.family);
  return {
    quantisation: str(j.details?.quantization_level),
    parameters: posInt(info["general.parameter_count"]),
    arch,
    contextSize: arch ? posInt(info[`${arch}.context_length`]) : undefined,
  };
}

/** "qwen2.5-0.5b-instruct-q4_k_m" -> "Q4_K_M": a quantisation named in a model id, if any. */
export function quantisationFromName(name: string): string | undefined {
  const m = /(?:^|[-_.:/])((?:i?q\d(?:_[0-9a-z]+)*)|f16|bf16|f32|int4|int8|w4a16|w8a8)(?:$|[-_.:/])/i.exec(name);
  return m ? m[1]!.toUpperCase() : undefined;
}
