/**
 * Random weight data for synthetic models. Random values give garbage text but
 * honest timings: the same shapes cost the same compute whatever the values.
 *
 * Values are drawn from a small table of evenly spaced numbers in [-a, a],
 * indexed by a seeded xorshift generator: the same preset, type and seed give
 * byte-identical files (so a stand-in's sha256 is reproducible and concurrent
 * test runs rewriting a model cannot change it), a 0.5B-parameter stand-in
 * takes seconds, and no NaN/Inf can appear.
 */
import { Q8_0_BLOCK, Q8_0_BLOCK_BYTES, type WeightType } from "./format.js";

const TABLE_BITS = 12;
const TABLE_SIZE = 1 << TABLE_BITS;

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** IEEE 754 binary32 -> binary16 bits, round to nearest even (finite inputs). */
export function f32ToF16Bits(value: number): number {
  f32Scratch[0] = value;
  const x = u32Scratch[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** binary16 bits -> number (used by tests and the Q8_0 round trip). */
export function f16BitsToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** xorshift32 (Marsaglia 2003): fast, seedable, plenty for weights nobody reads. */
export class Xorshift32 {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  /** Fills the array with pseudo-random 32-bit words. */
  fill(out: Uint32Array): void {
    let x = this.state;
    for (let i = 0; i < out.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x >>> 0;
    }
    this.state = x;
  }
}

/** Random bytes from the generator (length rounded up to whole words internally). */
function randomBytes(rng: Xorshift32, n: number): Buffer {
  const words = new Uint32Array(Math.ceil(n / 4));
  rng.fill(words);
  return Buffer.from(words.buffer, 0, n);
}

function table(amplitude: number): Float32Array {
  const t = new Float32Array(TABLE_SIZE);
  for (let i = 0; i < TABLE_SIZE; i++) t[i] = amplitude * ((2 * i + 1) / TABLE_SIZE - 1);
  return t;
}

/**
 * Fills `out` with `elements` random weights of the given type, uniform in
 * [-amplitude, amplitude] (Q8_0: int8 quants times a fixed fp16 scale).
 * `elements` must be a multiple of 32 for Q8_0.
 */
export function randomWeights(type: WeightType, elements: number, amplitude: number, rng: Xorshift32): Buffer {
  if (type === "q8_0") {
    const blocks = elements / Q8_0_BLOCK;
    const out = randomBytes(rng, blocks * Q8_0_BLOCK_BYTES);
    const scale = f32ToF16Bits(amplitude / 127);
    for (let b = 0; b < blocks; b++) out.writeUInt16LE(scale, b * Q8_0_BLOCK_BYTES);
    return out;
  }
  const idx = new Uint16Array(randomBytes(rng, elements * 2).buffer, 0, elements);
  const t = table(amplitude);
  if (type === "f32") {
    const out = new Float32Array(elements);
    for (let i = 0; i < elements; i++) out[i] = t[idx[i]! >>> (16 - TABLE_BITS)]!;
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  }
  const halfTable = new Uint16Array(TABLE_SIZE);
  for (let i = 0; i < TABLE_SIZE; i++) halfTable[i] = f32ToF16Bits(t[i]!);
  const out = new Uint16Array(elements);
  for (let i = 0; i < elements; i++) out[i] = halfTable[idx[i]! >>> (16 - TABLE_BITS)]!;
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** A constant F32 vector (norm weights are 1.0 in a freshly initialised model). */
export function constantF32(elements: number, value: number): Buffer {
  const out = new Float32Array(elements).fill(value);
  return Buffer.from(out.buffer);
}
