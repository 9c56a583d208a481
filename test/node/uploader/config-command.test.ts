/**
 * `edgebench config` through the bundled CLI with a temp EDGEBENCH_HOME: values
 * go into a real config.json and come back out, bad ones are refused with the
 * file untouched, and the stored envelope is what `run` (both runtimes),
 * `import` and `detect` declare unless --envelope says otherwise. The runs here
 * need no inference: a missing model file and an unreachable server still
 * produce a document with the system in it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type ResultDocument as Doc, ResultDocument, System } from "@edgebench/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfigValue, listConfig, setConfigValue, unsetConfigValue } from "../../../uploader/src/cli/commands/config.js";
import { readUserConfig, resolveEnvelope } from "../../../uploader/src/identity/index.js";
import { Outbox } from "../../../uploader/src/outbox/index.js";
import { REPO_ROOT } from "../helpers/models.js";
import { runCli } from "./cli-helpers.js";

const FIXTURE = path.join(REPO_ROOT, "test/fixtures/llama-bench/pi5-qwen2.5-0.5b-q4_k_m.json");
const FROM_CONFIG = { widthMm: 85, depthMm: 56, heightMm: 25, source: "declared", note: "declared in edgebench config" };
const FROM_FLAG = { widthMm: 90, depthMm: 60, heightMm: 30, source: "declared", note: "declared with --envelope" };

let work: string;
let homes = 0;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-config-"));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A fresh edgebench home (not created: the CLI makes it when it first writes). */
function newHome(): { home: string; file: string; env: NodeJS.ProcessEnv } {
  const home = path.join(work, `home-${++homes}`);
  return { home, file: path.join(home, "config.json"), env: { EDGEBENCH_HOME: home } };
}

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, "utf8"));

