/**
 * Shelly smart plugs over their local HTTP API (power-meters.md section 7).
 * Gen1: GET /meter/0 -> { power (W), is_valid, ... }.
 * Gen2+: GET /rpc/Switch.GetStatus?id=0 -> { apower (W), voltage, current, aenergy },
 *   or /rpc/PM1.GetStatus?id=0 on the PM Mini (no switch).
 * The generation is told by GET /shelly: Gen2+ answers with "gen" >= 2.
 *
 * Sampled, not counted: Gen2 aenergy.total has 1 mWh (3.6 J) steps and Gen1
 * total is in W*min (60 J steps), too coarse for a board drawing a few watts
 * over tests lasting seconds. The plug refreshes about once a second, so it is
 * polled at 1 Hz. Scope: wall.
 */

import type { MeterCandidate, MeterContext, PolledSource } from "../types.js";
import { baseUrl, getJson, type HttpAuth, num } from "./http.js";

const PLUG_RATE_HZ = 1;

type Reader = () => Promise<number>;

function gen1Reader(base: string, ctx: MeterContext, auth: HttpAuth): Reader {
  return async () => {
    const body = (await getJson(`${base}/meter/0`, ctx.timeoutMs, auth)) as { power?: unknown; is_valid?: unknown };
    const w = num(body?.power);
    if (w === null) throw new Error(`${base}/meter/0: no "power" in the answer`);
    if (body.is_valid === false) throw new Error(`${base}/meter/0: the plug flags its reading as not valid`);
    return w;
  };
}

function gen2Reader(base: string, path: string, ctx: MeterContext, auth: HttpAuth): Reader {
  return async () => {
    const body = (await getJson(`${base}${path}`, ctx.timeoutMs, auth)) as { apower?: unknown };
    const w = num(body?.apower);
    if (w === null) throw new Error(`${base}${path}: no "apower" in the answer (not a metering Shelly?)`);
    return w;
  };
}

export async function shellyFromSpec(ctx: MeterContext, host: string): Promise<MeterCandidate> {
  const base = baseUrl(host);
  const auth: HttpAuth = { user: ctx.user ?? (ctx.password !== undefined ? "admin" : undefined), password: ctx.password };
  // /shelly needs no auth on either generation.
  const ident = (await getJson(`${base}/shelly`, ctx.timeoutMs)) as { gen?: unknown; type?: unknown; model?: unknown; app?: unknown };
  const gen = num(ident?.gen) ?? 1;
  let read: Reader;
  let endpoint: string;
  if (gen >= 2) {
    endpoint = "/rpc/Switch.GetStatus?id=0";
    read = gen2Reader(base, endpoint, ctx, auth);
    try {
      await read();
    } catch (err) {
      // PM Mini and other meter-only devices have no switch component.
      const pm = gen2Reader(base, "/rpc/PM1.GetStatus?id=0", ctx, auth);
      try {
        await pm();
      } catch {
        throw err;
      }
      endpoint = "/rpc/PM1.GetStatus?id=0";
      read = pm;
    }
  } else {
    endpoint = "/meter/0";
    read = gen1Reader(base, ctx, auth);
    await read();
  }
  const model = String(ident?.model ?? ident?.type ?? ident?.app ?? "shelly");
  const info = {
    spec: `shelly:${host}`,
    kind: "shelly",
    scope: ctx.scope ?? ("wall" as const),
    method: "sampled" as const,
    label: `Shelly Gen${gen} ${model} at ${base}${endpoint}`,
    maxRateHz: PLUG_RATE_HZ,
  };
  const source: PolledSource = { ...info, mode: "poll", read };
  return { ...info, available: true, open: async () => source };
}
