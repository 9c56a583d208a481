/**
 * A small bounded HTTP load generator: `concurrency` workers issue requests
 * back to back over Node's fetch (undici, keep-alive connections) until
 * `requests` have been sent or `maxSeconds` have passed, whichever comes
 * first; it always stops by itself. Latency is request start to last body
 * byte, measured in the client (so it includes the client's own CPU time on a
 * shared machine).
 */
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
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const ok = o.ok ?? [200];
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const deadline = t0 + o.maxSeconds * 1000;
  const worker = async () => {
    while (next < o.requests && performance.now() < deadline) {
      const { url, init } = o.make(next++);
      const start = performance.now();
      try {
        const res = await fetch(url, init);
        await res.arrayBuffer();
        latencies.push(performance.now() - start);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (!ok.includes(res.status)) errors++;
      } catch {
        errors++;
        statuses.error = (statuses.error ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
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
