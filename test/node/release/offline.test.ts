/**
 * The air-gapped install: `npm run pack:offline -- --platform linux-x64` (the
 * platform this machine can run) packs the release archive, its signed
 * SHA256SUMS, install.sh and the tiny model into one tarball; it is unpacked
 * in a clean directory and install.sh runs on a "board" whose PATH holds no
 * node or npm and whose HOME is empty. The installed copy then runs `detect`
 * and a tiny-model run. A damaged archive and a pack for another platform are
 * refused. One pack build per test run (the release cache makes it quick
 * after the first: release-archive.test.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, tinyModel } from "../helpers/models.js";
import { BOARD_RUN_FLAGS, boardEnv, exec, pathWithoutNode } from "./pack-helpers.js";

const PACK = path.join(REPO_ROOT, "scripts", "pack-offline.mjs");
const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "uploader", "package.json"), "utf8")) as { version: string };
const ARCHIVE = `edgebench-${version}-linux-x64.tar.gz`;
let work = "";
let bundleDir = "";
let home = "";
let bin = "";

function installSh(dir: string, args: string[]) {
  return exec("sh", [path.join(dir, "install.sh"), ...args], { cwd: work, env: boardEnv(bin, home), timeoutMs: 120_000 });
}

/** Runs the installed CLI from `prefix` on the board. */
function edgebench(prefix: string, args: string[], timeoutMs = 120_000) {
  return exec(path.join(prefix, "bin", "edgebench"), args, { cwd: work, env: boardEnv(bin, home), timeoutMs });
}

