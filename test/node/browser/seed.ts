/**
 * Fills a running registry through its real API: the site fixtures
 * (test/workers/site-data.ts) signed with two fixed keys and POSTed to
 * /api/v1/submissions, then each run's configuration id read back.
 */
import { keyPairFromSeed, signed } from "../../fixtures/documents.js";
import { siteFixtures } from "../../workers/site-data.js";
import { rankingsSettled } from "../helpers/rankings.js";

export interface Seeded {
  /** fixture key ("mac", "orin#1" for a document's second run) -> configuration id */
  cfg: Map<string, string>;
  /** fixture key -> submission ids */
  subs: Map<string, string[]>;
  keyOf(configurationId: string): string;
}

export async function seedSite(baseUrl: string): Promise<Seeded> {
  const signers = [await keyPairFromSeed(41), await keyPairFromSeed(42)];
  const cfg = new Map<string, string>();
  const subs = new Map<string, string[]>();
  for (const f of siteFixtures()) {
    const { id, body } = await signed(f.doc, signers[f.signer]!);
    const res = await fetch(`${baseUrl}/api/v1/submissions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    if (res.status !== 201) throw new Error(`POST ${f.key}: ${res.status} ${await res.text()}`);
    subs.set(f.key, [...(subs.get(f.key) ?? []), id]);
    const view = (await (await fetch(`${baseUrl}/api/v1/submissions/${id}`)).json()) as { runs: { configurationId: string }[] };
    view.runs.forEach((r, i) => {
      cfg.set(i === 0 ? f.key : `${f.key}#${i}`, r.configurationId);
    });
  }
  await rankingsSettled(baseUrl);
  return { cfg, subs, keyOf: (id) => [...cfg].find(([, v]) => v === id)?.[0] ?? id };
}
