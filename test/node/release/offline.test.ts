/**
 * The air-gapped install: `npm run pack:offline -- --platform linux-x64` (the
 * platform this machine can run) builds one tarball; it is unpacked in a clean
 * directory and install.sh runs with npm offline, an empty HOME and npm cache,
 * and the registry pointed at a closed loopback port, so nothing can come from
 * a network or this machine's cache. The installed copy then runs `detect` and
 * a tiny-model run. One pack build per test run (it takes about a minute).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, tinyModel } from "../helpers/models.js";
import { exec, isolatedEnv, QUICK_RUN_FLAGS } from "./pack-helpers.js";

const PACK = path.join(REPO_ROOT, "scripts", "pack-offline.mjs");
let work = "";
let bundleDir = "";
let home = "";

/** The keys of every entry in an npm cache index (cacache's index-v5 bucket files, one JSON entry a line after a hash). */
function cacheKeys(indexDir: string): string[] {
  if (!fs.existsSync(indexDir)) return [];
  const keys: string[] = [];
  for (const e of fs.readdirSync(indexDir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    for (const m of fs.readFileSync(path.join(e.parentPath, e.name), "utf8").matchAll(/"key":"((?:[^"\\]|\\.)*)"/g))
      keys.push(JSON.parse(`"${m[1]}"`) as string);
  }
  return keys;
}

