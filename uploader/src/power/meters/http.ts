/**
 * JSON over HTTP for smart plugs on the local network: a per-request timeout
 * (a plug that stops answering must not hold a read in flight for long),
 * HTTP Basic auth (Shelly Gen1) and Digest auth with SHA-256 (Shelly Gen2+,
 * RFC 7616, user "admin").
 */
import { createHash, randomBytes } from "node:crypto";

export interface HttpAuth {
  user?: string;
  password?: string;
}

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

function parseChallenge(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.replace(/^Digest\s+/i, "").matchAll(/(\w+)=("([^"]*)"|[^,\s]+)/g)) out[m[1]!.toLowerCase()] = m[3] ?? m[2]!;
  return out;
}

export function digestHeader(
  challenge: string,
  method: string,
  uri: string,
  user: string,
  password: string,
  cnonce = randomBytes(8).toString("hex"),
): string {
  const c = parseChallenge(challenge);
  const realm = c.realm ?? "";
  const nonce = c.nonce ?? "";
  const nc = "00000001";
  const ha1 = sha256(`${user}:${realm}:${password}`);
  const ha2 = sha256(`${method}:${uri}`);
  const response = c.qop ? sha256(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`) : sha256(`${ha1}:${nonce}:${ha2}`);
  return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", algorithm=SHA-256, response="${response}"${c.qop ? `, qop=auth, nc=${nc}, cnonce="${cnonce}"` : ""}`;
}

/** shown: the URL as errors print it (without credentials in the query). */
export async function getJson(url: string, timeoutMs: number, auth: HttpAuth = {}, shown = url): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (auth.user !== undefined && auth.password !== undefined)
    headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString("base64")}`;
  const signal = AbortSignal.timeout(timeoutMs);
  const get = (h: Record<string, string>) =>
    fetch(url, { headers: h, signal }).catch((err: unknown) => {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      throw new Error(
        e.name === "TimeoutError" || e.name === "AbortError"
          ? `${shown}: no answer within ${timeoutMs} ms`
          : `${shown}: ${e.cause?.code ?? e.cause?.message ?? e.message}`,
      );
    });
  let res = await get(headers);
  const challenge = res.headers.get("www-authenticate");
  if (res.status === 401 && challenge && /^digest/i.test(challenge) && auth.password !== undefined) {
    await res.arrayBuffer();
    const u = new URL(url);
    res = await get({ authorization: digestHeader(challenge, "GET", u.pathname + u.search, auth.user ?? "admin", auth.password) });
  }
  if (res.status === 401)
    throw new Error(
      `${shown}: 401 unauthorised${auth.password === undefined ? " (the device needs --meter-user/--meter-password)" : " (wrong credentials?)"}`,
    );
  if (!res.ok) throw new Error(`${shown}: HTTP ${res.status}`);
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${shown}: not JSON: ${JSON.stringify(text.slice(0, 80))}`);
  }
}

/** "HOST" or "HOST:PORT" (or a full http:// URL) -> base URL without a trailing slash. */
export function baseUrl(host: string): string {
  const h = host.trim().replace(/\/+$/, "");
  return /^https?:\/\//.test(h) ? h : `http://${h}`;
}

export function num(x: unknown): number | null {
  return typeof x === "number" && Number.isFinite(x) ? x : null;
}
