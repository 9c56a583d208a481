/**
 * Synthetic llama-architecture GGUF models with random weights: the models the
 * tests run on (no model can be downloaded there) and size-realistic stand-ins
 * for speed checks (`edgebench synth-model`). Tensor names and shapes follow
 * llama.cpp's LLM_ARCH_LLAMA loader; norms stay F32 as llama.cpp's own
 * quantiser leaves them.
 */
import { FileTypeCode, type WeightType } from "./format.js";
import { type ModelShape, parameterCount } from "./presets.js";
import { BOS_ID, buildVocabulary, EOS_ID, UNK_ID } from "./tokenizer.js";
import { constantF32, randomWeights, Xorshift32 } from "./values.js";
import { type GgufTensor, type GgufValue, writeGguf } from "./writer.js";

export interface SynthOptions {
  shape: ModelShape;
  type: WeightType;
  name?: string;
  /**
   * Metadata keys to leave out. For failure tests only: without
   * llama.feed_forward_length llama.cpp aborts with a GGML_ASSERT while loading.
   */
  omitKeys?: readonly string[];
  /** PRNG seed: the same shape, type and seed give a byte-identical file (default 1). */
  seed?: number;
}

export interface SynthResult {
  file: string;
  bytes: number;
  parameters: number;
}

/** Weight scale: small enough that activations stay finite through many layers. */
const AMPLITUDE = 0.03;

export function synthModel(file: string, opts: SynthOptions): SynthResult {
  const s = opts.shape;
  if (s.embedding % s.heads !== 0) throw new RangeError("embedding size must be a multiple of the head count");
  if (s.heads % s.kvHeads !== 0) throw new RangeError("head count must be a multiple of the KV head count");
  const headDim = s.embedding / s.heads;
  const kvDim = headDim * s.kvHeads;
  const vocab = buildVocabulary(s.vocab);
  const w = opts.type;
  const rng = new Xorshift32(opts.seed ?? 1);

  const metadata: Array<[string, GgufValue]> = [
    ["general.architecture", { type: "str", value: "llama" }],
    ["general.name", { type: "str", value: opts.name ?? "edgebench synthetic" }],
    ["general.file_type", { type: "u32", value: FileTypeCode[w] }],
    ["general.alignment", { type: "u32", value: 32 }],
    ["llama.context_length", { type: "u32", value: s.contextLength }],
    ["llama.embedding_length", { type: "u32", value: s.embedding }],
    ["llama.block_count", { type: "u32", value: s.layers }],
    ["llama.feed_forward_length", { type: "u32", value: s.feedForward }],
    ["llama.attention.head_count", { type: "u32", value: s.heads }],
    ["llama.attention.head_count_kv", { type: "u32", value: s.kvHeads }],
    ["llama.attention.layer_norm_rms_epsilon", { type: "f32", value: s.rmsEps }],
    ["llama.rope.dimension_count", { type: "u32", value: headDim }],
    ["llama.rope.freq_base", { type: "f32", value: s.ropeFreqBase }],
    ["llama.vocab_size", { type: "u32", value: s.vocab }],
    ["tokenizer.ggml.model", { type: "str", value: "llama" }],
    ["tokenizer.ggml.tokens", { type: "arr", of: "str", value: vocab.tokens }],
    ["tokenizer.ggml.scores", { type: "arr", of: "f32", value: vocab.scores }],
    ["tokenizer.ggml.token_type", { type: "arr", of: "i32", value: vocab.types }],
    ["tokenizer.ggml.bos_token_id", { type: "u32", value: BOS_ID }],
    ["tokenizer.ggml.eos_token_id", { type: "u32", value: EOS_ID }],
    ["tokenizer.ggml.unknown_token_id", { type: "u32", value: UNK_ID }],
    ["tokenizer.ggml.add_bos_token", { type: "bool", value: true }],
    ["tokenizer.ggml.add_eos_token", { type: "bool", value: false }],
  ];
  const omit = new Set(opts.omitKeys ?? []);

  const matrix = (name: string, ne0: number, ne1: number): GgufTensor => ({
    name,
    shape: [ne0, ne1],
    type: w,
    data: () => randomWeights(w, ne0 * ne1, AMPLITUDE, rng),
  });
  const norm = (name: string, n: number): GgufTensor => ({ name, shape: [n], type: "f32", data: () => constantF32(n, 1) });

  const E = s.embedding;
  const tensors: GgufTensor[] = [matrix("token_embd.weight", E, s.vocab)];
  for (let i = 0; i < s.layers; i++) {
    const p = `blk.${i}`;
    tensors.push(
      norm(`${p}.attn_norm.weight`, E),
      matrix(`${p}.attn_q.weight`, E, E),
      matrix(`${p}.attn_k.weight`, E, kvDim),
      matrix(`${p}.attn_v.weight`, E, kvDim),
      matrix(`${p}.attn_output.weight`, E, E),
      norm(`${p}.ffn_norm.weight`, E),
      matrix(`${p}.ffn_gate.weight`, E, s.feedForward),
      matrix(`${p}.ffn_up.weight`, E, s.feedForward),
      matrix(`${p}.ffn_down.weight`, s.feedForward, E),
    );
  }
  tensors.push(norm("output_norm.weight", E));
  if (!s.tiedEmbeddings) tensors.push(matrix("output.weight", E, s.vocab));

  const bytes = writeGguf(
    file,
    metadata.filter(([k]) => !omit.has(k)),
    tensors,
  );
  return { file, bytes, parameters: parameterCount(s) };
}
