/**
 * The read cache's gzip choice on requests shaped as Cloudflare (and `wrangler dev`) hands them to the Worker:
 * Accept-Encoding is always `br, gzip` there, and what the client sent is in request.cf.clientAcceptEncoding
 * (developers.cloudflare.com/fundamentals/reference/http-request-headers/, "Accept-Encoding"). Only the client's
 * own list may choose gzip; test/node/e2e/plain-http.test.ts checks the same through a real `wrangler dev` with curl.
 */
import { describe, expect, it } from "vitest";
import { clientAcceptEncoding } from "../../workers/cache/read-cache.js";
import { buildDocument, fixtureKeyPair } from "../fixtures/documents.js";
import { call, ingest } from "./helpers.js";

const ORIGIN = "https://registry.test";
/** What the runtime puts in the header whatever the client sent. */
const EDGE_HEADER = { "accept-encoding": "br, gzip" };

function edgeRequest(cf: Record<string, unknown>): Request {
  return new Request(`${ORIGIN}/api/v1/leaderboard`, { headers: EDGE_HEADER, cf });
}

describe("read cache: which Accept-Encoding counts", () => {
  it("reads the client's value from cf, not the header the edge rewrote", () => {
    expect(clientAcceptEncoding(edgeRequest({ clientAcceptEncoding: "" }))).toBe("");
    expect(clientAcceptEncoding(edgeRequest({ clientAcceptEncoding: "gzip, deflate, br" }))).toBe("gzip, deflate, br");
    // A cf object without the client's value: unknown, so not gzip.
    expect(clientAcceptEncoding(edgeRequest({}))).toBeUndefined();
    // No cf object at all (a Request built here, not one from the edge): the header is the client's.
    expect(clientAcceptEncoding(new Request(ORIGIN, { headers: { "accept-encoding": "gzip" } }))).toBe("gzip");
    expect(clientAcceptEncoding(new Request(ORIGIN))).toBeUndefined();
  });

  it("sends the stored gzip only to a client whose own list accepts it", async () => {
    await ingest(buildDocument({ board: "nuc", seed: 11 }), await fixtureKeyPair());
    const plain = await call("/api/v1/leaderboard");
    const expected = await plain.text();

    for (const [client, gzip] of [
      ["", false], // curl without --compressed, under wrangler dev
      ["identity", false],
      ["br", false],
      ["gzip;q=0, br", false],
      ["gzip", true],
      ["deflate, gzip, br, zstd", true], // curl --compressed
    ] as const) {
      const res = await call(`/api/v1/leaderboard`, { headers: EDGE_HEADER, cf: { clientAcceptEncoding: client } });
      expect(res.status, client).toBe(200);
      expect(res.headers.get("content-encoding"), client).toBe(gzip ? "gzip" : null);
      expect(res.headers.get("vary"), client).toBe("Accept, Accept-Encoding");
      // The runtime's fetch decodes a gzip body for its caller: either way the same JSON.
      expect(await res.text(), client).toBe(expected);
    }
    const unknown = await call(`/api/v1/leaderboard`, { headers: EDGE_HEADER, cf: {} });
    expect(unknown.headers.get("content-encoding")).toBeNull();
    expect(await unknown.text()).toBe(expected);
  });
});
