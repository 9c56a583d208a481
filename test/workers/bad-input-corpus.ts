/**
 * The bad-input corpus: hostile requests against every write path and every
 * query parameter of every GET endpoint, each with the statuses it may get.
 * Generated (not hand-listed) where it can be: every path of a real document
 * gets wrong types; every numeric leaf gets huge numbers (signed, so they get
 * past the signature check and reach the registry's own range rules).
 * Run by test/workers/hardening-bad-input.test.ts inside workerd.
 */
import { canonicalJson, type ResultDocument, type SignedSubmission } from "@edgebench/contract";
import { buildDocument, encodeBase64Url, type FixtureKeyPair, signed } from "../fixtures/documents.js";

export interface CorpusCase {
  group: string;
  name: string;
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Statuses that are right for this case (never 5xx). */
  expect: number[];
  /** For a 200 JSON answer: the list that must come back empty. */
  emptyList?: string;
}

const SUBMIT = "/api/v1/submissions";
const JSON_HEADERS = { "content-type": "application/json" };

/** The compact document every structural case starts from: one run, two tests, a meter with a trace. */
export function baseDocument(seed = 0): ResultDocument {
  return buildDocument({
    board: "rpi5",
    reps: 2,
    seed,
    tests: ["pp", "tg"],
    displayName: "corpus",
    mutate: (d) => {
      d.runs[0]!.tests[1]!.energy![0]!.trace = { tMs: [0, 100, 200], w: [6, 6.5, 6.4] };
    },
  });
}

type Path = (string | number)[];

/** Every path in a JSON value, the root included, with its value. */
function paths(v: unknown, at: Path = []): [Path, unknown][] {
  const out: [Path, unknown][] = [[at, v]];
  if (Array.isArray(v))
    v.forEach((x, i) => {
      out.push(...paths(x, [...at, i]));
    });
  else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

function setAt<T>(root: T, path: Path, value: unknown): T {
  const copy = structuredClone(root) as unknown;
  if (path.length === 0) return value as T;
  let cur = copy as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) cur = cur[p] as Record<string | number, unknown>;
  cur[path.at(-1)!] = value;
  return copy as T;
}

/** A value of a different JSON type than `v`. */
function wrongType(v: unknown): unknown {
  if (typeof v === "string") return 12345;
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return "true";
  if (Array.isArray(v)) return { 0: v[0] ?? 1 };
  if (v !== null && typeof v === "object") return [v];
  return "null";
}

const post = (group: string, name: string, body: string | Uint8Array, expect: number[], path = SUBMIT): CorpusCase => ({
  group,
  name,
  method: "POST",
  path,
  headers: JSON_HEADERS,
  body,
  expect,
});

/** The SQL and LIKE meta-character payloads tried in every query parameter. */
export const SQL_PAYLOADS = [
  "' OR '1'='1",
  "'; DROP TABLE submissions; --",
  '" OR ""="',
  "1; SELECT * FROM submissions",
  "') UNION SELECT id, document FROM submissions --",
  "%",
  "_",
  "%_%",
  "\\",
  "*/ OR 1=1 /*",
  "1 OR 1=1",
  "NULL",
  "\u0000",
  "x".repeat(5000),
];

/** The subset tried on the heavy HTML pages' every parameter. */
const SITE_PAYLOADS = ["' OR '1'='1", "'; DROP TABLE submissions; --", "%", "\u0000"];

const GET_ENDPOINTS: { path: (x: string) => string; expect: number[]; emptyList?: string; payloads?: string[] }[] = [
  ...["quantisation", "suite"].map((p) => ({
    path: (x: string) => `/api/v1/leaderboard?${p}=${x}`,
    expect: [200, 400],
    emptyList: "rows",
  })),
  // A board or model id that names nothing is a 404 that says so, never an empty ranking.
  ...["model", "board"].map((p) => ({ path: (x: string) => `/api/v1/leaderboard?${p}=${x}`, expect: [400, 404] })),
  ...["accelerator", "backend", "scope", "sort", "order", "limit", "offset", "cursor", "format"].map((p) => ({
    path: (x: string) => `/api/v1/leaderboard?${p}=${x}`,
    expect: [400],
  })),
  { path: (x) => `/api/v1/leaderboard?model=${x}&format=csv`, expect: [400, 404] },
  { path: (x) => `/api/v1/boards/${x}`, expect: [400, 404] },
  { path: (x) => `/api/v1/models/${x}`, expect: [400, 404] },
  { path: (x) => `/api/v1/submissions/${x}`, expect: [400, 404] },
  { path: (x) => `/api/v1/configurations?ids=${x}`, expect: [200, 400], emptyList: "configurations" },
  { path: (x) => `/api/v1/health?q=${x}`, expect: [200] },
  { path: (x) => `/api/v1/boards?q=${x}`, expect: [200] },
  { path: (x) => `/api/v1/models?q=${x}`, expect: [200] },
  { path: (x) => `/api/v1/metrics?q=${x}`, expect: [200] },
  ...["limit", "before"].map((p) => ({ path: (x: string) => `/api/v1/admin/log?${p}=${x}`, expect: [400], admin: true })),
  ...["view", "scope", "model", "quant", "board", "accel", "backend", "sort", "dir", "page"].map((p) => ({
    path: (x: string) => `/?${p}=${x}`,
    expect: p === "model" || p === "board" ? [400, 404] : [200, 400],
    // The full page renders in hundreds of ms on a loaded machine: the main payloads only.
    payloads: SITE_PAYLOADS,
  })),
  { path: (x) => `/boards/${x}`, expect: [400, 404] },
  { path: (x) => `/models/${x}`, expect: [400, 404] },
  { path: (x) => `/results/${x}`, expect: [400, 404] },
  { path: (x) => `/compare?ids=${x}`, expect: [200, 400, 404] },
];

