/**
 * GGUF v3 constants, as defined in ggml's gguf.h / docs/gguf.md. Only what the
 * writer needs: metadata value types, the tensor types it can emit, and the
 * llama.cpp file-type codes stored in general.file_type.
 */
export const GGUF_MAGIC = 0x46554747; // "GGUF" read as little-endian u32
export const GGUF_VERSION = 3;
export const GGUF_ALIGNMENT = 32;

/** gguf_type: the tag in front of every metadata value. */
export const ValueType = {
  u8: 0,
  i8: 1,
  u16: 2,
  i16: 3,
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  str: 8,
  arr: 9,
  u64: 10,
  i64: 11,
  f64: 12,
} as const;

/** ggml_type codes of the tensor types this writer produces. */
export const GgmlTypeCode = { f32: 0, f16: 1, q8_0: 8 } as const;

/** llama_ftype codes (general.file_type) for a model whose big matrices have that type. */
export const FileTypeCode = { f32: 0, f16: 1, q8_0: 7 } as const;

export type WeightType = keyof typeof GgmlTypeCode;
export const WEIGHT_TYPES = Object.keys(GgmlTypeCode) as WeightType[];

/** Q8_0: blocks of 32 weights stored as an fp16 scale followed by 32 int8 (34 bytes). */
export const Q8_0_BLOCK = 32;
export const Q8_0_BLOCK_BYTES = 34;

/** Bytes a tensor of `elements` weights takes in the given type. */
export function tensorBytes(type: WeightType, elements: number): number {
  if (type === "f32") return elements * 4;
  if (type === "f16") return elements * 2;
  if (elements % Q8_0_BLOCK !== 0) throw new RangeError(`Q8_0 needs a multiple of ${Q8_0_BLOCK} weights per row`);
  return (elements / Q8_0_BLOCK) * Q8_0_BLOCK_BYTES;
}