/** One line on stderr, prefixed the way every edgebench error is, and exit code 2. */
function expectRefused(r: { code: number | null; stderr: string }, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe("edgebench config set/get/unset/list", () => {
  it("round-trips every key through config.json, and list says where each value comes from", async () => {
    const { file, env } = newHome();
    const fresh = await runCli(["config", "list"], env);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).toBe(
      "displayName  (not set)\nserver       https://edgebench.dev  (default)\nenvelope     (not set)\nboardName    (not set)\n",
    );
    expect(fs.existsSync(file)).toBe(false); // reading never writes

    const set = await runCli(["config", "set", "envelope", "85x56x25"], env);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toContain(`envelope = 85x56x25 (${file})`);
    expect(readJson(file)).toEqual({ envelope: { widthMm: 85, depthMm: 56, heightMm: 25 } });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const get = await runCli(["config", "get", "envelope"], env);
    expect([get.code, get.stdout]).toEqual([0, "85x56x25\n"]);

    // The other keys live in the same file; values are normalised as whoami always did.
    expect((await runCli(["config", "set", "displayName", "  Pi Lab 3 "], env)).code).toBe(0);
    expect((await runCli(["config", "set", "server", "http://127.0.0.1:8787/"], env)).code).toBe(0);
    expect(readJson(file)).toEqual({
      envelope: { widthMm: 85, depthMm: 56, heightMm: 25 },
      displayName: "Pi Lab 3",
      server: "http://127.0.0.1:8787",
    });
    expect((await runCli(["config", "get", "DisplayName"], env)).stdout).toBe("Pi Lab 3\n"); // keys in any case
    expect((await runCli(["config", "get", "server"], env)).stdout).toBe("http://127.0.0.1:8787\n");

    const list = await runCli(["config", "list"], env);
    expect(list.stdout).toBe(
      "displayName  Pi Lab 3               (config.json)\nserver       http://127.0.0.1:8787  (config.json)\nenvelope     85x56x25               (config.json)\nboardName    (not set)\n",
    );
    const json = await runCli(["config", "list", "--json"], env);
    expect(JSON.parse(json.stdout)).toEqual([
      { key: "displayName", value: "Pi Lab 3", source: "config.json" },
      { key: "server", value: "http://127.0.0.1:8787", source: "config.json" },
      { key: "envelope", value: "85x56x25", source: "config.json" },
      { key: "boardName", value: null, source: null },
    ]);

    // The same text --envelope takes: spaces, a unit, decimals.
    expect((await runCli(["config", "set", "envelope", "85.5 x 56 x 25 mm"], env)).code).toBe(0);
    expect((readJson(file) as { envelope: unknown }).envelope).toEqual({ widthMm: 85.5, depthMm: 56, heightMm: 25 });

    const unset = await runCli(["config", "unset", "envelope"], env);
    expect(unset.code, unset.stderr).toBe(0);
    expect(unset.stderr).toContain(`envelope removed from ${file}`);
    expect(readJson(file)).toEqual({ displayName: "Pi Lab 3", server: "http://127.0.0.1:8787" });
    const gone = await runCli(["config", "get", "envelope"], env);
    expect([gone.code, gone.stdout]).toEqual([1, ""]);
    expect(gone.stderr).toMatch(/envelope is not set \(edgebench config set envelope WxDxH\)/);
    const before = fs.readFileSync(file, "utf8");
    const again = await runCli(["config", "unset", "envelope"], env);
    expect([again.code, again.stderr]).toEqual([0, "envelope was not set\n"]);
    expect(fs.readFileSync(file, "utf8")).toBe(before);

    // Without a stored server, list shows the one commands would use and why.
    expect((await runCli(["config", "unset", "server"], env)).code).toBe(0);
    const fromEnv = await runCli(["config", "list", "--json"], { ...env, EDGEBENCH_SERVER: "http://127.0.0.1:9999" });
    expect(JSON.parse(fromEnv.stdout)).toContainEqual({ key: "server", value: "http://127.0.0.1:9999", source: "EDGEBENCH_SERVER" });
    expect(readJson(file)).toEqual({ displayName: "Pi Lab 3" });
  });

  it("refuses unknown keys and bad values with one line and exit code 2, writing nothing", async () => {
    const { file, env } = newHome();
    // Nothing there yet: a refused value does not even create the file.
    expectRefused(
      await runCli(["config", "set", "envelope", "85x56"], env),
      /^edgebench: envelope takes WxDxH in millimetres, e.g. 85x56x20, got "85x56"$/m,
    );
    expect(fs.existsSync(file)).toBe(false);

    expect((await runCli(["config", "set", "envelope", "85x56x25"], env)).code).toBe(0);
    expect((await runCli(["config", "set", "displayName", "Pi Lab 3"], env)).code).toBe(0);
    const before = fs.readFileSync(file, "utf8");
    const cases: Array<[string[], RegExp]> = [
      [["set", "colour", "red"], /unknown config key "colour"; the keys are displayName, server, envelope/],
      [["get", "colour"], /unknown config key "colour"/],
      [["unset", "colour"], /unknown config key "colour"/],
      [["set", "envelope", "0x56x25"], /envelope takes WxDxH in millimetres/],
      [["set", "envelope", "85x56x10001"], /envelope takes WxDxH in millimetres/], // the contract's 10 m limit
      [["set", "envelope", "85x56x25x3"], /envelope takes WxDxH in millimetres/],
      [["set", "envelope", "small"], /envelope takes WxDxH in millimetres/],
      [["set", "server", "ftp://example"], /server: registry URL must be http or https/],
      [["set", "server", "not a url"], /server: not a URL/],
      [["set", "displayName", "   "], /displayName takes 1 to 64 characters/],
      [["set", "displayName", "x".repeat(65)], /displayName takes 1 to 64 characters, got 65/],
      [["set", "envelope"], /missing required argument 'value'/],
      [["set", "envelope", "85", "56", "25"], /too many arguments/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(["config", ...args], env);
      expectRefused(r, message);
      expect(fs.readFileSync(file, "utf8"), args.join(" ")).toBe(before);
    }
    // Same parser and limits as the flag: only the name in the message differs.
    const flag = await runCli(["import", FIXTURE, "--envelope", "85x56x10001"], env);
    expectRefused(flag, /--envelope takes WxDxH in millimetres, e.g. 85x56x20, got "85x56x10001"/);
  });

  it("a hand-edited config.json is checked on read: a bad envelope stops every command that reads it, naming the field", async () => {
    const { file, env } = newHome();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const bad = JSON.stringify({ displayName: "Pi Lab 3", envelope: { widthMm: 85, depthMm: 56, heightMm: -1 } });
    fs.writeFileSync(file, bad);
    for (const args of [
      ["config", "list"],
      ["config", "get", "envelope"],
      ["config", "set", "displayName", "Other"],
      ["config", "unset", "envelope"],
      ["import", FIXTURE],
      ["detect", "--no-llama"],
      ["run", "--model", path.join(work, "missing.gguf"), "--no-submit"],
    ]) {
      const r = await runCli(args, env);
      expectRefused(r, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: envelope\\.heightMm: Too small`));
      expect(fs.readFileSync(file, "utf8"), args.join(" ")).toBe(bad);
    }
    // The contract's fields and nothing else: a stray key is refused, so is another shape.
    fs.writeFileSync(file, JSON.stringify({ envelope: { widthMm: 85, depthMm: 56, heightMm: 25, colour: "red" } }));
    expectRefused(await runCli(["config", "get", "envelope"], env), /config\.json: envelope: Unrecognized key: "colour"/);
    fs.writeFileSync(file, JSON.stringify({ envelope: "85x56x25" }));
    expectRefused(await runCli(["config", "get", "envelope"], env), /config\.json: envelope: Invalid input: expected object/);
    fs.writeFileSync(file, "{ not json");
    expectRefused(await runCli(["config", "list"], env), /config\.json is not valid JSON .*; fix or remove it/);
    // With --envelope the file is not consulted for the envelope, so an import without delivery still works.
    fs.writeFileSync(file, bad);
    const flagged = await runCli(["import", FIXTURE, "--json", "--envelope", "90x60x30"], env);
    expect(flagged.code, flagged.stderr).toBe(0);
    expect(ResultDocument.parse(JSON.parse(flagged.stdout)).system.envelope).toEqual(FROM_FLAG);
  });

  it("whoami --set-name / --set-server write the same keys config reads", async () => {
    const { file, env } = newHome();
    const who = await runCli(["whoami", "--set-name", " Pi Lab 3 ", "--set-server", "http://127.0.0.1:8787/", "--json"], env);
    expect(who.code, who.stderr).toBe(0);
    expect(readJson(file)).toEqual({ displayName: "Pi Lab 3", server: "http://127.0.0.1:8787" });
    expect((await runCli(["config", "get", "displayName"], env)).stdout).toBe("Pi Lab 3\n");
    expect((await runCli(["config", "set", "server", "https://example.org"], env)).code).toBe(0);
    expect(JSON.parse((await runCli(["whoami", "--json"], env)).stdout)).toMatchObject({
      displayName: "Pi Lab 3",
      server: "https://example.org",
      serverSource: "config.json",
    });
    expectRefused(await runCli(["whoami", "--set-name", "x".repeat(65)], env), /1 to 64 characters/);
    expect((await runCli(["whoami", "--clear-name", "--clear-server"], env)).code).toBe(0);
    expect(readJson(file)).toEqual({});
  });
});

describe("the configured envelope in documents: --envelope wins, the note says which", () => {
  function configured(): { file: string; env: NodeJS.ProcessEnv } {
    const h = newHome();
    fs.mkdirSync(h.home, { recursive: true });
    fs.writeFileSync(h.file, JSON.stringify({ envelope: { widthMm: 85, depthMm: 56, heightMm: 25 } }));
    return h;
  }
  const envelopeOf = (stdout: string): unknown => ResultDocument.parse(JSON.parse(stdout)).system.envelope;

  it("import: config's envelope without a flag, the flag's with one, none with neither", async () => {
    const { env } = configured();
    const fromConfig = await runCli(["import", FIXTURE, "--json"], env);
    expect(fromConfig.code, fromConfig.stderr).toBe(0);
    expect(envelopeOf(fromConfig.stdout)).toEqual(FROM_CONFIG);
    expect(fromConfig.stderr).toMatch(/envelope 85x56x25 mm from edgebench config \(--envelope overrides it\)/);

    const fromFlag = await runCli(["import", FIXTURE, "--json", "--envelope", "90x60x30"], env);
    expect(fromFlag.code, fromFlag.stderr).toBe(0);
    expect(envelopeOf(fromFlag.stdout)).toEqual(FROM_FLAG);
    expect(fromFlag.stderr).not.toMatch(/from edgebench config/);

    const none = await runCli(["import", FIXTURE, "--json"], newHome().env);
    expect(none.code, none.stderr).toBe(0);
    expect(envelopeOf(none.stdout)).toBeUndefined();
  });

  it("import --offline: the signed, queued document carries it; --out writes the same", async () => {
    const { env } = configured();
    const out = path.join(work, "imported.json");
    const r = await runCli(["import", FIXTURE, "--offline", "--out", out], env);
    expect(r.code, r.stderr).toBe(0);
    const { items } = await new Outbox(env.EDGEBENCH_HOME!).readPending();
    expect(items).toHaveLength(1);
    expect(ResultDocument.parse(items[0]!.submission.document).system.envelope).toEqual(FROM_CONFIG);
    expect(ResultDocument.parse(readJson(out)).system.envelope).toEqual(FROM_CONFIG);
  });

  it("run (node-llama-cpp and --runtime): config's envelope, or the flag's", async () => {
    const { env } = configured();
    const missing = path.join(work, "missing.gguf");
    const base = ["--reps", "1", "--no-perplexity", "--idle-seconds", "0", "--no-submit", "--json"];
    const parse = (r: { code: number | null; stdout: string; stderr: string }): Doc => {
      expect(r.code, r.stderr).toBe(3); // the one model run failed; the document is still complete
      return ResultDocument.parse(JSON.parse(r.stdout));
    };

    const local = parse(await runCli(["run", "--model", missing, "--backend", "cpu", "--threads", "1", ...base], env));
    expect(local.runs[0]!.error).toMatch(/model file not found/);
    expect(local.system.envelope).toEqual(FROM_CONFIG);
    const localFlag = parse(await runCli(["run", "--model", missing, "--backend", "cpu", "--threads", "1", "--envelope", "90x60x30", ...base], env));
    expect(localFlag.system.envelope).toEqual(FROM_FLAG);

    // The HTTP runtime path builds its own options from the run's: the envelope goes through it too (port 9: refused, no network).
    const httpArgs = ["run", "--runtime", "openai:http://127.0.0.1:9", "--model", "qwen", ...base];
    const http = parse(await runCli(httpArgs, env));
    expect(http.runtime.name).not.toBe("node-llama-cpp");
    expect(http.system.envelope).toEqual(FROM_CONFIG);
    expect(parse(await runCli([...httpArgs, "--envelope", "90x60x30"], env)).system.envelope).toEqual(FROM_FLAG);
  });

  it("detect shows the envelope a run would declare, and where it comes from", async () => {
    const sysroot = { EDGEBENCH_SYSROOT: path.join(REPO_ROOT, "test/fixtures/sysfs/jetson-orin-nano") };
    const { env } = configured();
    const text = await runCli(["detect", "--no-llama"], { ...env, ...sysroot });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^envelope {5}85x56x25 mm {2}\[declared in edgebench config; --envelope on run\/import overrides it\]$/m);
    const json = await runCli(["detect", "--no-llama", "--json"], { ...env, ...sysroot });
    expect(System.parse((JSON.parse(json.stdout) as { system: unknown }).system).envelope).toEqual(FROM_CONFIG);

    const none = await runCli(["detect", "--no-llama"], { ...newHome().env, ...sysroot });
    expect(none.stdout).toMatch(/^envelope {5}not declared \(edgebench config set envelope WxDxH, or --envelope on run\/import\)$/m);
  });
});

describe("the plain functions behind the command (no commander)", () => {
  it("set, get, unset and list over one config.json; nothing written on a bad value", async () => {
    const { home, file } = newHome();
    const config = { home, serverFromEnv: undefined };
    await expect(setConfigValue(home, "envelope", "85x56")).rejects.toThrow(/envelope takes WxDxH/);
    await expect(setConfigValue(home, "size", "85x56x25")).rejects.toThrow(/unknown config key "size"/);
    expect(fs.existsSync(file)).toBe(false);

    expect(await setConfigValue(home, "envelope", "85x56x25")).toEqual({ key: "envelope", value: "85x56x25", source: "config.json" });
    expect(await readUserConfig(home)).toEqual({ envelope: { widthMm: 85, depthMm: 56, heightMm: 25 } });
    expect(await getConfigValue(config, "envelope")).toEqual({ key: "envelope", value: "85x56x25", source: "config.json" });
    expect(await listConfig({ home, serverFromEnv: "http://127.0.0.1:1" })).toEqual([
      { key: "displayName", value: null, source: null },
      { key: "server", value: "http://127.0.0.1:1", source: "EDGEBENCH_SERVER" },
      { key: "envelope", value: "85x56x25", source: "config.json" },
      { key: "boardName", value: null, source: null },
    ]);
    expect(await unsetConfigValue(home, "envelope")).toBe(true);
    expect(await unsetConfigValue(home, "envelope")).toBe(false);
    expect(readJson(file)).toEqual({});
  });

  it("resolveEnvelope: the flag wins (keeping a note it already has), then config.json, else none", () => {
    const flag = { widthMm: 90, depthMm: 60, heightMm: 30, source: "declared" as const };
    const user = { envelope: { widthMm: 85, depthMm: 56, heightMm: 25 } };
    expect(resolveEnvelope(flag, user)).toEqual({ envelope: FROM_FLAG, source: "flag" });
    expect(resolveEnvelope({ ...flag, note: "measured with calipers" }, user).envelope?.note).toBe("measured with calipers");
    expect(resolveEnvelope(undefined, user)).toEqual({ envelope: FROM_CONFIG, source: "config.json" });
    expect(resolveEnvelope(undefined, {})).toEqual({});
  });
});