export interface CorpusContext {
  keys: FixtureKeyPair;
  other: FixtureKeyPair;
  /** The valid submission already stored before the corpus runs (replays must be 200 duplicates). */
  stored: SignedSubmission<ResultDocument>;
  storedId: string;
  adminToken: string;
}

export async function buildCorpus(ctx: CorpusContext): Promise<CorpusCase[]> {
  const cases: CorpusCase[] = [];
  const { keys, other } = ctx;
  const validBody = JSON.stringify(ctx.stored);
  const doc = baseDocument(101);
  const fresh = (await signed(doc, keys)).body;
  const freshText = JSON.stringify(fresh);

  // 1. Malformed and truncated JSON.
  const malformed = [
    "",
    " ",
    "{",
    "}",
    "[",
    "null",
    "true",
    "0",
    '"text"',
    "{'document':1}",
    '{"document":1,}',
    '{"a":NaN}',
    "Infinity",
    "\u0000",
    '{"document":',
    "\ufeff{}",
    "{}{}",
    "[]",
  ];
  malformed.forEach((b, i) => {
    cases.push(post("malformed-json", `malformed #${i} ${JSON.stringify(b.slice(0, 20))}`, b, [400]));
  });
  for (let i = 1; i <= 30; i++) {
    const cut = Math.floor((freshText.length * i) / 31);
    cases.push(post("truncated-json", `truncated at ${cut}/${freshText.length}`, freshText.slice(0, cut), [400]));
  }
  cases.push(post("malformed-json", "invalid UTF-8 bytes", new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), [400]));

  // 2. Wrong types at every level of the envelope and the document.
  for (const [path, value] of paths(fresh)) {
    cases.push(post("wrong-type", `wrong type at ${path.join(".") || "(root)"}`, JSON.stringify(setAt(fresh, path, wrongType(value))), [400]));
    if (path.length > 0) cases.push(post("wrong-type", `null at ${path.join(".")}`, JSON.stringify(setAt(fresh, path, null)), [400]));
  }
  cases.push(post("wrong-type", "unknown key in the document", JSON.stringify({ ...fresh, document: { ...doc, extra: 1 } }), [400]));
  cases.push(post("wrong-type", "unknown key in the envelope", JSON.stringify({ ...fresh, extra: 1 }), [400]));

  // 3. Huge numbers in every numeric leaf, signed so they reach the range rules.
  for (const [path, value] of paths(doc)) {
    if (typeof value !== "number") continue;
    for (const huge of [1e308, 2 ** 53 + 2, -1e308]) {
      const body = (await signed(setAt(doc, path, huge), keys)).body;
      cases.push(post("huge-number", `${huge} at ${path.join(".")}`, JSON.stringify(body), [400]));
    }
  }
  for (const raw of ["1e309", "-1e309", "123456789012345678901234567890"]) {
    cases.push(post("huge-number", `raw ${raw} in nPrompt`, freshText.replace('"nPrompt":512', `"nPrompt":${raw}`), [400]));
  }

  // 4. Deep nesting (10,000 levels) in the body, the document and a text field.
  const deepObj = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
  const deepArr = "[".repeat(10_000) + "]".repeat(10_000);
  cases.push(post("deep-nesting", "10,000 nested arrays as the body", deepArr, [400]));
  cases.push(post("deep-nesting", "10,000 nested objects as the body", deepObj, [400]));
  cases.push(
    post(
      "deep-nesting",
      "10,000 nested objects as the document",
      `{"document":${deepObj},"signature":"${fresh.signature}","publicKey":"${fresh.publicKey}"}`,
      [400],
    ),
  );
  cases.push(
    post("deep-nesting", "10,000 nested arrays in fleet.label", freshText.replace('"displayName":"corpus"', `"displayName":${deepArr}`), [400]),
  );
  cases.push(post("deep-nesting", "100,000 nested arrays as the body", "[".repeat(100_000) + "]".repeat(100_000), [400]));

  // 5. Oversized bodies and arrays.
  cases.push(post("oversized", "2 MB body", `{"document":"${"x".repeat(2_000_000)}"}`, [413]));
  cases.push(post("oversized", "5 MB body", `[${"0,".repeat(2_500_000)}0]`, [413]));
  cases.push(
    post(
      "oversized",
      "1.8 MB array as the document",
      `{"document":[${"0,".repeat(900_000)}0],"signature":"${fresh.signature}","publicKey":"${fresh.publicKey}"}`,
      [400],
    ),
  );
  const arrays: [string, (d: ResultDocument) => void][] = [
    ["101 samples", (d) => (d.runs[0]!.tests[0]!.samplesNs = Array.from({ length: 101 }, () => 1e9))],
    ["65 runs", (d) => (d.runs = Array.from({ length: 65 }, () => structuredClone(d.runs[0]!)))],
    ["33 tests", (d) => (d.runs[0]!.tests = Array.from({ length: 33 }, () => structuredClone(d.runs[0]!.tests[0]!)))],
    [
      "601 trace points",
      (d) => (d.runs[0]!.tests[1]!.energy![0]!.trace = { tMs: Array.from({ length: 601 }, (_, i) => i), w: Array.from({ length: 601 }, () => 5) }),
    ],
    ["17 accelerators", (d) => (d.system.accelerators = Array.from({ length: 17 }, () => ({ kind: "gpu" as const, name: "g" })))],
    ["129-character board name", (d) => (d.system.board.name = "B".repeat(129))],
    ["empty runs", (d) => (d.runs = [])],
    ["empty board name", (d) => (d.system.board.name = "")],
  ];
  for (const [name, mutate] of arrays) {
    const d = structuredClone(doc);
    mutate(d);
    cases.push(post("oversized", name, JSON.stringify((await signed(d, keys)).body), [400]));
  }

  // 6. Unicode and control characters in names (signed: refused by the registry's text rule, not the signature).
  const nasty: [string, string][] = [
    ["NUL", "Raspberry Pi 5\u0000"],
    ["ESC sequence", "\u001b[31mRaspberry Pi 5"],
    ["DEL", "Raspberry\u007fPi 5"],
    ["C1 NEL", "Raspberry\u0085Pi 5"],
    ["RTL override", "Raspberry Pi 5 \u202egnp.exe"],
    ["RTL isolate", "\u2067Raspberry Pi 5"],
    ["lone high surrogate", "Raspberry Pi 5 \ud800"],
    ["lone low surrogate", "\udc00Raspberry Pi 5"],
    ["noncharacter U+FFFF", "Raspberry Pi 5\uffff"],
  ];
  const fields: [string, (d: ResultDocument, s: string) => void][] = [
    ["board name", (d, s) => (d.system.board.name = s)],
    ["model name", (d, s) => (d.runs[0]!.model.name = s)],
    ["display name", (d, s) => (d.contributor = { displayName: s.slice(0, 64) })],
    ["os kernel", (d, s) => (d.system.os.kernel = s)],
  ];
  for (const [cname, s] of nasty) {
    for (const [fname, set] of fields) {
      const d = structuredClone(doc);
      set(d, s);
      cases.push(post("unicode", `${cname} in ${fname}`, JSON.stringify((await signed(d, keys)).body), [400]));
    }
  }

  // 7. Forged and replayed signatures; 8. keys and signatures of the wrong length.
  const flip = (sig: string) => sig.slice(0, 10) + (sig[10] === "A" ? "B" : "A") + sig.slice(11);
  const otherSigned = (await signed(doc, other)).body;
  const tampered = structuredClone(fresh);
  tampered.document.runs[0]!.tests[1]!.samplesNs[0] = fresh.document.runs[0]!.tests[1]!.samplesNs[0]! - 1;
  const forged: [string, unknown, number[]][] = [
    ["signature with one character changed", { ...fresh, signature: flip(fresh.signature) }, [401]],
    ["another key's signature under this key", { ...fresh, signature: otherSigned.signature }, [401]],
    ["this signature under another key", { ...fresh, publicKey: other.publicKeyB64 }, [401]],
    ["another document's signature", { ...fresh, signature: ctx.stored.signature }, [401]],
    ["document changed after signing", tampered, [401]],
    ["all-zero signature", { ...fresh, signature: "A".repeat(86) }, [401]],
    ["all-zero (small-order) public key", { ...fresh, publicKey: "A".repeat(43) }, [401]],
    [
      "non-canonical base64url key (spare bits set)",
      { ...fresh, publicKey: fresh.publicKey.slice(0, 42) + (fresh.publicKey[42] === "B" ? "C" : "B") },
      [401],
    ],
    ["stored document's signature on a replayed body with another key", { ...ctx.stored, publicKey: other.publicKeyB64 }, [401]],
  ];
  for (const [name, body, expect] of forged) cases.push(post("forged-signature", name, JSON.stringify(body), expect));
  const wrongLength: [string, Partial<SignedSubmission>][] = [
    ["empty public key", { publicKey: "" }],
    ["42-character public key", { publicKey: fresh.publicKey.slice(0, 42) }],
    ["44-character public key", { publicKey: `${fresh.publicKey}A` }],
    ["padded public key", { publicKey: `${fresh.publicKey}=` }],
    ["public key in hex", { publicKey: "ab".repeat(32) }],
    ["public key in standard base64 (+/)", { publicKey: `+/${fresh.publicKey.slice(2)}` }],
    ["64-byte public key", { publicKey: encodeBase64Url(new Uint8Array(64)) }],
    ["85-character signature", { signature: fresh.signature.slice(0, 85) }],
    ["87-character signature", { signature: `${fresh.signature}A` }],
    ["padded signature", { signature: `${fresh.signature}==` }],
    ["empty signature", { signature: "" }],
    ["signature as a number", { signature: 1 as unknown as string }],
  ];
  for (const [name, over] of wrongLength) cases.push(post("wrong-length", name, JSON.stringify({ ...fresh, ...over }), [400]));

  // Replays of the stored document must be idempotent: 200, the same id, no second row.
  const reordered = JSON.stringify(
    { publicKey: ctx.stored.publicKey, signature: ctx.stored.signature, document: JSON.parse(canonicalJson(ctx.stored.document)) },
    null,
    2,
  );
  for (let i = 0; i < 3; i++) cases.push(post("replay", `replay #${i + 1} of a stored submission`, validBody, [200]));
  cases.push(post("replay", "replay with reordered keys and whitespace", reordered, [200]));

  // 9. Bad input on the other write paths: withdraw and admin.
  const withdrawPath = `/api/v1/submissions/${ctx.storedId}/withdraw`;
  for (const b of ["", "{", "null", "[]", '{"withdraw":1}'])
    cases.push(post("withdraw", `withdraw body ${JSON.stringify(b)}`, b, [400], withdrawPath));
  const withdraw = { action: "withdraw", id: ctx.storedId, at: new Date().toISOString(), nonce: "corpus-nonce-0123456789" };
  cases.push(
    post(
      "withdraw",
      "withdraw with a forged signature",
      JSON.stringify({ withdraw, signature: ctx.stored.signature, publicKey: keys.publicKeyB64 }),
      [401],
      withdrawPath,
    ),
  );
  cases.push(
    post(
      "withdraw",
      "withdraw with a document's signature replayed as a request",
      JSON.stringify({ withdraw: ctx.stored.document, signature: ctx.stored.signature, publicKey: keys.publicKeyB64 }),
      [400],
      withdrawPath,
    ),
  );
  cases.push(post("admin", "hide without a token", JSON.stringify({ reason: "x" }), [401], `/api/v1/admin/submissions/${ctx.storedId}/hide`));
  cases.push({
    ...post("admin", "hide with a wrong token", JSON.stringify({ reason: "x" }), [401], `/api/v1/admin/submissions/${ctx.storedId}/hide`),
    headers: { authorization: `Bearer ${ctx.adminToken.slice(0, -1)}X` },
  });
  cases.push({
    ...post(
      "admin",
      "revoke with SQL in the key",
      JSON.stringify({ reason: "x" }),
      [400, 404],
      `/api/v1/admin/keys/${encodeURIComponent("' OR 1=1 --")}/revoke`,
    ),
    headers: { authorization: `Bearer ${ctx.adminToken}` },
  });
  cases.push({
    ...post(
      "admin",
      "hide with 100 kB reason",
      JSON.stringify({ reason: "r".repeat(100_000) }),
      [413],
      `/api/v1/admin/submissions/${ctx.storedId}/hide`,
    ),
    headers: { authorization: `Bearer ${ctx.adminToken}` },
  });

  // 10. SQL meta-characters in every query parameter and path segment of every GET endpoint.
  for (const endpoint of GET_ENDPOINTS) {
    for (const payload of endpoint.payloads ?? SQL_PAYLOADS) {
      const admin = "admin" in endpoint;
      cases.push({
        group: "sql-meta",
        name: `${endpoint.path("…")} with ${JSON.stringify(payload.slice(0, 40))}`,
        method: "GET",
        path: endpoint.path(encodeURIComponent(payload)),
        headers: admin ? { authorization: `Bearer ${ctx.adminToken}` } : undefined,
        expect: endpoint.expect,
        emptyList: endpoint.emptyList,
      });
    }
  }
  return cases;
}
