/**
 * A CLI that never leaves a contributor guessing: each message path through
 * the real bundled CLI, asserted by its one line and its exit code (documented
 * in `edgebench --help`: 2 usage, 3 failed model runs, 4 queued, 5 rejected).
 * Runs are kept short (tiny model, one repetition, no perplexity, accuracy or
 * sustained test); servers are local on 127.0.0.1: a file server, one that
 * accepts and never answers, a closed port, and a fake registry.
 * EDGEBENCH_SYSROOT points at an empty tree, so the board is unknown and no
 * meter is found on any machine the tests run on.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { ResultDocument } from "@edgebench/contract";
import canonicalize from "canonicalize";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { suiteDir } from "../../../uploader/src/suite/index.js";
import { freePort } from "../helpers/local-registry.js";
import { runCli } from "./cli-helpers.js";

const QUICK = ["--backend", "cpu", "--reps", "1", "--warmup", "0", "--threads", "1", "--no-perplexity", "--no-accuracy", "--sustained-seconds", "0"];
const model = () => inject("tinyModels").q8_0;
const NO_STACK = /\n\s+at .*:\d+:\d+/;

let work: string;
let homes = 0;
const servers: http.Server[] = [];

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = path.join(work, `home-${++homes}`);
  return { EDGEBENCH_HOME: home, EDGEBENCH_MODELS: path.join(home, "models"), EDGEBENCH_SYSROOT: path.join(work, "sysroot"), ...extra };
}

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The registry's answer to an upload: 201 with the content id and its API URL, or a 400 refusal. */
function fakeRegistry(mode: "accept" | "reject"): Promise<string> {
  return listen((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const { document } = JSON.parse(body) as { document: unknown };
      const id = createHash("sha256")
        .update((canonicalize as unknown as (v: unknown) => string)(document))
        .digest("hex");
      res.writeHead(mode === "accept" ? 201 : 400, { "content-type": "application/json" });
      res.end(
        JSON.stringify(
          mode === "accept" ? { id, url: `/api/v1/submissions/${id}` } : { error: { code: "created_in_future", message: "the clock is ahead" } },
        ),
      );
    });
  });
}

const pendingIn = (e: NodeJS.ProcessEnv) => {
  const dir = path.join(e.EDGEBENCH_HOME!, "outbox");
  return fs.existsSync(dir) ? fs.readdirSync(dir).flatMap((f) => /^([0-9a-f]{64})\.json$/.exec(f)?.[1] ?? []) : [];
};

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-messages-"));
  fs.mkdirSync(path.join(work, "sysroot"));
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  fs.rmSync(work, { recursive: true, force: true });
});

describe("exit codes", () => {
  it("are listed in --help, the run command's too", async () => {
    for (const args of [["--help"], ["run", "--help"]]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      const help = r.stdout.replace(/\s+/g, " ");
      expect(help).toContain("Exit codes");
      expect(help).toMatch(
        / 2 usage: .* 3 the run finished, but one or more model runs failed .* 4 a result was not delivered .* 5 the registry rejected/,
      );
    }
  });
});

describe("edgebench run without a meter on an unknown board", () => {
  it("takes no idle baseline, says how to name the board, keeps a generated model's result local, and prints a table within 100 columns", async () => {
    const e = env();
    const r = await runCli(["run", "--model", model(), ...QUICK, "--reps", "2", "--idle-seconds", "1"], e);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/measuring idle power/);
    expect(r.stderr).toMatch(
      /^this board was not identified \("unknown board"\): name it with --board-name "Maker Model", or once for every run with `edgebench config set boardName "Maker Model"`$/m,
    );
    expect(r.stderr).toMatch(
      /^not submitted: edgebench tiny q8_0 is a model edgebench generated \(random weights\); --submit-synthetic sends it anyway$/m,
    );
    expect(pendingIn(e)).toEqual([]);
    // The closing table: llama-bench's shape, every line within 100 columns, no exponents, the spread at the value's precision.
    const table = r.stdout.split("\n").filter((l) => l.startsWith("|"));
    expect(table[0]).toMatch(/^\| model +\| quant +\| metric +\| +value \| unit +\|$/);
    expect(table.length).toBeGreaterThan(5);
    for (const line of table) expect(line.length).toBeLessThanOrEqual(100);
    expect(r.stdout).not.toMatch(/\de[-+]?\d/);
    expect(r.stdout).toMatch(/\| tg_tps +\| +\d+\.\d ± \d+\.\d \| tokens\/s +\|/);
    expect(r.stdout).toMatch(/^energy: not measured \(no usable power meter was found/m);
  });

  it("names the board from the config once it is set there", async () => {
    const e = env();
    expect((await runCli(["config", "set", "board-name", "Lab Box 1"], e)).code).toBe(0);
    const r = await runCli(["run", "--model", model(), ...QUICK, "--idle-seconds", "0", "--no-submit", "--json"], e);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`board "Lab Box 1" from edgebench config (--board-name overrides it)`);
    expect(r.stderr).not.toMatch(/this board was not identified/);
    expect(ResultDocument.parse(JSON.parse(r.stdout)).system.board).toEqual({ name: "Lab Box 1", identifiedBy: "declared" });
  });
});

