/**
 * The versioned read cache (docs/scale.md, "What is cached, and how it is invalidated").
 *
 * Public GET reads derived only from registry data and the URL (the
 * leaderboard API as JSON and CSV, boards, models, configurations, a
 * submission; the /, board, model, result and compare pages) are served from
 * a cache keyed by the full URL, the one request header such a read varies
 * by (Accept, CSV or not, leaderboard only) and the registry version
 * (./version.ts). Two layers:
 *
 * 1. an isolate-global LRU (READ_CACHE_LIMITS: entries and bytes): a hit is
 *    no I/O at all while the isolate's copy of the version is fresh;
 * 2. caches.default (the data centre's cache, shared by its isolates), under
 *    the URL plus a `__edgebench_v` parameter, kept EDGE_TTL_S at most (so a
 *    deploy that changes the rendering is visible within that time).
 *
 * Entries are kept gzip-compressed (compressed once, on the miss): a hit to a
 * client that accepts gzip sends the stored bytes as they are (the runtime
 * would otherwise gzip a 66 KB leaderboard or a 116 KB page on every
 * request); any other client gets them decompressed on the way out. Whether
 * the client accepts gzip is read from what it sent (clientAcceptEncoding
 * below), never from the Accept-Encoding header the Worker is handed.
 *
 * A write bumps the version in its own D1 batch, so after it every cached
 * entry is unreachable: no stale rankings, no purge. Never cached: anything
 * but GET, /api/v1/admin/*, any status but 200, a response that sets a
 * cookie. Every cached response carries a content-hash ETag and
 * `Cache-Control: public, max-age=0, must-revalidate`: browsers may keep a
 * copy but ask each time, and If-None-Match gets a 304 (usually from memory).
 */

import { sha256Hex } from "@edgebench/contract";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { acceptsCsv } from "../api/csv.js";
import { createDb } from "../db.js";
import type { AppEnv } from "../env.js";
import { Lru, type LruLimits } from "./lru.js";
import { forgetVersion, registryVersion } from "./version.js";

/** Isolate memory is 128 MB; the largest page (/ at 3,700 configurations) is ~120 KB. */
export const READ_CACHE_LIMITS: LruLimits = { maxEntries: 1000, maxBytes: 24 * 1024 * 1024 };
/** How long caches.default keeps an entry (the version key already makes a stale one unreachable). */
export const EDGE_TTL_S = 300;
/** What browsers and shared caches are told. */
export const CLIENT_CACHE_CONTROL = "public, max-age=0, must-revalidate";
/** The header that, with the CACHE_BYPASS_TOKEN var set, skips the cache (bench/load.ts measures misses with it). */
export const BYPASS_HEADER = "x-edgebench-cache-bypass";
/** The caches.default key parameter carrying the version. */
const VERSION_PARAM = "__edgebench_v";

/** GET paths whose 200 responses depend only on the URL, the Accept variant and the registry's data. */
const CACHED_PATHS: readonly RegExp[] = [
  /^\/api\/v1\/(?:leaderboard|boards|models|configurations)$/,
  /^\/api\/v1\/(?:boards|models|submissions)\/[^/]+$/,
  /^\/$/,
  /^\/(?:boards|models|results)\/[^/]+$/,
  /^\/compare$/,
];
/** Paths that choose CSV or JSON by the Accept header (workers/api/leaderboard.ts). */
const ACCEPT_VARIANT = /^\/api\/v1\/leaderboard$/;
/** Headers a stored copy does not keep: per-response or recomputed on the way out. */
const DROPPED = new Set([
  "date",
  "server-timing",
  "x-d1-rows",
  "content-length",
  "content-encoding",
  "vary",
  "cache-control",
  "etag",
  "x-cache",
  "age",
]);

interface Entry {
  /** The body, gzip-compressed. */
  gzip: ArrayBuffer;
  headers: [string, string][];
  /** Of the uncompressed body. */
  etag: string;
}

const memory = new Lru<Entry>(READ_CACHE_LIMITS);

