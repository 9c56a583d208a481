/**
 * One POST /api/v1/submissions attempt, classified. Never throws for network
 * trouble: the caller decides between retrying, giving up for now and moving
 * the file aside.
 */
export type AttemptOutcome =
  | { kind: "accepted"; status: number; id?: string; url?: string; notice?: string }
  | { kind: "rejected"; status: number; error: unknown }
  | { kind: "rate-limited"; status: 429; retryAfter: string | null; error: unknown }
  | { kind: "server-error"; status: number; error: unknown }
  | { kind: "network"; message: string };

export interface PostOptions {
  server: string;
  timeoutMs: number;
  fetch?: typeof fetch;
  userAgent?: string;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 4096);
  }
}

export async function postSubmission(body: string, options: PostOptions): Promise<AttemptOutcome> {
  const doFetch = options.fetch ?? fetch;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
  try {
    const res = await doFetch(`${options.server}/api/v1/submissions`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        ...(options.userAgent ? { "user-agent": options.userAgent } : {}),
      },
      body,
      signal: controller.signal,
    });
    // The body read shares the timeout: a reply that stalls half-way is a failed attempt.
    const payload = await readBody(res);
    if (res.status >= 200 && res.status < 300) {
      const p = (payload && typeof payload === "object" ? payload : {}) as {
        id?: unknown;
        url?: unknown;
        status?: unknown;
        reasons?: unknown;
        retired?: unknown;
      };
      return {
        kind: "accepted",
        status: res.status,
        id: typeof p.id === "string" ? p.id : undefined,
        url: typeof p.url === "string" ? new URL(p.url, `${options.server}/`).toString() : undefined,
        notice: acceptedNotice(p),
      };
    }
    if (res.status === 429) return { kind: "rate-limited", status: 429, retryAfter: res.headers.get("retry-after"), error: payload };
    if (res.status >= 400 && res.status < 500) return { kind: "rejected", status: res.status, error: payload };
    return { kind: "server-error", status: res.status, error: payload };
  } catch (err) {
    const message = controller.signal.aborted
      ? `${String((controller.signal.reason as Error)?.message ?? "timed out")} from ${hostPort(options.server)}`
      : unreachableLine(options.server, err);
    return { kind: "network", message };
  } finally {
    clearTimeout(timer);
  }
}

/** Why a stored result does not rank yet, when the registry says so: flagged for review, or a retired runtime build. */
export function acceptedNotice(p: { status?: unknown; reasons?: unknown; retired?: unknown }): string | undefined {
  const notes: string[] = [];
  if (p.status === "flagged") {
    // The Worker's reasons are { code, message, path } objects (workers/ingest/plausibility.ts).
    const reasons = (Array.isArray(p.reasons) ? p.reasons : [])
      .map((r) => (typeof r === "string" ? r : (r as { message?: unknown } | null)?.message))
      .filter((r): r is string => typeof r === "string");
    notes.push(`held for review, not ranked until a moderator looks${reasons.length ? `: ${reasons.join("; ")}` : ""}`);
  }
  const message = (p.retired as { message?: unknown } | undefined)?.message;
  if (typeof message === "string") notes.push(message);
  return notes.length ? notes.join("; ").slice(0, 1024) : undefined;
}

/** A short human line for a server error body ({error:{code,message}} when present). */
export function describeError(error: unknown): string {
  const e = (error as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (e && (typeof e.code === "string" || typeof e.message === "string")) {
    return [e.code, e.message].filter((x) => typeof x === "string").join(": ");
  }
  if (typeof error === "string") return error.slice(0, 200);
  return JSON.stringify(error)?.slice(0, 200) ?? "";
}

/** "host:port" of a URL, the default port written out (what a user checks with curl or a firewall rule). */
export function hostPort(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === "https:" ? "443" : "80")}`;
  } catch {
    return url;
  }
}

/** Node's network error codes in words. */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "the connection was reset",
  EPIPE: "the connection was closed",
  UND_ERR_SOCKET: "the connection was closed before an answer",
  ETIMEDOUT: "the connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  ENOTFOUND: "host name not found: no network or DNS?",
  EAI_AGAIN: "host name lookup failed: no network or DNS?",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable: no network?",
};

/**
 * One line for a request that got no HTTP answer: "cannot reach HOST:PORT (connection refused)".
 * fetch's own "bad port" means a port the Fetch standard blocks (6000, 10080, ...): fetch never tries it.
 */
export function unreachableLine(url: string, err: unknown): string {
  const e = err as Error & { code?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code;
  const detail = e.cause?.message ?? e.message;
  if (detail === "bad port")
    return `cannot reach ${hostPort(url)}: fetch refuses port ${hostPort(url).split(":").pop()} (a port the Fetch standard blocks); use another port`;
  const why = (code && NETWORK_REASONS[code]) ?? (code ? `${detail} (${code})` : detail);
  return `cannot reach ${hostPort(url)} (${why})`;
}
