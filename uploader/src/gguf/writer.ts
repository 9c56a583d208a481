/**
 * A GGUF v3 writer (layout from ggml's docs/gguf.md):
 *   magic "GGUF", u32 version, u64 tensor count, u64 metadata count,
 *   metadata (key string, u32 type, value), tensor infos (name, u32 n_dims,
 *   u64 dims in ggml order with ne0 first, u32 ggml type, u64 offset into the
 *   data section), padding to the alignment, then each tensor's data, each
 *   starting at a multiple of the alignment.
 * Tensor data comes from callbacks so a 1 GB stand-in model is streamed to disk
 * one tensor at a time instead of being held in memory.
 */
import fs from "node:fs";
import { GGUF_ALIGNMENT, GGUF_MAGIC, GGUF_VERSION, GgmlTypeCode, tensorBytes, ValueType, type WeightType } from "./format.js";

export type GgufValue =
  | { type: "u32" | "i32" | "f32" | "u64"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "str"; value: string }
  | { type: "arr"; of: "str"; value: readonly string[] }
  | { type: "arr"; of: "f32" | "i32"; value: ArrayLike<number> };

export interface GgufTensor {
  name: string;
  /** ggml order: ne0 (the contiguous dimension) first. */
  shape: readonly number[];
  type: WeightType;
  /** Produces the tensor's bytes (called once, while writing). */
  data(): Buffer;
}

/** Growable little-endian byte builder for the header. */
class Bytes {
  private buf = Buffer.alloc(1 << 16);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.length);
    this.length += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32LE(v, this.length);
    this.length += 4;
  }
  u64(v: number): void {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.length);
    this.length += 8;
  }
  f32(v: number): void {
    this.ensure(4);
    this.buf.writeFloatLE(v, this.length);
    this.length += 4;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf.writeUInt8(v, this.length);
    this.length += 1;
  }
  str(s: string): void {
    const b = Buffer.from(s, "utf8");
    this.u64(b.length);
    this.ensure(b.length);
    b.copy(this.buf, this.length);
    this.length += b.length;
  }
  pad(alignment: number): void {
    const n = (alignment - (this.length % alignment)) % alignment;
    this.ensure(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }
  result(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

function writeValue(out: Bytes, v: GgufValue): void {
  switch (v.type) {
    case "u32":
      out.u32(ValueType.u32);
      out.u32(v.value);
      return;
    case "i32":
      out.u32(ValueType.i32);
      out.i32(v.value);
      return;
    case "f32":
      out.u32(ValueType.f32);
      out.f32(v.value);
      return;
    case "u64":
      out.u32(ValueType.u64);
      out.u64(v.value);
      return;
    case "bool":
      out.u32(ValueType.bool);
      out.u8(v.value ? 1 : 0);
      return;
    case "str":
      out.u32(ValueType.str);
      out.str(v.value);
      return;
    case "arr": {
      out.u32(ValueType.arr);
      out.u32(ValueType[v.of]);
      out.u64(v.value.length);
      if (v.of === "str") for (const s of v.value as readonly string[]) out.str(s);
      else if (v.of === "f32") for (let i = 0; i < v.value.length; i++) out.f32((v.value as ArrayLike<number>)[i]!);
      else for (let i = 0; i < v.value.length; i++) out.i32((v.value as ArrayLike<number>)[i]!);
      return;
    }
  }
}

const elementsOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const align = (n: number) => Math.ceil(n / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;

/** Writes a GGUF v3 file and returns its size in bytes. */
export function writeGguf(file: string, metadata: ReadonlyArray<readonly [string, GgufValue]>, tensors: readonly GgufTensor[]): number {
  const head = new Bytes();
  head.u32(GGUF_MAGIC);
  head.u32(GGUF_VERSION);
  head.u64(tensors.length);
  head.u64(metadata.length);
  for (const [key, value] of metadata) {
    head.str(key);
    writeValue(head, value);
  }
  let offset = 0;
  for (const t of tensors) {
    head.str(t.name);
    head.u32(t.shape.length);
    for (const d of t.shape) head.u64(d);
    head.u32(GgmlTypeCode[t.type]);
    head.u64(offset);
    offset = align(offset + tensorBytes(t.type, elementsOf(t.shape)));
  }
  head.pad(GGUF_ALIGNMENT);

  const tmp = `${file}.partial`;
  const fd = fs.openSync(tmp, "w");
  try {
    let written = fs.writeSync(fd, head.result());
    for (const t of tensors) {
      const data = t.data();
      const expected = tensorBytes(t.type, elementsOf(t.shape));
      if (data.length !== expected) throw new Error(`tensor ${t.name}: ${data.length} bytes, expected ${expected}`);
      written += fs.writeSync(fd, data);
      const padding = align(written) - written;
      if (padding) written += fs.writeSync(fd, Buffer.alloc(padding));
    }
    fs.closeSync(fd);
    // Rename last so an interrupted write never leaves a half model under the real name.
    fs.renameSync(tmp, file);
    return written;
  } catch (err) {
    try {
      fs.closeSync(fd);
    } catch {}
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
