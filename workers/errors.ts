/**
 * The API's one error shape, { error: { code, message, details? } }, and the
 * one place that produces it: onError (thrown errors) and notFound.
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Throw this from any handler; onError turns it into the error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers (e.g. Retry-After on a 429). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const CODE_BY_STATUS: Partial<Record<number, string>> = {
  400: "bad_request",
  401: "unauthorized",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

function errorResponse(c: Context, status: ContentfulStatusCode, body: ErrorBody["error"]): Response {
  return c.json<ErrorBody>({ error: body }, status);
}

export const onError: ErrorHandler = (err, c) => {
  if (err instanceof ApiError) {
    for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
    return errorResponse(c, err.status, {
      code: err.code,
      message: err.message,
      ...(err.details === undefined ? {} : { details: err.details }),
    });
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return errorResponse(c, status, { code: CODE_BY_STATUS[status] ?? "http_error", message: err.message || "request failed" });
  }
  // Anything else is our bug: log it, do not leak internals to the client.
  console.error("unhandled error", err);
  return errorResponse(c, 500, { code: "internal", message: "internal error" });
};

export const notFound: NotFoundHandler = (c) =>
  errorResponse(c, 404, { code: "not_found", message: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` });
