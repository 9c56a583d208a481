/**
 * The whole system's CPU and memory share during a test
 * (uploader/src/runner/system-load.ts), read from a fixture /proc tree
 * (EDGEBENCH_SYSROOT's sysRoot), and the pieces of the concurrent test that
 * need no model: the suite's concurrent levels and the prompt phase's batches.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SERVING_GEN_TOKENS, SERVING_LEVELS, SERVING_PROMPT_TOKENS, SERVING_SLO } from "@edgebench/contract";
import type { Token } from "node-llama-cpp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { promptBatches } from "../../../uploader/src/runner/concurrent.js";
import { readCpuTimes, readMemUsedPct, SystemLoad } from "../../../uploader/src/runner/system-load.js";
import { loadSuite } from "../../../uploader/src/suite/index.js";
import { SuiteTest } from "../../../uploader/src/suite/schema.js";

let root: string;
const config = () => ({ sysRoot: root });
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
};
/** A /proc/stat aggregate line: user nice system idle iowait irq softirq steal guest guest_nice, then a per-CPU line. */
const stat = (f: number[]) => `cpu  ${f.join(" ")}\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 12345\n`;
const meminfo = (totalKb: number, availableKb: number) =>
  `MemTotal:       ${totalKb} kB\nMemFree:          100000 kB\nMemAvailable:   ${availableKb} kB\nBuffers:           1000 kB\n`;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-sysload-"));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("system CPU and memory share from /proc", () => {
  it("CPU busy share: (total - idle - iowait) / total over the test, guest time not counted twice", () => {
    write("/proc/stat", stat([1000, 0, 500, 8000, 500, 0, 0, 0, 300, 0]));
    expect(readCpuTimes(config())).toEqual({ busy: 1500, total: 10000 });
    const load = new SystemLoad(config(), 60_000);
    load.start();
    // +300 user, +100 system, +500 idle, +100 iowait (guest +50 is inside user already): 400 busy of 1000.
    write("/proc/stat", stat([1300, 0, 600, 8500, 600, 0, 0, 0, 350, 0]));
    write("/proc/meminfo", meminfo(4_000_000, 1_000_000));
    expect(load.stop()).toEqual({ systemCpuPct: 40, memUsedPct: 75 });
  });

  it("memory in use: the peak of the periodic reads, not the last", async () => {
    write("/proc/meminfo", meminfo(2_000_000, 1_500_000));
    const load = new SystemLoad(config(), 10);
    load.start();
    write("/proc/meminfo", meminfo(2_000_000, 200_000));
    await new Promise((r) => setTimeout(r, 80));
    write("/proc/meminfo", meminfo(2_000_000, 1_000_000));
    // No /proc/stat: the CPU share is absent, not zero.
    expect(load.stop()).toEqual({ memUsedPct: 90 });
  });

  it("nothing readable: no figures at all; MemAvailable missing (old kernels): no memory figure", () => {
    const load = new SystemLoad(config());
    load.start();
    expect(load.stop()).toBeUndefined();
    expect(load.stop()).toBeUndefined();
    write("/proc/meminfo", "MemTotal: 1000 kB\nMemFree: 10 kB\n");
    expect(readMemUsedPct(config())).toBeUndefined();
    write("/proc/stat", "intr 1 2 3\n");
    expect(readCpuTimes(config())).toBeUndefined();
  });

  it("no CPU figure when no tick passed between start and end", () => {
    write("/proc/stat", stat([10, 0, 10, 80, 0, 0, 0, 0, 0, 0]));
    const load = new SystemLoad(config(), 60_000);
    load.start();
    expect(load.stop()).toBeUndefined();
  });
});

describe("the concurrent test's shape", () => {
  it("the standard suite runs the contract's serving levels in the ranked shape under its objective", () => {
    const tests = loadSuite().tests.filter((t) => t.kind === "concurrent");
    expect(tests.map((t) => t.concurrency)).toEqual([...SERVING_LEVELS]);
    for (const t of tests) {
      expect(t).toMatchObject({ nPrompt: SERVING_PROMPT_TOKENS, nGen: SERVING_GEN_TOKENS, depth: 0, slo: SERVING_SLO });
      expect(t.name).toBe(`c${t.concurrency}-pp${SERVING_PROMPT_TOKENS}+tg${SERVING_GEN_TOKENS}`);
    }
  });

  it("a suite's concurrent test must name its concurrency, have a prompt and start from an empty context", () => {
    const ok = { name: "c2", kind: "concurrent", concurrency: 2, nPrompt: 8, nGen: 8, depth: 0 };
    expect(SuiteTest.safeParse(ok).success).toBe(true);
    expect(SuiteTest.safeParse({ ...ok, concurrency: undefined }).success).toBe(false);
    expect(SuiteTest.safeParse({ ...ok, nPrompt: 0 }).success).toBe(false);
    expect(SuiteTest.safeParse({ ...ok, depth: 128 }).success).toBe(false);
    expect(SuiteTest.safeParse({ ...ok, concurrency: 65 }).success).toBe(false);
  });

  it("prefills the streams one after another in batches of n_batch, logits on each stream's last prompt token", () => {
    const prompts = [0, 1, 2].map((s) => Array.from({ length: 5 }, (_, i) => (100 * s + i) as Token));
    const batches = promptBatches(prompts, [7, 8, 9], 4);
    expect(batches.map((b) => ({ parts: b.parts.map((p) => [p.sequenceId, p.pos, [...p.tokens], [...p.logits]]), first: b.firstTokenOf }))).toEqual([
      { parts: [[7, 0, [0, 1, 2, 3], []]], first: [] },
      {
        parts: [
          [7, 4, [4], [0]],
          [8, 0, [100, 101, 102], []],
        ],
        first: [0],
      },
      {
        parts: [
          [8, 3, [103, 104], [1]],
          [9, 0, [200, 201], []],
        ],
        first: [1],
      },
      { parts: [[9, 2, [202, 203, 204], [2]]], first: [2] },
    ]);
  });
});