/** For tests and diagnostics: what the isolate's LRU holds now. */
export function readCacheStats(): { entries: number; bytes: number; limits: LruLimits } {
  return { entries: memory.size, bytes: memory.bytes, limits: READ_CACHE_LIMITS };
}

export function isCachedPath(path: string): boolean {
  return !path.startsWith("/api/v1/admin/") && CACHED_PATHS.some((re) => re.test(path));
}

/** The first 96 bits of the body's SHA-256: plenty to tell two versions of a page apart. */
async function contentEtag(body: ArrayBuffer): Promise<string> {
  return `"${(await sha256Hex(new Uint8Array(body))).slice(0, 24)}"`;
}

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((t) => {
    const v = t.trim();
    return v === "*" || v.replace(/^W\//, "") === etag;
  });
}

async function gzip(body: ArrayBuffer): Promise<ArrayBuffer> {
  return new Response(new Response(body).body!.pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
}

/** Whether Accept-Encoding allows gzip (listed, or "*", without q=0). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? "").split(",").some((part) => {
    const [name, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    if (name !== "gzip" && name !== "*") return false;
    const q = params.find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * The Accept-Encoding the client itself sent, or undefined when that is unknown.
 *
 * Not the header the Worker sees: Cloudflare sets it to `br, gzip` on every incoming request and keeps a client's
 * different value in `request.cf.clientAcceptEncoding` (developers.cloudflare.com/fundamentals/reference/http-request-headers/
 * "Accept-Encoding"; /workers/runtime-apis/request/ "clientAcceptEncoding"). `wrangler dev` does the same (miniflare's
 * entry worker overwrites the header with `br, gzip` and passes the client's value, "" for none, as
 * cf.clientAcceptEncoding), so a curl that sent nothing looked like a gzip client and got the stored bytes raw.
 * With a cf object and no clientAcceptEncoding the client's list is unknown: undefined, so the body goes out plain
 * and the edge compresses it for the client if that client asked (speed/optimization/content/compression/).
 * Without a cf object (a Request built in a test) the header is the client's own.
 */
export function clientAcceptEncoding(req: Request): string | undefined {
  const cf = req.cf as { clientAcceptEncoding?: unknown } | undefined;
  if (cf) return typeof cf.clientAcceptEncoding === "string" ? cf.clientAcceptEncoding : undefined;
  return req.headers.get("Accept-Encoding") ?? undefined;
}

function respond(entry: Entry, req: { ifNoneMatch?: string; acceptEncoding?: string }, state: "HIT" | "MISS", vary: boolean): Response {
  const headers = new Headers(entry.headers);
  headers.set("cache-control", CLIENT_CACHE_CONTROL);
  headers.set("etag", entry.etag);
  headers.set("x-cache", state);
  headers.set("vary", vary ? "Accept, Accept-Encoding" : "Accept-Encoding");
  if (matchesEtag(req.ifNoneMatch, entry.etag)) {
    for (const h of ["content-type", "content-disposition", "x-total-count", "x-next-cursor"]) headers.delete(h);
    return new Response(null, { status: 304, headers });
  }
  if (acceptsGzip(req.acceptEncoding)) {
    headers.set("content-encoding", "gzip");
    // "manual": these bytes are already encoded; the runtime must not encode them again.
    return new Response(entry.gzip, { status: 200, headers, encodeBody: "manual" });
  }
  return new Response(new Response(entry.gzip).body!.pipeThrough(new DecompressionStream("gzip")), { status: 200, headers });
}

function edgeCache(): Cache | null {
  return (globalThis as { caches?: { default?: Cache } }).caches?.default ?? null;
}

function edgeKey(url: string, variant: string, version: string): Request {
  const u = new URL(url);
  u.searchParams.set(VERSION_PARAM, variant ? `${version}.${variant}` : version);
  return new Request(u.toString());
}

async function edgeGet(key: Request): Promise<Entry | null> {
  const cache = edgeCache();
  if (!cache) return null;
  try {
    const res = await cache.match(key);
    const etag = res?.headers.get("etag");
    if (res?.status !== 200 || !etag) return null;
    const headers = [...res.headers].filter(([k]) => !DROPPED.has(k));
    return { gzip: await gzip(await res.arrayBuffer()), headers, etag };
  } catch {
    return null; // the edge cache is an optimisation: a failure is a miss
  }
}

/** caches.default gets the plain body (it negotiates encodings itself). */
function edgePut(key: Request, entry: Entry, body: ArrayBuffer): Promise<void> {
  const cache = edgeCache();
  if (!cache) return Promise.resolve();
  const headers = new Headers(entry.headers);
  headers.set("etag", entry.etag);
  headers.set("cache-control", `public, max-age=${EDGE_TTL_S}`);
  return cache.put(key, new Response(body, { status: 200, headers })).catch(() => undefined);
}

/** A response may be cached only when it varies by nothing the key does not hold. */
function keyedVary(vary: string | null): boolean {
  return (vary ?? "").split(",").every((h) => ["", "accept", "accept-encoding"].includes(h.trim().toLowerCase()));
}

function entryBytes(key: string, e: Entry): number {
  let n = key.length + e.etag.length + e.gzip.byteLength;
  for (const [k, v] of e.headers) n += k.length + v.length;
  return n;
}

export const readCache = createMiddleware<AppEnv>(async (c, next) => {
  const method = c.req.method;
  if (method !== "GET" && method !== "HEAD" && method !== "OPTIONS") {
    // A write (or an attempt): whatever it changed, this isolate's next read asks D1 for the version.
    try {
      await next();
    } finally {
      forgetVersion();
    }
    return;
  }
  const path = c.req.path;
  if (method !== "GET" || !isCachedPath(path)) return next();

  const bypassToken = c.env.CACHE_BYPASS_TOKEN;
  if (bypassToken && c.req.header(BYPASS_HEADER) === bypassToken) {
    await next();
    c.res.headers.set("x-cache", "BYPASS");
    return;
  }

  let version: string | null;
  try {
    version = await registryVersion(createDb(c.env.DB), () => memory.clear());
  } catch {
    version = null;
  }
  if (version === null) return next();

  const vary = ACCEPT_VARIANT.test(path);
  const variant = vary && !c.req.query("format") && acceptsCsv(c.req.header("Accept")) ? "csv" : "";
  const key = `${version} ${variant} ${c.req.url}`;
  const req = { ifNoneMatch: c.req.header("If-None-Match"), acceptEncoding: clientAcceptEncoding(c.req.raw) };

  let entry = memory.get(key);
  if (!entry) {
    const edge = await edgeGet(edgeKey(c.req.url, variant, version));
    if (edge) {
      memory.set(key, edge, entryBytes(key, edge));
      entry = edge;
    }
  }
  if (entry) {
    replaceResponse(c, respond(entry, req, "HIT", vary));
    return;
  }

  await next();
  const res = c.res;
  if (res.status !== 200 || res.headers.has("set-cookie") || !keyedVary(res.headers.get("vary"))) return;
  const body = await res.arrayBuffer();
  const fresh: Entry = { gzip: await gzip(body), headers: [...res.headers].filter(([k]) => !DROPPED.has(k)), etag: await contentEtag(body) };
  memory.set(key, fresh, entryBytes(key, fresh));
  const put = edgePut(edgeKey(c.req.url, variant, version), fresh, body);
  try {
    c.executionCtx.waitUntil(put);
  } catch {
    await put; // no execution context (direct app.fetch): store before answering
  }
  const out = respond(fresh, req, "MISS", vary);
  const timing = res.headers.get("server-timing");
  if (timing) out.headers.set("server-timing", timing);
  replaceResponse(c, out);
});

/** Replace, not merge: Hono's res setter would copy the previous response's headers over these. */
function replaceResponse(c: Context<AppEnv>, res: Response): void {
  c.res = undefined;
  c.res = res;
}
