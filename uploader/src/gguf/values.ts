/**
 * Random weight data for synthetic models. Random values give garbage text but
 * honest timings: the same shapes cost the same compute whatever the values.
 *
 * Values are drawn from a small table of evenly spaced numbers in [-a, a],
 * indexed by bytes from crypto.randomFillSync: generating a 0.5B-parameter
 * stand-in then takes seconds, not minutes, and no NaN/Inf can appear.
 */
import { randomFillSync } from "node:crypto";
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
  let e = exp - 127 + 15;
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
export function randomWeights(type: WeightType, elements: number, amplitude: number): Buffer {
  if (type === "q8_0") {
    const blocks = elements / Q8_0_BLOCK;
    const out = Buffer.allocUnsafe(blocks * Q8_0_BLOCK_BYTES);
    randomFillSync(out);
    const scale = f32ToF16Bits(amplitude / 127);
    for (let b = 0; b < blocks; b++) out.writeUInt16LE(scale, b * Q8_0_BLOCK_BYTES);
    return out;
  }
  const idx = new Uint16Array(elements);
  randomFillSync(idx);
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
