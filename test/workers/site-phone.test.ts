/**
 * The page HTML that the phone layout relies on, rendered by the real Worker
 * over a real local D1: a result page that leads with its headline figures
 * (the signature last), and a ranking whose low-priority metric columns are
 * marked for the stylesheet to hide at phone width. The layout itself is checked
 * in Chromium at 390 px (test/node/browser/site.test.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { num } from "../../leaderboard/format.js";
import { buildDocument, keyPairFromSeed } from "../fixtures/documents.js";
import { call, ingest } from "./helpers.js";

async function html(path: string): Promise<string> {
  const res = await call(path);
  expect(res.status).toBe(200);
  return res.text();
}

describe("the site at phone width", () => {
  let metered: string;
  let unmetered: string;

  beforeAll(async () => {
    const keys = await keyPairFromSeed(71);
    metered = await ingest(buildDocument({ board: "rpi5", seed: 71, accuracy: true }), keys);
    unmetered = await ingest(buildDocument({ board: "nuc", seed: 72, meter: null }), keys);
  });

  it("leads a result page with its headline figures and accuracy; the system, the tests and the signature follow", async () => {
    const page = await html(`/results/${metered}`);
    // Standards mode: without a doctype a browser lays tables and scroll widths out in quirks mode.
    expect(page.startsWith("<!DOCTYPE html>")).toBe(true);
    const at = (marker: string) => {
      const i = page.indexOf(marker);
      expect(i, marker).toBeGreaterThan(0);
      return i;
    };
    const headline = ["tg_tps", "pp_tps", "tokens_per_j", "ttft_ms"].map((id) => at(`data-headline="${id}"`));
    expect([...headline].sort((a, b) => a - b)).toEqual(headline);
    expect(headline[0]).toBeLessThan(at('data-field="accuracy"'));
    expect(at('data-field="accuracy"')).toBeLessThan(at("<h2>System</h2>"));
    expect(at("<h2>System</h2>")).toBeLessThan(at('data-test="tg128"'));
    expect(at('data-test="tg128"')).toBeLessThan(at('id="signature"'));
    // The headline's figure is the registry's, as its full table below says.
    const api = (await (await call(`/api/v1/submissions/${metered}`)).json()) as { runs: { metrics: Record<string, { value: number }> }[] };
    const tile = page.slice(at('data-headline="tg_tps"'), page.indexOf("</div>", at('data-headline="tg_tps"')));
    expect(tile).toContain(`<span class="big">${num(api.runs[0]!.metrics.tg_tps!.value)}</span> tokens/s`);
  });

  it("says not measured, never 0, for the energy headline of a run without a meter", async () => {
    const page = await html(`/results/${unmetered}`);
    const start = page.indexOf('data-headline="tokens_per_j"');
    const tile = page.slice(start, page.indexOf("</div>", start));
    expect(tile).toContain('<span class="nm">not measured</span>');
    expect(tile).not.toContain('class="big"');
  });

  it("keeps the sorted column and one of another kind at phone width, marking the rest low priority", async () => {
    const page = await html("/?sort=pp_tps");
    const table = page.slice(page.indexOf('<table id="ranking"'), page.indexOf("</table>", page.indexOf('<table id="ranking"')));
    const headers = [...table.matchAll(/<th scope="col" class="n"( data-priority="low")?[^>]*><a href="[^"]*" data-sort="([a-z0-9_]+)"/g)];
    const kept = headers.filter((m) => !m[1]).map((m) => m[2]);
    // Sorted by prompt tokens/s (a throughput figure): beside it the view's first figure of another axis, time to first token.
    expect(kept).toEqual(["pp_tps", "ttft_ms"]);
    expect(headers.length).toBeGreaterThan(kept.length);
    const row = table.slice(table.indexOf("<tr data-cfg="), table.indexOf("</tr>", table.indexOf("<tr data-cfg=")));
    expect(row).toContain('<td class="n" data-metric="pp_tps"');
    expect(row).toContain('<td class="n" data-priority="low" data-metric="tg_tps"');
  });
});
