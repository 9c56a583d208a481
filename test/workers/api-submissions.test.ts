import { canonicalJson, computeMetrics, keyFingerprint, type ResultDocument, type TestResult } from "@edgebench/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDocument, type FixtureKeyPair, fixtureKeyPair, signed } from "../fixtures/documents.js";
import { call, type ErrorJson, postJson, submit } from "./helpers.js";

let keys: FixtureKeyPair;
beforeAll(async () => {
  keys = await fixtureKeyPair();
});

describe("POST /api/v1/submissions: happy path and idempotency", () => {
  it("accepts a signed document with 201 {id, url} and serves it back verifiably", async () => {
    const doc = buildDocument({ board: "rpi5", displayName: "pi-lab", seed: 7 });
    const { res, id } = await submit(doc, keys);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; url: string };
    expect(body.id).toBe(id);
    expect(body.url).toBe(`https://registry.test/api/v1/submissions/${id}`);

    const got = await call(`/api/v1/submissions/${id}`);
    expect(got.status).toBe(200);
    const view = (await got.json()) as {
      document: ResultDocument;
      canonical: string;
      signature: string;
      publicKey: string;
      fingerprint: string;
      displayName: string | null;
      boardId: string;
      runs: { metrics: Record<string, { value: number; stddev?: number }> }[];
    };
    expect(view.document).toEqual(doc);
    expect(view.canonical).toBe(canonicalJson(doc));
    expect(view.publicKey).toBe(keys.publicKeyB64);
    expect(view.fingerprint).toBe(await keyFingerprint(keys.publicKeyB64));
    expect(view.displayName).toBe("pi-lab");
    expect(view.boardId).toBe("raspberry-pi-5");
    // The stored signature is the submitted one, byte for byte.
    const { body: sent } = await signed(doc, keys);
    expect(view.signature).toBe(sent.signature);
    // Server-computed figures equal the contract's computation from the samples.
    const expected = computeMetrics({ run: doc.runs[0]!, doc, envelope: null });
    expect(view.runs[0]!.metrics.tg_tps!.value).toBeCloseTo(expected.tg_tps!.value, 9);
    expect(view.runs[0]!.metrics.tokens_per_j!.value).toBeCloseTo(expected.tokens_per_j!.value, 9);
  });

  it("answers the same document again with 200 and the same id, storing no second row", async () => {
    const doc = buildDocument({ board: "nuc", seed: 3 });
    const first = await submit(doc, keys);
    expect(first.res.status).toBe(201);
    const again = await submit(doc, keys);
    expect(again.res.status).toBe(200);
    expect(((await again.res.json()) as { id: string }).id).toBe(first.id);

    const lb = (await (await call("/api/v1/leaderboard?board=intel-nuc-4x4")).json()) as { rows: { submissions: number; runs: number }[] };
    expect(lb.rows).toHaveLength(1);
    expect(lb.rows[0]!.submissions).toBe(1);
    expect(lb.rows[0]!.runs).toBe(1);
  });

  it("registers the key's fingerprint and display name on first use", async () => {
    const other = await fixtureKeyPair();
    const { res, id } = await submit(buildDocument({ board: "custom", displayName: "acme-ops" }), other);
    expect(res.status).toBe(201);
    const view = (await (await call(`/api/v1/submissions/${id}`)).json()) as { fingerprint: string; displayName: string };
    expect(view.fingerprint).toMatch(/^[0-9a-f]{4}(:[0-9a-f]{4}){3}$/);
    expect(view.displayName).toBe("acme-ops");
  });

  it("404s an unknown id and 400s a malformed one, in the one error shape", async () => {
    const missing = await call(`/api/v1/submissions/${"0".repeat(64)}`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorJson).error.code).toBe("not_found");
    const bad = await call("/api/v1/submissions/not-an-id");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorJson).error.code).toBe("bad_id");
  });
});

