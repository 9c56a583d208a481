/**
 * One live reading from a meter, for `edgebench meters`: the present power in
 * W (for a counter, the energy difference over half a second).
 */
import type { Config } from "../config.js";
import { DEFAULT_TIMEOUT_MS, detectCandidates, meterContext } from "./detect.js";
import { reasonOf } from "./errors.js";
import { rankScope } from "./scope.js";
import { candidateFor, parseSpec } from "./specs.js";
import type { DetectedMeter, MeterCandidate, MeterSource, PowerScope } from "./types.js";

export interface MeterListing extends DetectedMeter {
  /** Present power in W, when a reading could be taken. */
  watts?: number;
  /** Why there is no reading. */
  error?: string;
}

const COUNTER_GAP_MS = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function readWattsOnce(source: MeterSource, timeoutMs = 3000): Promise<number> {
  if (source.mode === "poll") {
    const t0 = process.hrtime.bigint();
    const e0 = await source.read();
    if (source.method === "sampled") return e0;
    await sleep(COUNTER_GAP_MS);
    const e1 = await source.read();
    const t1 = process.hrtime.bigint();
    return (e1 - e0) / (Number(t1 - t0) / 1e9);
  }
  const readings: Array<{ t: bigint; v: number }> = [];
  let failure: string | undefined;
  source.start({
    reading: (t, v) => readings.push({ t, v }),
    error: (err) => (failure = reasonOf(err)),
  });
  const deadline = Date.now() + timeoutMs;
  // A counter needs two readings far enough apart that arrival jitter does not dominate.
  const enough = () =>
    source.method === "sampled" ? readings.length >= 1 : readings.length >= 2 && Number(readings.at(-1)!.t - readings[0]!.t) >= COUNTER_GAP_MS * 1e6;
  while (!enough() && Date.now() < deadline && !failure) await sleep(50);
  source.catchUp?.();
  if (!enough() && (source.method === "sampled" || readings.length < 2)) throw new Error(failure ?? `no reading within ${timeoutMs} ms`);
  const last = readings.at(-1)!;
  if (source.method === "sampled") return last.v;
  const first = readings[0]!;
  return (last.v - first.v) / (Number(last.t - first.t) / 1e9);
}

export interface ListOptions {
  meterSpecs?: string[];
  scope?: PowerScope;
  meterUser?: string;
  meterPassword?: string;
  /** Take a live reading from each available meter (default true). */
  live?: boolean;
}

/** Found meters (and any named with --meter), widest scope first, each with a live reading. */
export async function listMeters(config: Config, opts: ListOptions = {}): Promise<MeterListing[]> {
  const ctx = meterContext(config, { scope: opts.scope, user: opts.meterUser, password: opts.meterPassword, timeoutMs: DEFAULT_TIMEOUT_MS });
  const candidates: Array<MeterCandidate | MeterListing> = await detectCandidates(ctx);
  for (const spec of opts.meterSpecs ?? []) {
    const p = parseSpec(spec);
    if (p.kind === "auto") continue;
    try {
      const c = await candidateFor(ctx, p);
      if (!candidates.some((x) => x.spec === c.spec)) candidates.push(c);
    } catch (err) {
      candidates.push({ spec, kind: p.kind, scope: opts.scope ?? "wall", method: "sampled", available: false, reason: reasonOf(err) });
    }
  }
  // Widest scope first, as the session orders meters (stable: found order within a scope).
  const ordered = candidates.map((c, i) => ({ c, i })).sort((a, b) => rankScope(a.c.scope) - rankScope(b.c.scope) || a.i - b.i);
  const out: MeterListing[] = [];
  for (const { c } of ordered) {
    const { open, ...listing } = c as MeterCandidate;
    const entry: MeterListing = { ...listing };
    if (c.available && opts.live !== false && open) {
      let source: MeterSource | undefined;
      try {
        source = await open();
        entry.watts = Number((await readWattsOnce(source)).toFixed(4));
      } catch (err) {
        entry.error = reasonOf(err);
      } finally {
        if (source) await (source.mode === "stream" ? source.close() : source.close?.())?.catch(() => undefined);
      }
    }
    out.push(entry);
  }
  return out;
}
