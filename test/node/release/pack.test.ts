/**
 * What `npm i edgebench` puts on a board: the published file list (npm pack
 * --dry-run), the one runtime dependency, a bundle that imports nothing but Node
 * built-ins and node-llama-cpp, and the packed tarball installed into a clean
 * directory from this machine's npm cache with npm offline (the lean recipe from
 * docs/install.md: --omit=optional plus the one prebuilt binary), where
 * `edgebench --version` and `edgebench detect` run.
 */

import fs from "node:fs";
import { builtinModules } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/models.js";
import { exec } from "./pack-helpers.js";

const UPLOADER = path.join(REPO_ROOT, "uploader");
const pkg = JSON.parse(fs.readFileSync(path.join(UPLOADER, "package.json"), "utf8")) as {
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

interface PackedFile {
  path: string;
  size: number;
}

let files: PackedFile[] = [];
let work = "";

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-release-"));
  // prepack builds dist/ first, as a real `npm pack`/`npm publish` does.
  const r = await exec("npm", ["pack", "--dry-run", "--json"], { cwd: UPLOADER, timeoutMs: 120_000 });
  expect(r.code, r.stderr).toBe(0);
  const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf("["))) as [{ files: PackedFile[] }];
  files = info.files;
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("the published package (npm pack --dry-run)", () => {
  it("holds the bin, the two bundles, the suite data, README, LICENSE and package.json, nothing else", () => {
    const names = files.map((f) => f.path).sort();
    const suite = fs
      .readdirSync(path.join(UPLOADER, "suite"), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(UPLOADER, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
    expect(suite.length).toBeGreaterThan(0);
    expect(names).toEqual(["LICENSE", "README.md", "bin/edgebench.mjs", "dist/edgebench.mjs", "dist/worker.mjs", "package.json", ...suite].sort());
    expect(names.filter((n) => n.startsWith("src/") || n.endsWith(".map") || n.endsWith(".ts") || /test/.test(n))).toEqual([]);
  });

  it("bin points at a packed file with a node shebang", () => {
    expect(Object.keys(pkg.bin)).toEqual(["edgebench"]);
    const bin = pkg.bin.edgebench!.replace(/^\.\//, "");
    expect(files.map((f) => f.path)).toContain(bin);
    expect(fs.readFileSync(path.join(UPLOADER, bin), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("every entry point package.json names (bin, main, exports) is a published file", () => {
    const raw = JSON.parse(fs.readFileSync(path.join(UPLOADER, "package.json"), "utf8")) as {
      bin?: Record<string, string>;
      main?: string;
      exports?: unknown;
    };
    const targets: string[] = [...Object.values(raw.bin ?? {}), ...(raw.main ? [raw.main] : [])];
    const walk = (v: unknown): void => {
      if (typeof v === "string") targets.push(v);
      else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    walk(raw.exports);
    const published = new Set(files.map((f) => f.path));
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.map((t) => t.replace(/^\.\//, "")).filter((t) => !published.has(t))).toEqual([]);
  });

  it("has one runtime dependency, node-llama-cpp at an exact version; the build tools are dev-only", () => {
    expect(pkg.dependencies).toEqual({ "node-llama-cpp": expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    expect(Object.keys(pkg.devDependencies)).toContain("esbuild");
    expect(Object.keys(pkg.dependencies)).not.toContain("wrangler");
  });

  it("the bundles import only Node built-ins and node-llama-cpp (everything else is inside them)", () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    for (const file of ["dist/edgebench.mjs", "dist/worker.mjs"]) {
      const code = fs.readFileSync(path.join(UPLOADER, file), "utf8");
      expect(code.includes("sourceMappingURL=data:"), `${file} inlines a source map`).toBe(false);
      const specifiers = new Set<string>();
      for (const re of [
        /\bfrom\s*["']([^"']+)["']/g,
        /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
        /\bimport\s*["']([^"']+)["']/g,
        /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
      ]) {
        // Only things shaped like a module name (the patterns also hit help text such as `from ".command()"`).
        for (const m of code.matchAll(re)) if (/^(?:node:)?(?:@[\w.-]+\/)?[\w.-]+(?:\/[\w.-]+)*$/.test(m[1]!)) specifiers.add(m[1]!);
      }
      expect(specifiers.size, file).toBeGreaterThan(0);
      const foreign = [...specifiers].filter((s) => !builtins.has(s) && s !== "node-llama-cpp" && !s.startsWith("./") && !s.startsWith("../"));
      expect(foreign, file).toEqual([]);
    }
  });
});

describe("installed from the packed tarball, npm offline", () => {
  it("installs lean (--omit=optional + the one prebuilt binary) and runs --version and detect", async () => {
    const packed = await exec("npm", ["pack", "--json", "--pack-destination", work], { cwd: UPLOADER, timeoutMs: 120_000 });
    expect(packed.code, packed.stderr).toBe(0);
    const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as [{ filename: string }];
    const app = path.join(work, "app");
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "board", private: true }));
    // --offline: only this machine's npm cache, never the network. The binary
    // package for this machine is named explicitly, as docs/install.md says.
    const binary = `@node-llama-cpp/linux-x64@${pkg.dependencies["node-llama-cpp"]}`;
    const env = { ...process.env, npm_config_update_notifier: "false", NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" };
    const inst = await exec("npm", ["install", "--offline", "--no-audit", "--no-fund", "--omit=optional", path.join(work, filename), binary], {
      cwd: app,
      env,
      timeoutMs: 240_000,
    });
    expect(inst.code, inst.stderr).toBe(0);
    expect(fs.readdirSync(path.join(app, "node_modules", "@node-llama-cpp"))).toEqual(["linux-x64"]);
    expect(fs.existsSync(path.join(app, "node_modules", "wrangler"))).toBe(false);
    expect(fs.existsSync(path.join(app, "node_modules", "esbuild"))).toBe(false);

    const bin = path.join(app, "node_modules", ".bin", "edgebench");
    const version = await exec(bin, ["--version"], { cwd: app, env: { ...process.env, HOME: work } });
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
    const detect = await exec(bin, ["detect", "--json"], { cwd: app, env: { ...process.env, HOME: work }, timeoutMs: 60_000 });
    expect(detect.code, detect.stderr).toBe(0);
    const found = JSON.parse(detect.stdout) as { system: { cpu: { arch: string; cores: number } } };
    expect(found.system.cpu.arch).toBe("x86_64");
    expect(found.system.cpu.cores).toBeGreaterThan(0);
  }, 300_000);
});