describe("POST /api/v1/submissions: rejections", () => {
  const expectError = async (res: Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe("string");
    return body;
  };

  it("413 past the body limit", async () => {
    const res = await postJson("x".repeat(2_000_000));
    await expectError(res, 413, "payload_too_large");
  });

  it("400 on malformed JSON", async () => {
    await expectError(await postJson('{"document": {'), 400, "malformed_json");
  });

  it("400 with the zod issues when the document breaks the schema", async () => {
    const doc = buildDocument() as unknown as Record<string, unknown>;
    const runs = doc.runs as { tests: { samplesNs: unknown }[] }[];
    runs[0]!.tests[0]!.samplesNs = [-5];
    delete doc.suite;
    const { body } = await signed(doc, keys);
    const err = await expectError(await postJson(body), 400, "invalid_document");
    const paths = (err.error.details as { path: (string | number)[] }[]).map((i) => i.path.join("."));
    expect(paths).toContain("document.suite");
    expect(paths).toContain("document.runs.0.tests.0.samplesNs.0");
  });

  it("400 when the body is not a submission envelope", async () => {
    const err = await expectError(await postJson({ document: {}, signature: "nope" }), 400, "invalid_submission");
    expect(Array.isArray(err.error.details)).toBe(true);
  });

  it("400 when createdAt is more than 10 minutes in the future, but not within the skew", async () => {
    const future = new Date(Date.now() + 11 * 60_000).toISOString();
    const { res } = await submit(buildDocument({ createdAt: future }), keys);
    await expectError(res, 400, "created_in_future");
    const nearFuture = new Date(Date.now() + 5 * 60_000).toISOString();
    expect((await submit(buildDocument({ createdAt: nearFuture }), keys)).res.status).toBe(201);
  });

  it("checks the schema before the signature: an invalid document with a bad signature is 400", async () => {
    const { body } = await signed({ schema: "edgebench.result/v1" }, keys);
    await expectError(await postJson({ ...body, signature: "A".repeat(86) }), 400, "invalid_document");
  });

  it("401 when the signature does not match the document", async () => {
    const doc = buildDocument({ seed: 11 });
    const { body } = await signed(doc, keys);
    const tampered = structuredClone(body);
    tampered.document.runs[0]!.tests[1]!.samplesNs[0]! -= 1;
    await expectError(await postJson(tampered), 401, "bad_signature");
  });

  it("401 for a schema-valid document signed by another key", async () => {
    const doc = buildDocument({ seed: 12 });
    const mallory = await fixtureKeyPair();
    const { body } = await signed(doc, mallory);
    await expectError(await postJson({ ...body, publicKey: keys.publicKeyB64 }), 401, "bad_signature");
  });

  it("401 for a signature that is well-formed base64url but garbage", async () => {
    const { body } = await signed(buildDocument({ seed: 13 }), keys);
    const flipped = (body.signature[0] === "A" ? "B" : "A") + body.signature.slice(1);
    await expectError(await postJson({ ...body, signature: flipped }), 401, "bad_signature");
  });
});