describe("power meters", () => {
  it("with a meter in use: the idle baseline is announced, and tests too short for the meter are named at the end", async () => {
    const r = await runCli(
      ["run", "--model", model(), ...QUICK, "--meter", "cmd:echo 4.5", "--scope", "board-input", "--idle-seconds", "1", "--no-submit"],
      env(),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^measuring idle power for 1 s$/m);
    expect(r.stdout).toMatch(/^energy: cmd \(board-input\)$/m);
    // A 10 Hz meter needs four readings per repetition; the tiny model's ttft takes a few ms.
    expect(r.stdout).toMatch(
      /^edgebench tiny q8_0: energy not measured, tests too short for the meter: .*\bttft\b.* \(\S+: repetition 1 \(\d+ ms\) holds \d reading/m,
    );
  });

  it("a --meter that cannot be opened stops the run before anything is measured; --allow-no-meter goes on without it", async () => {
    const port = await freePort();
    const stopped = await runCli(["run", "--model", model(), ...QUICK, "--meter", `shelly:127.0.0.1:${port}`, "--no-submit"], env());
    expect(stopped.code).toBe(2);
    expect(stopped.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stopped.stderr).toMatch(
      new RegExp(
        `^edgebench: --meter shelly:127\\.0\\.0\\.1:${port} could not be opened: .+; nothing was measured \\(--allow-no-meter runs without it\\)$`,
        "m",
      ),
    );
    expect(stopped.stdout).toBe("");

    const allowed = await runCli(
      [
        "run",
        "--model",
        model(),
        ...QUICK,
        "--meter",
        `shelly:127.0.0.1:${port}`,
        "--allow-no-meter",
        "--idle-seconds",
        "1",
        "--no-submit",
        "--json",
      ],
      env(),
    );
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stderr).toMatch(/^warning: --meter shelly:127\.0\.0\.1:\d+ could not be opened: .*going on without it \(--allow-no-meter\)/m);
    expect(allowed.stderr).not.toMatch(/measuring idle power/);
    const doc = ResultDocument.parse(JSON.parse(allowed.stdout));
    expect(doc.power.meters).toEqual([]);
    expect(doc.power.note).toMatch(/not measured/i);
    for (const t of doc.runs[0]!.tests) expect(t.energy).toBeUndefined();
  });
});

describe("model downloads", () => {
  let files: string;
  beforeAll(async () => {
    const bytes = fs.readFileSync(model());
    files = await listen((req, res) => {
      if (req.url?.startsWith("/stall/")) return; // accepts the connection, never answers
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(bytes.length) });
      res.end(req.method === "HEAD" ? undefined : bytes);
    });
  });

  it("shows progress as plain lines off a terminal, then runs the model", async () => {
    const url = `${files}/models/tiny-q8_0.gguf`;
    const r = await runCli(["run", "--model", url, ...QUICK, "--idle-seconds", "0", "--no-submit"], env());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`downloading ${url}: 100 %`);
  });

  it("a host that refuses the connection: one line naming it, within seconds, a failed run (exit code 3)", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/tiny.gguf`;
    const t0 = performance.now();
    const r = await runCli(["run", "--model", url, ...QUICK, "--idle-seconds", "0", "--no-submit"], env());
    expect(performance.now() - t0).toBeLessThan(30_000);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^✗ ${url}: cannot download ${url}: cannot reach 127\\.0\\.0\\.1:${port} \\(connection refused\\)$`, "m"));
    expect(r.stderr).toMatch(/^1 run\(s\) failed$/m);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it("a download that stalls fails after the stall timeout with one line (exit code 3)", async () => {
    const url = `${files}/stall/tiny.gguf`;
    const t0 = performance.now();
    const r = await runCli(["run", "--model", url, ...QUICK, "--idle-seconds", "0", "--no-submit", "--download-stall", "2"], env());
    expect(performance.now() - t0).toBeLessThan(40_000);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/^✗ \S+: cannot download \S+: no data from 127\.0\.0\.1:\d+ for 2 s \(stalled; --download-stall sets the limit\)$/m);
  });
});