/** Runs the installed CLI from `prefix` in the isolated environment. */
function edgebench(prefix: string, args: string[], timeoutMs = 120_000) {
  return exec(path.join(prefix, "bin", "edgebench"), args, { cwd: work, env: isolatedEnv(home), timeoutMs });
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-offline-"));
  home = path.join(work, "home");
  fs.mkdirSync(home);
  const out = path.join(work, "out");
  const packed = await exec(process.execPath, [PACK, "--platform", "linux-x64", "--out", out, "--model", tinyModel("q8_0")], {
    cwd: REPO_ROOT,
    timeoutMs: 300_000,
  });
  expect(packed.code, packed.stderr).toBe(0);
  const tarballs = fs.readdirSync(out).filter((f) => f.endsWith(".tar.gz"));
  expect(tarballs).toHaveLength(1);
  const unpacked = path.join(work, "site");
  fs.mkdirSync(unpacked);
  const untar = await exec("tar", ["xzf", path.join(out, tarballs[0]!), "-C", unpacked]);
  expect(untar.code, untar.stderr).toBe(0);
  bundleDir = path.join(unpacked, tarballs[0]!.replace(/\.tar\.gz$/, ""));
}, 360_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("offline bundle for linux-x64", () => {
  it("holds the bundled package, install.sh, a manifest with only the linux-x64 binary, and the model with its sha256", () => {
    expect(fs.readdirSync(bundleDir).sort()).toEqual(["bundle.env", "edgebench-0.1.0.tgz", "install.sh", "manifest.json", "models"].sort());
    const manifest = JSON.parse(fs.readFileSync(path.join(bundleDir, "manifest.json"), "utf8")) as {
      binaries: string[];
      packages: string[];
      models: { file: string; sha256: string }[];
    };
    expect(manifest.binaries).toEqual(["@node-llama-cpp/linux-x64"]);
    const llamaBinaries = manifest.packages.filter((p) => p.startsWith("@node-llama-cpp/"));
    expect(llamaBinaries).toEqual([expect.stringMatching(/^@node-llama-cpp\/linux-x64@/)]);
    expect(manifest.packages.some((p) => p.startsWith("node-llama-cpp@"))).toBe(true);
    expect(manifest.packages.some((p) => /^(wrangler|esbuild|vitest|typescript)@/.test(p))).toBe(false);
    expect(manifest.models).toEqual([
      { file: "tiny-q8_0.gguf", bytes: fs.statSync(tinyModel("q8_0")).size, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    expect(fs.readFileSync(path.join(bundleDir, "models", "SHA256SUMS"), "utf8")).toBe(`${manifest.models[0]!.sha256}  tiny-q8_0.gguf\n`);
  });

  it("install.sh installs with npm and no network; the installed copy detects and runs the carried tiny model", async () => {
    const prefix = path.join(work, "prefix-npm");
    const inst = await exec("sh", [path.join(bundleDir, "install.sh"), "--prefix", prefix], {
      cwd: work,
      env: isolatedEnv(home),
      timeoutMs: 240_000,
    });
    expect(inst.code, inst.stdout + inst.stderr).toBe(0);
    expect(inst.stdout).toMatch(/installed edgebench 0\.1\.0 for linux-x64/);
    expect(inst.stdout).toContain("tiny-q8_0.gguf: sha256 OK");
    // The cache started empty; npm only recorded the local tarball in it, no registry entry.
    const keys = cacheKeys(path.join(home, ".npm", "_cacache", "index-v5"));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !k.startsWith("pacote:tarball:file:"))).toEqual([]);
    const pkgDir = path.join(prefix, "lib", "node_modules", "edgebench");
    expect(fs.readdirSync(path.join(pkgDir, "node_modules", "@node-llama-cpp"))).toEqual(["linux-x64"]);

    const detect = await edgebench(prefix, ["detect", "--json"]);
    expect(detect.code, detect.stderr).toBe(0);
    const found = JSON.parse(detect.stdout) as { system: { cpu: { arch: string } } };
    expect(found.system.cpu.arch).toBe("x86_64");

    // The model install.sh copied where the CLI looks ($HOME/.config/edgebench/models).
    const model = path.join(home, ".config", "edgebench", "models", "tiny-q8_0.gguf");
    expect(fs.readFileSync(model)).toEqual(fs.readFileSync(tinyModel("q8_0")));
    const run = await edgebench(prefix, ["run", "--model", model, ...QUICK_RUN_FLAGS], 240_000);
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    const doc = JSON.parse(run.stdout) as { uploader: { version: string }; runs: { status: string; model: { sha256?: string } }[] };
    expect(doc.uploader.version).toBe("0.1.0");
    expect(doc.runs).toHaveLength(1);
    expect(doc.runs[0]!.status).toBe("ok");
  }, 420_000);

  it("install.sh --method copy works without npm (plain unpack + a bin link)", async () => {
    const prefix = path.join(work, "prefix-copy");
    const inst = await exec("sh", [path.join(bundleDir, "install.sh"), "--prefix", prefix, "--method", "copy", "--no-models"], {
      cwd: work,
      env: isolatedEnv(home),
      timeoutMs: 120_000,
    });
    expect(inst.code, inst.stdout + inst.stderr).toBe(0);
    const version = await edgebench(prefix, ["--version"]);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe("0.1.0");
    const detect = await edgebench(prefix, ["detect", "--json"]);
    expect(detect.code, detect.stderr).toBe(0);
  }, 180_000);

  it("install.sh refuses a board of another platform, and says how to make the right bundle", async () => {
    const other = path.join(work, "other");
    fs.cpSync(bundleDir, other, { recursive: true });
    const env = path.join(other, "bundle.env");
    fs.writeFileSync(
      env,
      fs
        .readFileSync(env, "utf8")
        .replace(/BUNDLE_PLATFORM='[^']*'/, "BUNDLE_PLATFORM='linux-arm64'")
        .replace(/BUNDLE_MACHINES='[^']*'/, "BUNDLE_MACHINES='aarch64 arm64'"),
    );
    const prefix = path.join(work, "prefix-refused");
    const inst = await exec("sh", [path.join(other, "install.sh"), "--prefix", prefix], { cwd: work, env: isolatedEnv(home) });
    expect(inst.code).toBe(1);
    expect(inst.stderr).toMatch(/the bundle is for linux-arm64.*--platform/);
    expect(fs.existsSync(path.join(prefix, "bin", "edgebench"))).toBe(false);
  });
});

describe("pack:offline arguments", () => {
  it("rejects an unknown platform, a GPU build the platform lacks and a missing model, before packing anything", async () => {
    const out = path.join(work, "never");
    const cases: [string[], RegExp][] = [
      [["--platform", "linux-sparc"], /unknown platform "linux-sparc"; one of: linux-arm64/],
      [["--platform", "linux-arm64", "--with", "cuda"], /--with cuda is not available for linux-arm64/],
      [["--platform", "linux-x64", "--model", path.join(work, "nope.gguf")], /--model .*nope\.gguf: no such file/],
      [[], /--platform is required/],
    ];
    for (const [args, message] of cases) {
      const r = await exec(process.execPath, [PACK, ...args, "--out", out], { cwd: REPO_ROOT });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(fs.existsSync(out)).toBe(false);
  });
});
