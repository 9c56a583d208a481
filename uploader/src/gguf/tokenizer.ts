/**
 * A SentencePiece-style ("llama") vocabulary with byte fallback: <unk>, <s>,
 * </s>, the 256 <0xXX> byte tokens, then "▁" words and printable ASCII pieces.
 * Anything not covered falls back to bytes, so every text tokenises.
 * Larger vocabularies (stand-ins for real models) are padded with tokens marked
 * UNUSED so the output layer has the real model's size.
 */
export const TokenType = { normal: 1, unknown: 2, control: 3, unused: 5, byte: 6 } as const;

export const UNK_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;

const WORDS = ["the", "and", "of", "to", "a", "in", "was", "he", "that", "her", "it", "his", "you", "with", "for"];

export interface Vocabulary {
  tokens: string[];
  scores: Float32Array;
  types: Int32Array;
}

export function buildVocabulary(size: number): Vocabulary {
  const tokens: string[] = ["<unk>", "<s>", "</s>"];
  const types: number[] = [TokenType.unknown, TokenType.control, TokenType.control];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(TokenType.byte);
  }
  const pieces = ["▁"];
  for (let c = 0x21; c <= 0x7e; c++) pieces.push(String.fromCharCode(c));
  for (const w of WORDS) pieces.push(`▁${w}`);
  for (const p of pieces) {
    if (tokens.length >= size) break;
    tokens.push(p);
    types.push(TokenType.normal);
  }
  if (size < 259) throw new RangeError(`a byte-fallback vocabulary needs at least 259 tokens, got ${size}`);
  for (let i = tokens.length; i < size; i++) {
    tokens.push(`<unused${i}>`);
    types.push(TokenType.unused);
  }
  // SentencePiece merges prefer higher scores: longer words first, then characters.
  const scores = new Float32Array(size);
  tokens.forEach((t, i) => {
    if (types[i] === TokenType.normal) scores[i] = t.length > 1 && t.startsWith("▁") ? -1 : -10 - i / size;
  });
  return { tokens, scores, types: Int32Array.from(types) };
}
