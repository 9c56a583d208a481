/**
 * The README's "API consumers" curl lines, run as written (no --compressed) with the curl binary against a real
 * `wrangler dev` holding signed submissions: every body must arrive as plain JSON or CSV, never as gzip bytes.
 * curl sends no Accept-Encoding unless asked, and a client that sends none must get an unencoded body; one that
 * sends `Accept-Encoding: gzip` still gets the read cache's stored gzip bytes (workers/cache/read-cache.ts).
 *
 * The lines are parsed out of README.md itself, so a change to their shape (a new placeholder, another tool, an
 * option this parser does not know) fails here instead of leaving the test checking lines nobody reads.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Seeded, seedSite } from "../browser/seed.js";
import { type LocalRegistry, REPO_ROOT, startLocalRegistry } from "../helpers/local-registry.js";

const run = promisify(execFile);

/** One curl line of the README block: its arguments after $BASE expansion and placeholder substitution. */
interface CurlLine {
  source: string;
  args: string[];
  /** The file named by -o, when the line writes one. */
  outFile: string | null;
  url: URL;
}

/** The README block's lines: `BASE=…` first, then one `curl …` per line, `# …` comments allowed. */
function readmeBlock(readme: string): string[] {
  const section = readme.split(/^## API consumers$/m)[1];
  if (section === undefined) throw new Error('README.md has no "## API consumers" section');
  const block = /^```sh\n([\s\S]*?)^```$/m.exec(section.split(/^## /m)[0]!);
  if (!block) throw new Error('README.md\'s "API consumers" section has no ```sh block');
  return block[1]!.split("\n").filter((l) => l.trim() !== "");
}

/** Splits a shell line into words: double-quoted strings, bare words, a trailing comment. No other shell syntax. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /\s*(?:"([^"\\$`]*(?:\$\{?BASE\}?[^"\\$`]*)*)"|(#.*$)|([^\s"'#;&|<>`\\]+))/y;
  let at = 0;
  while (at < line.trimEnd().length) {
    const m = re.exec(line);
    if (m === null) break;
    at = re.lastIndex;
    if (m[2] !== undefined) break; // a comment
    words.push(m[1] ?? m[3]!);
  }
  if (at < line.trimEnd().length) throw new Error(`README curl line has syntax this test does not parse: ${line}`);
  return words;
}

/**
 * The README lines as curl invocations. `placeholders` maps each placeholder the README uses (as it appears in a
 * URL) to a real value; an upper-case word in a URL that is not one of them is a placeholder this test cannot fill.
 */
function readmeCurlLines(readme: string, base: string, placeholders: Record<string, string>): CurlLine[] {
  const [first, ...rest] = readmeBlock(readme);
  expect(first, "the block starts by setting BASE").toMatch(/^BASE=\S+$/);
  return rest.map((source) => {
    const words = shellWords(source);
    expect(words[0], source).toBe("curl");
    let outFile: string | null = null;
    let url: string | null = null;
    for (let i = 1; i < words.length; i++) {
      const w = words[i]!;
      if (w === "-o") outFile = words[++i] ?? null;
      else if (w.startsWith("-")) throw new Error(`README curl line uses an option this test does not expect (${w}): ${source}`);
      else if (url === null) url = w;
      else throw new Error(`README curl line has a second URL: ${source}`);
    }
    expect(url, source).toMatch(/^\$\{?BASE\}?\/api\/v1\//);
    let expanded = url!.replace(/^\$\{?BASE\}?/, "");
    const known = new Set(Object.keys(placeholders).flatMap((k) => k.split(",")));
    const unknown = (expanded.match(/\b[A-Z][A-Z0-9_]*\b/g) ?? []).filter((w) => !known.has(w));
    expect(unknown, `placeholder(s) this test cannot fill in: ${source}`).toEqual([]);
    for (const [name, value] of Object.entries(placeholders)) expanded = expanded.split(name).join(value);
    expanded = base + expanded;
    const args = words.slice(1).map((w) => (w === url ? expanded : w));
    return { source, args, outFile, url: new URL(expanded) };
  });
}

const isGzip = (b: Buffer) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

let registry: LocalRegistry;
let seeded: Seeded;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "edgebench-plain-http-"));
  registry = await startLocalRegistry();
  seeded = await seedSite(registry.url);
}, 180_000);

afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Real values for the README's placeholders, read from the seeded registry. */
async function placeholderValues(): Promise<Record<string, string>> {
  const json = async <T>(p: string): Promise<{ body: T; res: Response }> => {
    const res = await fetch(new URL(p, registry.url));
    expect(res.status, p).toBe(200);
    return { body: (await res.json()) as T, res };
  };
  type Page = { rows: { boardId: string }[]; nextCursor: string | null };
  const energy = await json<Page>("/api/v1/leaderboard?sort=tokens_per_j&limit=1");
  const firstTwo = await json<Page>("/api/v1/leaderboard?sort=tg_tps&limit=2");
  const cfgIds = [...new Set(seeded.cfg.values())];
  const submissionId = [...seeded.subs.values()].flat()[0];
  expect(energy.body.rows.length).toBe(1);
  expect(firstTwo.body.nextCursor).toBeTruthy();
  expect(cfgIds.length).toBeGreaterThanOrEqual(2);
  expect(submissionId).toBeTruthy();
  return {
    BOARD_ID: energy.body.rows[0]!.boardId,
    CURSOR: firstTwo.body.nextCursor!,
    "ID1,ID2": `${cfgIds[0]},${cfgIds[1]}`,
    SUBMISSION_ID: submissionId!,
  };
}

describe("the README's curl lines without --compressed", () => {
  it("print plain JSON and CSV bodies, never gzip bytes, on a miss and on a hit", async () => {
    const readme = await readFile(path.join(REPO_ROOT, "README.md"), "utf8");
    const lines = readmeCurlLines(readme, registry.url, await placeholderValues());
    expect(lines.some((l) => l.outFile !== null)).toBe(true);
    expect(lines.some((l) => l.outFile === null)).toBe(true);

    // Twice: the first answer of a cached path is the miss that fills the cache, the second a hit from it.
    for (const round of ["miss", "hit"]) {
      for (const line of lines) {
        const what = `${round}: ${line.source}`;
        const { stdout } = await run("curl", line.args, { cwd: work, encoding: "buffer", maxBuffer: 16 * 1024 * 1024 });
        const body = line.outFile ? await readFile(path.join(work, line.outFile)) : stdout;
        expect(body.length, what).toBeGreaterThan(0);
        expect(isGzip(body), what).toBe(false);
        const text = body.toString("utf8");
        if (line.url.searchParams.get("format") === "csv" || line.url.pathname.endsWith(".csv")) {
          const [header, ...rows] = text.trimEnd().split("\n");
          expect(header, what).toMatch(line.url.pathname.endsWith(".csv") ? /^submission_id,/ : /^configuration_id,suite_id,/);
          expect(rows.length, what).toBeGreaterThan(0);
        } else if (line.url.pathname === "/api/v1/export") {
          // NDJSON: one signed result per line.
          const results = text
            .trimEnd()
            .split("\n")
            .map((l) => JSON.parse(l) as Record<string, unknown>);
          expect(results.length, what).toBeGreaterThan(0);
          for (const r of results) expect(r, what).toHaveProperty("signature");
        } else {
          const json = JSON.parse(text) as Record<string, unknown>;
          expect(json, what).not.toHaveProperty("error");
        }
      }
    }
  });

  it("still give gzip to a client that asks for it, and plain to one that asks for identity", async () => {
    const readme = await readFile(path.join(REPO_ROOT, "README.md"), "utf8");
    const lines = readmeCurlLines(readme, registry.url, await placeholderValues());
    const url = lines.find((l) => l.url.pathname === "/api/v1/leaderboard" && !l.outFile)!.url.href;
    const fetchWith = async (name: string, extra: string[]) => {
      const headers = path.join(work, `${name}.headers`);
      const body = path.join(work, `${name}.body`);
      await run("curl", ["-sS", "-D", headers, "-o", body, ...extra, url]);
      return { headers: (await readFile(headers, "utf8")).toLowerCase(), body: await readFile(body) };
    };
    const plain = await fetchWith("plain", []);
    expect(plain.headers).not.toMatch(/^content-encoding:/m);
    const expected = JSON.parse(plain.body.toString("utf8")) as unknown;

    const gz = await fetchWith("gzip", ["-H", "Accept-Encoding: gzip"]);
    expect(gz.headers).toMatch(/^content-encoding: gzip\r?$/m);
    expect(gz.headers).toMatch(/^vary: .*accept-encoding/m);
    expect(isGzip(gz.body)).toBe(true);
    expect(JSON.parse(gunzipSync(gz.body).toString("utf8"))).toEqual(expected);

    const identity = await fetchWith("identity", ["-H", "Accept-Encoding: identity"]);
    expect(identity.headers).not.toMatch(/^content-encoding:/m);
    expect(JSON.parse(identity.body.toString("utf8"))).toEqual(expected);
  });
});
