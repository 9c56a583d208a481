/** Parsers for command-line values: each gives a clear message on bad input. */

import type { Envelope } from "@edgebench/contract";
import { InvalidArgumentError } from "commander";
import type { EnvelopeDims } from "../identity/index.js";
import type { GpuLayers } from "../runner/protocol.js";

export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} takes a positive integer, got "${value}"`);
    return n;
  };
}

export function nonNegative(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} takes a number >= 0, got "${value}"`);
    return n;
  };
}

/** "2,4" or repeated flags -> [2, 4] (llama-bench style lists). */
export function intList(name: string) {
  return (value: string, previous: number[] = []): number[] => [...previous, ...value.split(",").map((v) => positiveInt(name)(v.trim()))];
}

export function gpuLayersList(value: string, previous: GpuLayers[] = []): GpuLayers[] {
  return [
    ...previous,
    ...value.split(",").map((v): GpuLayers => {
      const t = v.trim();
      if (t === "max" || t === "auto") return t;
      const n = Number(t);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--gpu-layers takes counts, "max" or "auto", got "${v}"`);
      return n;
    }),
  ];
}

export function onOffList(value: string, previous: boolean[] = []): boolean[] {
  return [
    ...previous,
    ...value.split(",").map((v) => {
      const t = v.trim().toLowerCase();
      if (["on", "1", "true", "yes"].includes(t)) return true;
      if (["off", "0", "false", "no"].includes(t)) return false;
      throw new InvalidArgumentError(`--flash-attn takes on/off (or a list like on,off), got "${v}"`);
    }),
  ];
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * "85x56x20" (millimetres, width x depth x height) -> the three dimensions, within the contract's limits.
 * Shared by --envelope and `edgebench config set envelope`, so both accept and refuse the same text;
 * a plain Error, because main() takes any CommanderError (InvalidArgumentError is one) as already printed.
 */
export function envelopeDims(value: string, name = "--envelope"): EnvelopeDims {
  const m = /^\s*([\d.]+)\s*[x×]\s*([\d.]+)\s*[x×]\s*([\d.]+)\s*(mm)?\s*$/i.exec(value);
  const dims = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [];
  if (!m || dims.some((d) => !(d > 0 && d <= 10_000))) throw new Error(`${name} takes WxDxH in millimetres, e.g. 85x56x20, got "${value}"`);
  return { widthMm: dims[0]!, depthMm: dims[1]!, heightMm: dims[2]! };
}

/** The --envelope option parser: a declared envelope (the note saying where it came from is added by resolveEnvelope). */
export function parseEnvelope(value: string): Envelope {
  try {
    return { ...envelopeDims(value), source: "declared" };
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** 85x56x25, the form `config set envelope` and --envelope take. */
export function formatEnvelope(e: EnvelopeDims): string {
  return `${e.widthMm}x${e.depthMm}x${e.heightMm}`;
}
