/**
 * What a user waits for before a model answers at all: loading the file, then
 * the first token from the freshly loaded model (ModelLoad in the contract).
 *
 * The process's first load of the file is the cold one; the model is then
 * released and loaded again, the warm load, and that second model is the one
 * the tests run on. Releasing first keeps one copy in memory (a board with
 * room for one copy of a large model has no room for two). "Cold" is only
 * cold for this process: the uploader hashed the file moments before, so the
 * page cache usually holds it already, and a non-root process can neither see
 * nor drop that cache.
 */
import type { Llama, LlamaModel, Token } from "node-llama-cpp";
import type { ContextPoint, GpuLayers, LoadTiming } from "./protocol.js";

async function timedLoad(llama: Llama, modelPath: string, gpuLayers: GpuLayers): Promise<{ model: LlamaModel; ms: number }> {
  const t0 = performance.now();
  const model = await llama.loadModel({ modelPath, gpuLayers });
  return { model, ms: performance.now() - t0 };
}

/**
 * Loads the model for one GPU-layers value. `firstOfProcess`: this process has
 * not tried to load the file yet, so this load is the cold one and a warm load
 * follows; otherwise the one load is already warm.
 */
export async function loadWithTimings(
  llama: Llama,
  modelPath: string,
  gpuLayers: GpuLayers,
  firstOfProcess: boolean,
): Promise<{ model: LlamaModel; timing: LoadTiming }> {
  const first = await timedLoad(llama, modelPath, gpuLayers);
  if (!firstOfProcess) return { model: first.model, timing: { warmMs: first.ms } };
  await first.model.dispose();
  const warm = await timedLoad(llama, modelPath, gpuLayers);
  return { model: warm.model, timing: { coldMs: first.ms, warmMs: warm.ms } };
}

/**
 * Milliseconds from a model that has just loaded to its first sampled token
 * for `prompt` (already tokenised: tokenising is JavaScript work, not the
 * board's): context creation under `point`, the prompt's evaluation and one
 * sampled token. The context is released afterwards; the tests make their own.
 */
export async function firstTokenMs(model: LlamaModel, point: ContextPoint, prompt: readonly Token[]): Promise<number> {
  if (prompt.length === 0) throw new Error("the first-token prompt is empty");
  const t0 = performance.now();
  const context = await model.createContext({
    contextSize: point.contextSize,
    batchSize: point.batchSize,
    threads: point.threads,
    flashAttention: point.flashAttention,
    sequences: 1,
  });
  try {
    const last = prompt[prompt.length - 1]!;
    const out = await context.getSequence().controlledEvaluate([...prompt.slice(0, -1), [last, { generateNext: { token: true } }]]);
    const ms = performance.now() - t0;
    if (out.at(-1)?.next.token == null) throw new Error("no token was generated");
    return ms;
  } finally {
    await context.dispose();
  }
}
