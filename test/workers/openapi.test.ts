/**
 * /api/v1/openapi.json: a well-formed OpenAPI 3.1 document (the rules below: no validator library runs in workerd,
 * which forbids the code generation ajv relies on) that names every route the app registers, each of which
 * answers; and the /api page lists every operation in it.
 */
import { describe, expect, it } from "vitest";
import { app } from "../../workers/index.js";
import { call, type ErrorJson } from "./helpers.js";

const METHODS = ["get", "put", "post", "delete", "patch"] as const;

interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components?: Record<string, Record<string, unknown>>;
}

const doc = (await (await call("/api/v1/openapi.json")).json()) as Document;
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method]! })),
);

/** Every `$ref` anywhere in a value. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1: version, info, unique operation ids, declared path parameters, resolvable refs, described responses", async () => {
    const res = await call("/api/v1/openapi.json");
    expect(res.headers.get("cache-control")).toMatch(/public/);
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toMatch(/^1\./);
    expect(doc.servers).toEqual([expect.objectContaining({ url: "/api/v1" })]);
    const ids = operations.map(({ op }) => op.operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of operations) {
      const where = `${method} ${path}`;
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).filter((p) => p.in === "path");
      expect(declared.map((p) => p.name).sort(), where).toEqual(templated);
      expect(
        declared.every((p) => p.required === true),
        where,
      ).toBe(true);
      expect(Object.keys(op.responses).length, where).toBeGreaterThan(0);
      for (const [status, r] of Object.entries(op.responses)) {
        expect(status, where).toMatch(/^[1-5]\d\d$/);
        expect(r.description, where).toBeTruthy();
      }
    }
    for (const ref of refs(doc)) {
      const [, kind, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(ref) ?? [];
      expect(doc.components?.[kind!]?.[name!], ref).toBeDefined();
    }
    // The contract's schemas are referenced, not re-described.
    expect(doc.components?.schemas?.ResultDocument).toBeDefined();
    expect(refs(doc.paths["/submissions"]?.post)).toContain("#/components/schemas/Submission");
  });

  it("names every route the app registers under /api/v1, and every one answers", async () => {
    const registered = new Set(
      app.routes
        .filter((r) => r.path.startsWith("/api/v1/") && !["ALL", "HEAD", "OPTIONS"].includes(r.method))
        .map((r) => `${r.method.toLowerCase()} ${r.path.slice("/api/v1".length).replace(/:([^/{]+)(\{[^}]*\})?/g, "{$1}")}`)
        .filter((r) => r !== "get /openapi.json"),
    );
    const documented = new Set(operations.map(({ path, method }) => `${method} ${path}`));
    expect([...registered].sort()).toEqual([...documented].sort());
    for (const { path, method } of operations) {
      // Placeholders stand in for path parameters: a route answers them (a 400 or 404 in the error shape), never "no route".
      const res = await call(`/api/v1${path.replace(/\{[^}]+\}/g, "x")}`, { method: method.toUpperCase() });
      const body = res.headers.get("content-type")?.startsWith("application/json")
        ? ((await res.json()) as Partial<ErrorJson>)
        : await res.arrayBuffer();
      if (res.status === 404) expect((body as Partial<ErrorJson>).error?.message, `${method} ${path}`).not.toMatch(/^no route/);
      else expect(res.status, `${method} ${path}`).toBeLessThan(500);
    }
  });

  it("lists, per operation, every error code the route answers, in the error shape", () => {
    const hide = doc.paths["/admin/submissions/{id}/hide"]?.post;
    type Codes = { properties: { error: { properties: { code: { enum: string[] } } } } };
    const codes = (status: string) => (hide!.responses[status]!.content!["application/json"]!.schema as Codes).properties.error.properties.code.enum;
    expect(codes("400").sort()).toEqual(["bad_id", "malformed_json", "reason_required"]);
    expect(codes("401")).toEqual(["unauthorized"]);
    expect(codes("503")).toEqual(["moderation_disabled"]);
  });

  it("is what the /api page renders: every operation, with its parameters and error codes", async () => {
    const page = await (await call("/api")).text();
    for (const { path, method, op } of operations) {
      expect(page, `${method} ${path}`).toContain(`id="op-${op.operationId}"`);
    }
    expect(page).toContain("reason_required");
    expect(page).toContain("max_w");
  });
});
