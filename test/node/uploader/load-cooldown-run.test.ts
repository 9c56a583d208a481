/**
 * Model load timings and the cooldown before each test, end to end: the
 * bundled CLI on the tiny model (real inference) with a small suite, its
 * /sys read from a fixture tree holding one thermal zone. The test heats that
 * zone once the run has taken its start-of-run reading and cools it a little
 * after the model has loaded, so the first test must wait for it and the
 * others find the board already cool.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { computeMetrics, type ResultDocument as Doc, ResultDocument } from "@edgebench/contract";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CLI, REPO_ROOT } from "../helpers/models.js";

const SMALL_SUITE = path.join(REPO_ROOT, "test/fixtures/http-runtime/suite-small.json");
// Two context sizes: two runs from one model load, so the first-token time (measured under the first) belongs to one run only.
const FLAGS = ["--suite", SMALL_SUITE, "--backend", "cpu", "--reps", "1", "--threads", "1", "--ctx", "512,1024", "--no-perplexity"];
const COMMON = ["--idle-seconds", "0", "--no-submit", "--json"];

let work: string;
let sysroot: string;
const zoneTemp = () => path.join(sysroot, "sys/class/thermal/thermal_zone0/temp");

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-load-cooldown-"));
  sysroot = path.join(work, "sysroot");
  fs.mkdirSync(path.dirname(zoneTemp()), { recursive: true });
  fs.writeFileSync(path.join(path.dirname(zoneTemp()), "type"), "cpu-thermal\n");
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI with its stderr watched as it comes, so the test can act at a given step of the run. */
function runCli(args: string[], env: NodeJS.ProcessEnv, onStderr: (all: string) => void = () => {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "run", ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, CI: "1", EDGEBENCH_SERVER: "", EDGEBENCH_HOME: path.join(work, "home"), EDGEBENCH_SYSROOT: sysroot, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      onStderr(stderr);
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`edgebench run timed out; stderr:\n${stderr.slice(-3000)}`));
    }, 150_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("edgebench run: load timings and the cooldown before each test (tiny model, real inference)", () => {
  let doc: Doc;
  let stderr: string;

  beforeAll(async () => {
    fs.writeFileSync(zoneTemp(), "40000\n");
    let heated = false;
    let cooling = false;
    const r = await runCli([...FLAGS, "--model", inject("tinyModels").q8_0, "--cooldown", "20", ...COMMON], {}, (all) => {
      // The model line comes after the start-of-run reading and well before the first test.
      if (!heated && /\nmodel edgebench tiny/.test(all)) {
        heated = true;
        fs.writeFileSync(zoneTemp(), "55000\n");
      }
      if (!cooling && all.includes("  loaded ")) {
        cooling = true;
        setTimeout(() => fs.writeFileSync(zoneTemp(), "41000\n"), 1500);
      }
    });
    expect(r.code, r.stderr).toBe(0);
    expect(heated && cooling).toBe(true);
    doc = ResultDocument.parse(JSON.parse(r.stdout));
    stderr = r.stderr;
  }, 160_000);

  it("records the cold and warm load and the first token after load, and the load metrics compute", () => {
    expect(doc.runs.map((r) => [r.status, r.settings.contextSize])).toEqual([
      ["ok", 512],
      ["ok", 1024],
    ]);
    const [first, second] = doc.runs as [Doc["runs"][number], Doc["runs"][number]];
    expect(first.load?.coldMs).toBeGreaterThan(0);
    expect(first.load?.warmMs).toBeGreaterThan(0);
    expect(first.load?.firstTokenMs).toBeGreaterThan(0);
    // One model load serves both context sizes; the first token was timed under the first one only.
    expect(second.load).toEqual({ coldMs: first.load!.coldMs, warmMs: first.load!.warmMs });
    const m = computeMetrics({ run: first, doc });
    expect(m.load_ms?.value).toBe(first.load!.coldMs);
    expect(m.load_first_token_ms?.value).toBe(first.load!.firstTokenMs);
    expect(computeMetrics({ run: second, doc }).load_first_token_ms).toBeUndefined();
    expect(stderr).toMatch(/loaded in cold \d+ ms, warm \d+ ms, first token \d+ ms/);
    // The console table comes from the metric list: the load metrics render as rows beside the others, with their unit.
    expect(stderr).toMatch(/\| load_ms +\| +[\d.]+ \| ms +\|/);
    expect(stderr).toMatch(/\| load_first_token_ms +\| +[\d.]+ \| ms +\|/);
  });

  it("waits before the first test until the zone is back within 2 °C of its start-of-run reading", () => {
    const [firstTest, ...rest] = doc.runs[0]!.tests;
    expect(firstTest!.cooldown).toMatchObject({ reached: true, baselineC: 40, startC: 55, endC: 41 });
    expect(firstTest!.cooldown!.waitedMs).toBeGreaterThanOrEqual(1000);
    expect(firstTest!.cooldown!.waitedMs).toBeLessThan(20_000);
    // The board is cool from then on: every later test records a wait that found it so.
    for (const t of [...rest, ...doc.runs[1]!.tests]) {
      expect(t.cooldown).toMatchObject({ reached: true, startC: 41 });
      expect(t.cooldown!.waitedMs).toBeLessThan(1000);
    }
    expect(stderr).toMatch(/cooled \d+ s before pp64: 55 → 41 °C/);
  });

  it("EDGEBENCH_COOLDOWN=0 turns the waits off: nothing recorded, the rest unchanged", async () => {
    fs.writeFileSync(zoneTemp(), "40000\n");
    const r = await runCli([...FLAGS, "--model", inject("tinyModels").q8_0, ...COMMON], { EDGEBENCH_COOLDOWN: "0" });
    expect(r.code, r.stderr).toBe(0);
    const off = ResultDocument.parse(JSON.parse(r.stdout));
    const tests = off.runs.flatMap((run) => run.tests);
    expect(tests.length).toBeGreaterThan(0);
    for (const t of tests) {
      expect(t.cooldown).toBeUndefined();
      expect(t.thermal?.maxTempC).toBe(40);
    }
    expect(off.runs[0]!.load?.coldMs).toBeGreaterThan(0);
  }, 160_000);

  it("--cooldown takes seconds, auto or 0; anything else is one clear line and exit code 2", async () => {
    const help = await runCli(["--help"], {});
    expect(help.stdout.replace(/\s+/g, " ")).toMatch(/--cooldown <seconds\|auto\|0> .*\(default: auto, env: EDGEBENCH_COOLDOWN\)/);
    for (const bad of ["soon", "-1", "1801"]) {
      const r = await runCli(["--cooldown", bad], {});
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/--cooldown takes seconds from 0 to 1800, or "auto"/);
    }
  });
});
