/**
 * What every /api/v1 route is built from (@hono/zod-openapi): an OpenAPIHono whose route definitions validate the
 * request with their zod schemas and describe it in /api/v1/openapi.json (./openapi-document.ts), and the
 * faults a route can answer, each at once a documented response and the error it throws.
 *
 * A request part that fails its schema is answered in the API's one error shape (workers/errors.ts): the route
 * names the code and message per part (or per query field) with `refuse`; anything it does not name gets the
 * part's generic code. The schema's issues are the error's details.
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import type { AppEnv } from "../env.js";
import { ApiError } from "../errors.js";

/** One answer a route may refuse with: a status, the error code and what it means (also the message, where it is fixed). */
export interface Fault {
  status: ContentfulStatusCode;
  code: string;
  message: string;
}

export const fault = (status: ContentfulStatusCode, code: string, message: string): Fault => ({ status, code, message });

/** The error raised for a fault, with a message of the moment where the fault's own is generic. */
export const raise = (f: Fault, message = f.message, details?: unknown): ApiError => new ApiError(f.status, f.code, message, details);

/** Faults more than one route answers. */
export const MALFORMED_JSON = fault(400, "malformed_json", "the body is not valid JSON");
export const NOT_FOUND = fault(404, "not_found", "nothing with this id (the message names it)");
export const BAD_SUBMISSION_ID = fault(400, "bad_id", "a submission id is 64 lowercase hex digits");
/** The admin guard's answers (workers/moderation/admin-auth.ts). */
export const ADMIN_FAULTS = [
  fault(401, "unauthorized", "admin calls need Authorization: Bearer <admin token>"),
  fault(503, "moderation_disabled", "moderation is not configured on this registry (no ADMIN_TOKEN secret)"),
];
export const ADMIN_SECURITY = [{ adminToken: [] }];

type Target = "param" | "query" | "json";
type FieldFaults = Partial<Record<string, Fault>>;

/** What a part that fails its schema is answered when the route names nothing for it. */
const GENERIC: Record<Target, Fault> = {
  param: fault(400, "bad_param", "a path parameter is not valid"),
  query: fault(400, "invalid_query", "a query parameter is not valid"),
  json: fault(400, "invalid_body", "the body does not match the endpoint's schema"),
};

function isFault(x: Fault | FieldFaults): x is Fault {
  return typeof x.code === "string" && typeof x.status === "number";
}

function refusal(target: string, error: ZodError, named: Fault | FieldFaults | undefined): ApiError {
  let f = named && isFault(named) ? named : undefined;
  // Per field: the first failing field the route names (a query can fail on several).
  if (named && !isFault(named)) f = error.issues.map((i) => named[String(i.path[0])]).find((x) => x !== undefined) ?? named["*"];
  f ??= GENERIC[target as Target] ?? GENERIC.json;
  return raise(f, f.message, error.issues);
}

type ValidationResult = { target: string } & ({ success: true } | { success: false; error: ZodError });

/** A route's own answers to a request part that fails its schema: one fault per part, or per field ("*": any other). */
export function refuse(named: Partial<Record<Target, Fault | FieldFaults>>) {
  return (result: ValidationResult): undefined => {
    if (!result.success) throw refusal(result.target, result.error, named[result.target as Target]);
  };
}

/** A resource's routes: an OpenAPIHono whose validation failures leave in the one error shape. */
export function apiApp(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw refusal(result.target, result.error, undefined);
    },
  });
}

/** The error shape, its code one of `codes`. */
function errorSchema(codes: readonly string[]) {
  return z.object({
    error: z.object({
      code: z.enum(codes as [string, ...string[]]),
      message: z.string(),
      details: z.unknown().optional().openapi({ description: "what failed, e.g. the schema's issues" }),
    }),
  });
}

interface FaultResponse {
  description: string;
  content: { "application/json": { schema: ReturnType<typeof errorSchema> } };
  headers?: Record<string, { description: string; schema: { type: "string" } }>;
}

/** The documented error responses of a route, one per status, each listing its codes. */
export function failures(...faults: readonly Fault[]): Record<number, FaultResponse> {
  const byStatus = new Map<number, Fault[]>();
  for (const f of faults) byStatus.set(f.status, [...(byStatus.get(f.status) ?? []), f]);
  const out: Record<number, FaultResponse> = {};
  for (const [status, list] of byStatus) {
    out[status] = {
      description: list.map((f) => `${f.code}: ${f.message}`).join("; "),
      content: { "application/json": { schema: errorSchema(list.map((f) => f.code)) } },
      ...(status === 429
        ? { headers: { "Retry-After": { description: "seconds until the window that admits the upload", schema: { type: "string" } } } }
        : {}),
    };
  }
  return out;
}

/** A JSON success response whose top level is `schema` (further keys may follow: the schema names what a client relies on). */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

/**
 * A JSON request body read as JSON whatever its Content-Type (the README's `curl -d` sends form encoding), so the
 * route's schema decides: malformed JSON is MALFORMED_JSON (with the parser's message); an optional body may be
 * empty. Runs after the body limit, before the route's validators, which read the cached text.
 */
export const jsonBody = (options: { optional?: boolean } = {}) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const text = await c.req.text();
    const headers = new Headers(c.req.raw.headers);
    if (options.optional && text.trim() === "") {
      headers.delete("content-type");
      c.req.raw = new Request(c.req.url, { method: c.req.method, headers });
      return next();
    }
    try {
      JSON.parse(text);
    } catch (e) {
      throw raise(MALFORMED_JSON, `the body is not valid JSON: ${(e as Error).message}`);
    }
    headers.set("content-type", "application/json");
    c.req.raw = new Request(c.req.url, { method: c.req.method, headers, body: text });
    await next();
  });

/** The JSON body of a route definition. */
export function bodyOf<T extends z.ZodType>(schema: T, description: string, required = true) {
  return { description, required, content: { "application/json": { schema } } };
}
