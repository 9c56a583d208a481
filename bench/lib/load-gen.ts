/**
 * A small bounded HTTP load generator: `concurrency` workers issue requests
 * back to back over keep-alive connections (node:http, one socket per worker)
 * until `requests` have been sent or `maxSeconds` have passed, whichever comes
 * first; every request has a deadline too, so it always stops by itself.
 * Latency is request start to last body byte, measured in the client (so it
 * includes the client's own CPU time on a shared machine).
 *
 * node:http rather than fetch: on the 2-core dev machine fetch (undici) spent
 * 1.0-1.7 ms of client CPU per request against 0.2-0.4 ms for node:http
 * (2026-11-21), CPU the server under test then did
 * not get; the generator should cost as little of the machine as it can.
 *
 * Every request says `Accept-Encoding: gzip` unless it sets the header itself,
 * as browsers, fetch and `curl --compressed` do; the body is read as it comes
 * (not decompressed), so the figures are what such a client costs the server.
 */
import http from "node:http";

export interface LoadResult {
  label: string;
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
}

export interface LoadOptions {
  label: string;
  concurrency: number;
  requests: number;
  maxSeconds: number;
  /** Builds the i-th request. */
  make: (i: number) => { url: string; init?: RequestInit };
  /** Statuses that count as success (default 200). */
  ok?: number[];
  /**
   * Open loop: request i is due at start + i / rate seconds, whether or not
   * earlier ones have come back (at most `concurrency` in flight), and its
   * latency counts from when it was due, so a stall shows in the percentiles
   * instead of quietly slowing the generator down (coordinated omission).
   * Unset: closed loop, each worker sends its next request as soon as the
   * last one is answered (the saturation throughput).
   */
  rate?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** One request over `agent`: resolves with the status once the whole body has arrived. */
function send(agent: http.Agent, url: string, init: RequestInit | undefined, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      "accept-encoding": "gzip",
      ...(init?.headers ? Object.fromEntries(new Headers(init.headers).entries()) : {}),
    };
    const body = typeof init?.body === "string" ? Buffer.from(init.body) : undefined;
    if (body) headers["content-length"] = String(body.length);
    const req = http.request(url, { method: init?.method ?? "GET", headers, agent }, (res) => {
      res.on("data", () => {});
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const ok = o.ok ?? [200];
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let next = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const t0 = performance.now();
  const deadline = t0 + o.maxSeconds * 1000;
  const worker = async () => {
    while (next < o.requests && performance.now() < deadline) {
      const i = next++;
      const { url, init } = o.make(i);
      const due = o.rate ? t0 + (i * 1000) / o.rate : 0;
      if (o.rate && due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
      const start = o.rate ? due : performance.now();
      try {
        const status = await send(agent, url, init, Math.max(1000, deadline - performance.now()));
        latencies.push(performance.now() - start);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (!ok.includes(status)) errors++;
      } catch {
        errors++;
        statuses.error = (statuses.error ?? 0) + 1;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: o.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    label: o.label,
    requests: latencies.length,
    errors,
    statuses,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
  };
}