describe("server-side figures", () => {
  it("come from samplesNs and the meter's joules; a document has nowhere to put its own", async () => {
    // A client that wanted to inflate its rate would have to add a field: the strict schema refuses it.
    const lying = buildDocument({ mutate: (d) => Object.assign(d.runs[0]!.tests[1]!, { avgTs: 9999 }) });
    const { body } = await signed(lying, keys);
    const res = await postJson(body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(((await res.json()) as ErrorJson).error.details)).toContain("avgTs");

    // The honest document: tg128 with 128 tokens in exactly 2 s per repetition is 64 tokens/s.
    const doc = buildDocument({
      board: "rock5b",
      seed: 0,
      mutate: (d) => {
        const tg = d.runs[0]!.tests.find((t) => t.name === "tg128")!;
        tg.samplesNs = [2e9, 2e9, 2e9, 2e9, 2e9];
        tg.energy = [{ meter: 0, status: "measured", joulesPerRep: [16, 16, 16, 16, 16] }];
      },
    });
    const { res: ok, id } = await submit(doc, keys);
    expect(ok.status).toBe(201);
    const view = (await (await call(`/api/v1/submissions/${id}`)).json()) as {
      runs: { metrics: Record<string, { value: number; stddev?: number }> }[];
    };
    const m = view.runs[0]!.metrics;
    expect(m.tg_tps).toEqual({ value: 64, stddev: 0 });
    expect(m.avg_w!.value).toBeCloseTo(8, 12);
    expect(m.j_per_token!.value).toBeCloseTo(16 / 128, 12);
    expect(m.tokens_per_j!.value).toBeCloseTo(8, 12);
    // The Rock 5B catalogue entry has no height, so no size figure unless declared.
    expect(m.tps_per_litre).toBeUndefined();
  });

  it("recomputes the sustained figures from the windows, ranks only the 120 s run, and refuses windows that do not add up", async () => {
    // 120 windows of 1 s: 40 tokens/s for the first 30 s, falling to 20 tokens/s over the last 30 s (a hot board).
    const tokens = Array.from({ length: 120 }, (_, i) => (i < 30 ? 40 : i >= 90 ? 20 : 30));
    const nGen = tokens.reduce((a, b) => a + b, 0);
    const sustained = (windows: number[], mutateTest?: (t: TestResult) => void) =>
      buildDocument({
        board: "rock5b",
        seed: 31 + windows.length,
        mutate: (d) => {
          const t: TestResult = {
            name: "sustained",
            kind: "sustained",
            nPrompt: 0,
            nGen: windows.reduce((a, b) => a + b, 0),
            depth: 0,
            status: "ok",
            samplesNs: [windows.length * 1e9 + 20_000_000],
            windows: { ms: 1000, tokens: windows },
            energy: [{ meter: 0, status: "measured", joulesPerRep: [nGen * 0.25] }],
            thermal: {
              maxTempC: 81,
              series: {
                tMs: [0, 60_000, 120_000],
                maxTempC: [52, 74, 81],
                clusters: [{ cpus: [4, 5, 6, 7], maxMHz: 2400, governor: "schedutil", mhz: [2400, 2016, 1800] }],
              },
            },
          };
          mutateTest?.(t);
          d.runs[0]!.tests.push(t);
        },
      });
    const { res, id } = await submit(sustained(tokens), keys);
    expect(res.status).toBe(201);
    const metricsOf = async (sid: string) =>
      ((await (await call(`/api/v1/submissions/${sid}`)).json()) as { runs: { metrics: Record<string, { value: number }> }[] }).runs[0]!.metrics;
    const m = await metricsOf(id);
    expect(m.sustained_tps!.value).toBe(20);
    expect(m.sustained_ratio!.value).toBe(0.5);
    expect(m.sustained_j_per_token!.value).toBeCloseTo(0.25, 12);
    // The result page plots the windows and states the ranked figures, without JavaScript.
    const html = await (await call(`/results/${id}`)).text();
    expect(html).toContain(
      'data-field="sustained">Generation without pause, 120 windows of 1.00 s: last 30 s median 20.0 tokens/s, last over first 30 s 0.500<',
    );
    // One chart, its clocks and temperature on the rate's time axis: what slowed it down.
    expect(html).toMatch(
      /<svg class="runchart"[^>]*aria-label="sustained run chart: Generation rate from 20.0 to 40.0 tokens\/s; Clock from 1,800 to 2,400 MHz; Temperature, hottest zone from 52.0 to 81.0 °C, over 120 s"/,
    );
    expect(html).toMatch(
      /<g class="panel" data-panel="clock">[\s\S]*?<path class="line s\d" d="M[\d.,LM]+" data-series="CPU 4,5,6,7 \(max 2,400 MHz, schedutil\)"/,
    );
    // The clock fell below 90 % of its peak (2,016 of 2,400 MHz at 60 s): that stretch is shaded, and the legend says why.
    expect(html).toMatch(/<rect class="thr" x="[\d.]+" width="[\d.]+"/);
    expect(html).toContain("Shaded: throttled (a CPU cluster&#39;s clock below 90 % of its peak so far, or a throttle flag set)");
    expect(html).toContain('data-field="sustained-thermal">throttled after 60.0 s, peak 81.0 °C<');

    // A 10 s trial is stored and shown, never ranked beside 120 s runs.
    const short = await submit(sustained([40, 40, 40, 40, 40, 30, 30, 20, 20, 20]), keys);
    expect(short.res.status).toBe(201);
    const ms = await metricsOf(short.id);
    expect(ms.sustained_tps).toBeUndefined();
    expect(ms.sustained_ratio).toBeUndefined();

    // Windows that do not sum to the tokens generated: the document is refused, nothing stored.
    const bad = await signed(
      sustained(tokens, (t) => (t.nGen += 100)),
      keys,
    );
    const r = await postJson(bad.body);
    expect(r.status).toBe(400);
    expect(JSON.stringify(((await r.json()) as ErrorJson).error.details)).toContain("sum to nGen");
  });

  it("uses a declared envelope for tokens/s per litre, and the catalogue's when none is declared", async () => {
    const declared = buildDocument({ board: "rpi5", seed: 21, envelope: { widthMm: 100, depthMm: 100, heightMm: 100 } });
    const d = await submit(declared, keys);
    const dv = (await (await call(`/api/v1/submissions/${d.id}`)).json()) as {
      envelope: { source: string } | null;
      runs: { metrics: Record<string, { value: number }> }[];
    };
    const tg = dv.runs[0]!.metrics.tg_tps!.value;
    expect(dv.envelope?.source).toBe("declared");
    expect(dv.runs[0]!.metrics.tps_per_litre!.value).toBeCloseTo(tg / 1, 9);

    const mac = await submit(buildDocument({ board: "mac-mini-m4", seed: 22 }), keys);
    const mv = (await (await call(`/api/v1/submissions/${mac.id}`)).json()) as {
      envelope: { source: string; heightMm: number } | null;
      runs: { metrics: Record<string, { value: number }> }[];
    };
    expect(mv.envelope).toMatchObject({ source: "catalogue", widthMm: 127, depthMm: 127, heightMm: 50 });
    const litres = (127 * 127 * 50) / 1e6;
    expect(mv.runs[0]!.metrics.tps_per_litre!.value).toBeCloseTo(mv.runs[0]!.metrics.tg_tps!.value / litres, 9);
  });
});