/** A copy of the unpacked pack to change. */
function copyOfBundle(name: string): string {
  const dir = path.join(work, name);
  fs.cpSync(bundleDir, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-offline-"));
  home = path.join(work, "home");
  fs.mkdirSync(home);
  bin = pathWithoutNode(path.join(work, "bin"));
  const out = path.join(work, "out");
  const packed = await exec(process.execPath, [PACK, "--platform", "linux-x64", "--out", out, "--model", tinyModel("q8_0")], {
    cwd: REPO_ROOT,
    timeoutMs: 600_000,
  });
  expect(packed.code, packed.stderr.slice(-3000)).toBe(0);
  const tarballs = fs.readdirSync(out).filter((f) => f.endsWith(".tar.gz"));
  expect(tarballs).toEqual([`edgebench-offline-${version}-linux-x64.tar.gz`]);
  const unpacked = path.join(work, "site");
  fs.mkdirSync(unpacked);
  const untar = await exec("tar", ["xzf", path.join(out, tarballs[0]!), "-C", unpacked]);
  expect(untar.code, untar.stderr).toBe(0);
  bundleDir = path.join(unpacked, tarballs[0]!.replace(/\.tar\.gz$/, ""));
}, 660_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("offline pack for linux-x64", () => {
  it("holds the release archive with its signed SHA256SUMS, install.sh, and the model with its sha256", async () => {
    expect(fs.readdirSync(bundleDir).sort()).toEqual(
      [ARCHIVE, "SHA256SUMS", "SHA256SUMS.sig", "THROWAWAY-KEY.pub", "bundle.env", "install.sh", "models"].sort(),
    );
    const sums = await exec("sha256sum", ["-c", "SHA256SUMS"], { cwd: bundleDir });
    expect(sums.stdout).toBe(`${ARCHIVE}: OK\n`);
    expect(fs.readdirSync(path.join(bundleDir, "models")).sort()).toEqual(["SHA256SUMS", "tiny-q8_0.gguf"]);
    const models = await exec("sha256sum", ["-c", "SHA256SUMS"], { cwd: path.join(bundleDir, "models") });
    expect(models.stdout).toBe("tiny-q8_0.gguf: OK\n");
  });

  it("install.sh installs with no node or npm on PATH; the installed copy detects and runs the carried tiny model", async () => {
    const which = await exec("sh", ["-c", "command -v node || command -v npm || echo none"], { env: boardEnv(bin, home) });
    expect(which.stdout.trim()).toBe("none");
    const prefix = path.join(work, "prefix");
    const inst = await installSh(bundleDir, ["--prefix", prefix]);
    expect(inst.code, inst.stdout + inst.stderr).toBe(0);
    expect(inst.stdout).toContain(`${ARCHIVE}: sha256 OK`);
    expect(inst.stdout).toContain(`installed edgebench ${version} for linux-x64 into ${path.join(prefix, "lib", "edgebench")}`);
    expect(inst.stdout).toContain("tiny-q8_0.gguf: sha256 OK");
    expect(fs.readlinkSync(path.join(prefix, "bin", "edgebench"))).toBe(path.join(prefix, "lib", "edgebench", "edgebench"));

    const detect = await edgebench(prefix, ["detect", "--json"]);
    expect(detect.code, detect.stderr).toBe(0);
    expect((JSON.parse(detect.stdout) as { system: { cpu: { arch: string } } }).system.cpu.arch).toBe("x86_64");

    // The model install.sh copied where the CLI looks ($HOME/.config/edgebench/models).
    const model = path.join(home, ".config", "edgebench", "models", "tiny-q8_0.gguf");
    expect(fs.readFileSync(model)).toEqual(fs.readFileSync(tinyModel("q8_0")));
    const run = await edgebench(prefix, ["run", "--model", model, ...BOARD_RUN_FLAGS], 240_000);
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    const doc = JSON.parse(run.stdout) as { uploader: { version: string; install?: string }; runs: { status: string }[] };
    expect(doc.uploader).toMatchObject({ version, install: "release-archive" });
    expect(doc.runs.map((r) => r.status)).toEqual(["ok"]);

    // Installing again replaces the copy in place.
    const again = await installSh(bundleDir, ["--prefix", prefix, "--no-models"]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(fs.readdirSync(path.join(prefix, "lib"))).toEqual(["edgebench"]);
    const v = await edgebench(prefix, ["--version"]);
    expect(v.stdout.trim()).toBe(version);
  }, 420_000);

  it("install.sh refuses an archive with one changed byte, and installs nothing", async () => {
    const damaged = copyOfBundle("damaged");
    const file = path.join(damaged, ARCHIVE);
    const fd = fs.openSync(file, "r+");
    const at = Math.floor(fs.fstatSync(fd).size / 3);
    const byte = Buffer.alloc(1);
    fs.readSync(fd, byte, 0, 1, at);
    fs.writeSync(fd, Buffer.from([byte[0]! ^ 0x01]), 0, 1, at);
    fs.closeSync(fd);
    const prefix = path.join(work, "prefix-damaged");
    const inst = await installSh(damaged, ["--prefix", prefix]);
    expect(inst.code).toBe(1);
    expect(inst.stdout).toContain(`${ARCHIVE}: sha256 MISMATCH`);
    expect(inst.stderr).toMatch(/the archive does not match SHA256SUMS/);
    expect(fs.existsSync(path.join(prefix, "bin", "edgebench"))).toBe(false);
  });

  it("install.sh refuses a board of another platform, and says how to make the right pack", async () => {
    const other = copyOfBundle("other");
    const env = path.join(other, "bundle.env");
    fs.writeFileSync(
      env,
      fs
        .readFileSync(env, "utf8")
        .replace(/BUNDLE_PLATFORM='[^']*'/, "BUNDLE_PLATFORM='linux-arm64'")
        .replace(/BUNDLE_MACHINES='[^']*'/, "BUNDLE_MACHINES='aarch64 arm64'"),
    );
    const prefix = path.join(work, "prefix-refused");
    const inst = await installSh(other, ["--prefix", prefix]);
    expect(inst.code).toBe(1);
    expect(inst.stderr).toMatch(/the pack is for linux-arm64.*--platform/);
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
