/**
 * Tasmota plugs (power-meters.md section 7): GET /cm?cmnd=Status%208 (with
 * &user=&password= when the web UI has a password) ->
 * StatusSNS.ENERGY.Power in W (an array on multi-channel devices: summed).
 * The kWh counters are far too coarse for a board, so Power is sampled, at
 * 1 Hz (the plug's own refresh). Scope: wall.
 */

import type { MeterCandidate, MeterContext, PolledSource } from "../types.js";
import { baseUrl, getJson, num } from "./http.js";

export function tasmotaWatts(body: unknown): number {
  const energy = (body as { StatusSNS?: { ENERGY?: { Power?: unknown } } })?.StatusSNS?.ENERGY;
  const p = energy?.Power;
  if (Array.isArray(p)) {
    const xs = p.map(num);
    if (xs.length && xs.every((x) => x !== null)) return (xs as number[]).reduce((a, b) => a + b, 0);
  }
  const w = num(p);
  if (w === null) throw new Error(`no StatusSNS.ENERGY.Power in the answer (not a metering Tasmota device?)`);
  return w;
}

export async function tasmotaFromSpec(ctx: MeterContext, host: string): Promise<MeterCandidate> {
  const base = baseUrl(host);
  const q = new URLSearchParams({ cmnd: "Status 8" });
  if (ctx.password !== undefined) {
    q.set("user", ctx.user ?? "admin");
    q.set("password", ctx.password);
  }
  const url = `${base}/cm?${q.toString().replace(/\+/g, "%20")}`;
  const shown = `${base}/cm?cmnd=Status%208`;
  const read = async () => {
    const body = await getJson(url, ctx.timeoutMs, {}, shown);
    if ((body as { WARNING?: unknown })?.WARNING)
      throw new Error(`${shown}: ${String((body as { WARNING: unknown }).WARNING)} (check --meter-user/--meter-password)`);
    try {
      return tasmotaWatts(body);
    } catch (err) {
      throw new Error(`${shown}: ${(err as Error).message}`);
    }
  };
  await read();
  const info = {
    spec: `tasmota:${host}`,
    kind: "tasmota",
    scope: ctx.scope ?? ("wall" as const),
    method: "sampled" as const,
    label: `Tasmota at ${shown}`,
    maxRateHz: 1,
  };
  const source: PolledSource = { ...info, mode: "poll", read };
  return { ...info, available: true, open: async () => source };
}
