/**
 * Model shapes for synthetic GGUFs. "tiny" is the test model (loads in
 * milliseconds); the others copy the transformer shapes of real small models
 * (their published config.json: layers, hidden size, FFN size, heads, KV heads,
 * vocabulary) so a stand-in with random weights costs the same compute and
 * memory traffic per token as the real model in the same quantisation.
 * All are written as llama architecture: Qwen2's QKV biases are left out, a
 * difference of well under 0.1 % of the weights.
 */
export interface ModelShape {
  /** Transformer blocks. */
  layers: number;
  /** Embedding (hidden) size E. */
  embedding: number;
  /** Feed-forward size F. */
  feedForward: number;
  heads: number;
  kvHeads: number;
  /** Vocabulary size; at least the 259 tokens of the byte-fallback tokenizer. */
  vocab: number;
  /** Training context length written to llama.context_length. */
  contextLength: number;
  /** Output projection shares the token embedding (no output.weight tensor). */
  tiedEmbeddings: boolean;
  ropeFreqBase: number;
  rmsEps: number;
}

export interface Preset {
  id: string;
  description: string;
  shape: ModelShape;
}

export const PRESETS: readonly Preset[] = [
  {
    id: "tiny",
    description: "2 layers, E=64: the test model (under 1 MB); garbage text, honest harness check",
    shape: {
      layers: 2,
      embedding: 64,
      feedForward: 256,
      heads: 4,
      kvHeads: 2,
      vocab: 369,
      contextLength: 4096,
      tiedEmbeddings: false,
      ropeFreqBase: 10000,
      rmsEps: 1e-5,
    },
  },
  {
    id: "qwen2.5-0.5b",
    description: "Qwen2.5-0.5B-shaped stand-in (24 layers, E=896, F=4864, 14/2 heads, vocab 151936)",
    shape: {
      layers: 24,
      embedding: 896,
      feedForward: 4864,
      heads: 14,
      kvHeads: 2,
      vocab: 151936,
      contextLength: 32768,
      tiedEmbeddings: true,
      ropeFreqBase: 1000000,
      rmsEps: 1e-6,
    },
  },
  {
    id: "qwen2.5-1.5b",
    description: "Qwen2.5-1.5B-shaped stand-in (28 layers, E=1536, F=8960, 12/2 heads, vocab 151936)",
    shape: {
      layers: 28,
      embedding: 1536,
      feedForward: 8960,
      heads: 12,
      kvHeads: 2,
      vocab: 151936,
      contextLength: 32768,
      tiedEmbeddings: true,
      ropeFreqBase: 1000000,
      rmsEps: 1e-6,
    },
  },
  {
    id: "llama-3.2-1b",
    description: "Llama-3.2-1B-shaped stand-in (16 layers, E=2048, F=8192, 32/8 heads, vocab 128256)",
    shape: {
      layers: 16,
      embedding: 2048,
      feedForward: 8192,
      heads: 32,
      kvHeads: 8,
      vocab: 128256,
      contextLength: 131072,
      tiedEmbeddings: true,
      ropeFreqBase: 500000,
      rmsEps: 1e-5,
    },
  },
  {
    id: "llama-3.2-3b",
    description: "Llama-3.2-3B-shaped stand-in (28 layers, E=3072, F=8192, 24/8 heads, vocab 128256)",
    shape: {
      layers: 28,
      embedding: 3072,
      feedForward: 8192,
      heads: 24,
      kvHeads: 8,
      vocab: 128256,
      contextLength: 131072,
      tiedEmbeddings: true,
      ropeFreqBase: 500000,
      rmsEps: 1e-5,
    },
  },
];

export function findPreset(id: string): Preset {
  const p = PRESETS.find((x) => x.id === id);
  if (!p) throw new Error(`unknown preset "${id}" (known: ${PRESETS.map((x) => x.id).join(", ")})`);
  return p;
}

/** Weights of a llama-shaped model, counted the way GGUF tensors add up. */
export function parameterCount(s: ModelShape): number {
  const headDim = s.embedding / s.heads;
  const kvDim = headDim * s.kvHeads;
  const perLayer =
    2 * s.embedding + // attn_norm, ffn_norm
    2 * s.embedding * s.embedding + // attn_q, attn_output
    2 * s.embedding * kvDim + // attn_k, attn_v
    3 * s.embedding * s.feedForward; // ffn_gate, ffn_up, ffn_down
  const embed = s.embedding * s.vocab;
  return embed + s.layers * perLayer + s.embedding + (s.tiedEmbeddings ? 0 : embed);
}
