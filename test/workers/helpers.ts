/** Calling the Worker under test (its default export, inside workerd) and posting fixtures. */
import { env, exports } from "cloudflare:workers";
import type { ResultDocument } from "@edgebench/contract";
import { aggregatePending } from "../../workers/aggregate/configurations.js";
import { createDb } from "../../workers/db.js";
import { type FixtureKeyPair, signed } from "../fixtures/documents.js";

export const ORIGIN = "https://registry.test";

const worker = (exports as unknown as { default: { fetch(req: Request): Promise<Response> } }).default;

export function call(path: string, init?: RequestInit): Promise<Response> {
  return worker.fetch(new Request(new URL(path, ORIGIN), init));
}

/**
 * Runs the aggregation step on whatever is pending. The route starts it in
 * ctx.waitUntil after answering; tests wait for it here, deterministically
 * (a pass that finds a newer upload than it read writes nothing: see
 * workers/aggregate/configurations.ts, so running one more is always safe).
 */
export async function settle(): Promise<void> {
  await aggregatePending(createDb(env.DB));
}

/** POSTs a submission body and waits until the rankings include whatever it stored. */
export async function postJson(body: unknown): Promise<Response> {
  const res = await call("/api/v1/submissions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  await settle();
  return res;
}

/** Signs and submits a document; returns the response and the id it should get. */
export async function submit(doc: ResultDocument, keys: FixtureKeyPair): Promise<{ res: Response; id: string }> {
  const { id, body } = await signed(doc, keys);
  return { res: await postJson(body), id };
}

/** Submits and insists on 201; returns the id. */
export async function ingest(doc: ResultDocument, keys: FixtureKeyPair): Promise<string> {
  const { res, id } = await submit(doc, keys);
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${await res.text()}`);
  return id;
}

export interface ErrorJson {
  error: { code: string; message: string; details?: unknown };
}
