/** Fixture trees, configs and clocks shared by the power tests. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach } from "vitest";
import type { Config } from "../../../uploader/src/config.js";

export const FIXTURE_BIN = path.join(import.meta.dirname, "../../fixtures/power/bin");

/** A temporary root holding the given files (relative paths like "sys/class/...") . */
export function makeTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-power-"));
  writeTree(root, files);
  return root;
}

export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content.endsWith("\n") ? content : `${content}\n`);
  }
}

export function rmTree(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

/** A Config pointing at a fixture root, with the fake tools (or none) on the tool path. */
export function testConfig(sysRoot: string, toolDirs: string[] = [FIXTURE_BIN]): Config {
  return {
    home: path.join(sysRoot, "home"),
    sysRoot,
    plainProgress: true,
    modelsDir: path.join(sysRoot, "models"),
    // An empty directory first keeps real vcgencmd/nvidia-smi out when a test wants none.
    toolPath: [...toolDirs, path.join(sysRoot, "no-tools")].join(path.delimiter),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const now = () => process.hrtime.bigint();

/**
 * A fixture-tree maker for one test file: every tree it makes is removed after
 * each test, so no file repeats the bookkeeping.
 */
export function useTrees(): (files?: Record<string, string>) => string {
  let roots: string[] = [];
  afterEach(() => {
    roots.forEach(rmTree);
    roots = [];
  });
  return (files = {}) => {
    const r = makeTree(files);
    roots.push(r);
    return r;
  };
}