describe("errors name what is wrong in one line", () => {
  it("a suite file: its path and the field (exit code 2)", async () => {
    const def = JSON.parse(fs.readFileSync(path.join(suiteDir(), "edge-llm-v1.json"), "utf8"));
    def.tests[1].nGen = -5;
    const file = path.join(work, "bad-suite.json");
    fs.writeFileSync(file, JSON.stringify(def));
    const r = await runCli(["run", "--suite", file, "--model", model(), "--no-submit"], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^edgebench: suite file ${file.replace(/[.\\/]/g, "\\$&")}: field tests\\.1\\.nGen: .+\n$`));

    const broken = path.join(work, "broken-suite.json");
    fs.writeFileSync(broken, '{"id": "x",');
    const r2 = await runCli(["run", "--suite", broken, "--no-submit"], env());
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/^edgebench: suite file \S+broken-suite\.json is not valid JSON: .+\n$/);
  });

  it("a corrupt GGUF: not a valid GGUF file or truncated, not the parser's out-of-range size (exit code 3)", async () => {
    const file = path.join(work, "corrupt.gguf");
    // The magic and version, then counts no file can hold.
    fs.writeFileSync(file, Buffer.concat([Buffer.from("GGUF"), Buffer.from([3, 0, 0, 0]), Buffer.alloc(128, 0xff)]));
    const r = await runCli(["run", "--model", file, ...QUICK, "--idle-seconds", "0", "--no-submit"], env());
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(
      /^✗ \S+corrupt\.gguf: not a valid GGUF file or truncated: \S+ starts with "GGUF" but its header holds impossible values/m,
    );
    expect(r.stderr).not.toMatch(/out of range/);
  });
});

describe("submitting", () => {
  it("after a submit, the result's page: /results/ID on the registry", async () => {
    const registry = await fakeRegistry("accept");
    const r = await runCli(["run", "--model", model(), ...QUICK, "--idle-seconds", "0", "--submit-synthetic", "--server", registry], env());
    expect(r.code, r.stderr).toBe(0);
    const [, id] = r.stderr.match(/^submitted ([0-9a-f]{64})$/m)!;
    expect(r.stderr).toContain(`  result: ${registry}/results/${id}\n`);
    expect(r.stderr).toContain(`  JSON:   ${registry}/api/v1/submissions/${id}\n`);
  });

  it("refused by the registry: exit code 5", async () => {
    const registry = await fakeRegistry("reject");
    const r = await runCli(["run", "--model", model(), ...QUICK, "--idle-seconds", "0", "--submit-synthetic", "--server", registry], env());
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toMatch(/^the registry rejected [0-9a-f]{64} \(see the outbox's rejected\/ folder\)$/m);
  });

  it("a registry out of reach: cannot reach HOST:PORT (connection refused), queued, exit code 4; delivered later with its page", async () => {
    const e = env();
    const queued = await runCli(["run", "--model", model(), ...QUICK, "--idle-seconds", "0", "--submit-synthetic", "--offline"], e);
    expect(queued.code, queued.stderr).toBe(0);
    const [id] = pendingIn(e);
    expect(queued.stderr).toContain(`signed and queued ${id}`);

    const port = await freePort();
    const down = await runCli(["submit", "--server", `http://127.0.0.1:${port}`, "--attempts", "1"], e);
    expect(down.code).toBe(4);
    expect(down.stdout).toBe(`queued    ${id}  (cannot reach 127.0.0.1:${port} (connection refused))\n`);
    expect(down.stderr).toContain(`stays queued after 1 attempt(s): cannot reach 127.0.0.1:${port} (connection refused)`);
    expect(pendingIn(e)).toEqual([id]);

    const registry = await fakeRegistry("accept");
    const up = await runCli(["submit", "--server", registry], e);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toBe(`sent      ${id}  ${registry}/results/${id}\n`);
  });
});
