// Builds one release archive, edgebench-<version>-<platform>[-<with>].tar.gz:
//
//   edgebench-0.1.0-linux-arm64/
//     edgebench                 the launcher (POSIX sh): runs the bundle with node/bin/node
//     node/bin/node, LICENSE    the pinned Node.js for the platform, with its licence
//     lib/edgebench/            the npm package as published (bin/, dist/, suite/, ...)
//       dist/release.json       the marker: how this copy was built (read into every result)
//       node_modules/           node-llama-cpp + its dependencies + only this platform's prebuilt
//
// Every native binary in it is checked to be for the platform's machine, and
// the newest glibc/libstdc++ symbol version any of them needs is recorded.
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { compareVersions, nativeBinaries } from "./elf.mjs";
import { binaryPackages, PLATFORMS } from "./pack-platforms.mjs";
import { npm, run } from "./pack-run.mjs";
import { installNodeRuntime } from "./release-fetch.mjs";
import { installDependencyTree } from "./release-tree.mjs";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const UPLOADER = path.join(REPO_ROOT, "uploader");
const LAUNCHER = path.join(UPLOADER, "deploy", "release", "edgebench");
/** Must match RELEASE_MARKER in uploader/src/runner/document.ts, which detects a release install by it. */
const MARKER = "release.json";
export const MARKER_FORMAT = "edgebench-release/v1";

/** Sum of file sizes under dir (apparent bytes). */
export async function treeBytes(dir) {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath ?? entry.path, entry.name))).size;
  }
  return total;
}

/** Packs the uploader (its prepack script builds dist/) into dir; returns the tarball path. */
export async function packUploader(dir) {
  await mkdir(dir, { recursive: true });
  const out = await npm(["pack", "--json", "--pack-destination", dir], { cwd: UPLOADER });
  const [info] = JSON.parse(out.slice(out.indexOf("[")));
  return path.join(dir, info.filename);
}

/** The archive's base name (also its top directory). */
export function archiveName(version, platform, withGpu = []) {
  return `edgebench-${version}-${platform}${withGpu.length ? `-${[...withGpu].sort().join("-")}` : ""}`;
}

/** GNU tar can store files as root with sorted names (the same tree gives the same listing); bsdtar (macOS) takes the plain form. */
async function tarFlags() {
  const version = await run("tar", ["--version"]).catch(() => "");
  return /GNU tar/.test(version) ? ["--owner=0", "--group=0", "--numeric-owner", "--sort=name"] : [];
}

/**
 * Writes <outDir>/<archiveName>.tar.gz from the packed uploader `uploaderTgz`.
 * Returns { file, name, bytes, unpackedBytes, release } (release: the marker's content).
 */
export async function buildArchive({ uploaderTgz, platform, withGpu = [], outDir, cacheDir, nodeDist, log = () => {} }) {
  binaryPackages(platform, withGpu); // an unknown platform or --with fails here, before any work
  const p = PLATFORMS[platform];
  const work = await mkdtemp(path.join(os.tmpdir(), "edgebench-release-"));
  try {
    await run("tar", ["xzf", uploaderTgz, "-C", work]);
    const pkg = JSON.parse(await readFile(path.join(work, "package", "package.json"), "utf8"));
    const name = archiveName(pkg.version, platform, withGpu);
    const root = path.join(work, name);
    const app = path.join(root, "lib", "edgebench");
    await mkdir(path.dirname(app), { recursive: true });
    await rename(path.join(work, "package"), app);

    const node = await installNodeRuntime(platform, path.join(root, "node"), { cacheDir, nodeDist, log });
    const tree = await installDependencyTree({
      dependencies: pkg.dependencies,
      platform,
      withGpu,
      cacheDir,
      destNodeModules: path.join(app, "node_modules"),
      log,
    });
    await copyFile(LAUNCHER, path.join(root, "edgebench"));
    await chmod(path.join(root, "edgebench"), 0o755);

    const binaries = await nativeBinaries(root);
    const foreign = binaries.filter((b) => !b.machine.split("+").includes(p.binaryMachine));
    if (foreign.length) {
      throw new Error(`${name} would hold binaries not built for ${p.binaryMachine}: ${foreign.map((b) => `${b.file} (${b.machine})`).join(", ")}`);
    }
    const newest = (field) => binaries.map((b) => b[field]).reduce((a, b) => (!b || (a && compareVersions(a, b) >= 0) ? a : b), undefined);
    const release = {
      format: MARKER_FORMAT,
      name: pkg.name,
      version: pkg.version,
      platform,
      with: withGpu,
      node,
      llama: { nodeLlamaCpp: pkg.dependencies["node-llama-cpp"], binaries: tree.binaries },
      // The oldest C library and C++ runtime the board may have (Linux; from the binaries' version needs).
      requires: p.os === "linux" ? { glibc: newest("glibc"), libstdcxx: newest("glibcxx") } : {},
      binaries: binaries.map((b) => `${b.file} (${b.machine})`),
      packages: tree.packages,
      dependenciesFrom: tree.from,
    };
    await writeFile(path.join(app, "dist", MARKER), `${JSON.stringify(release, null, 2)}\n`);

    const unpackedBytes = await treeBytes(root);
    await mkdir(outDir, { recursive: true });
    const file = path.join(outDir, `${name}.tar.gz`);
    log(`writing ${file}`);
    await run("tar", ["czf", file, ...(await tarFlags()), "-C", work, name]);
    return { file, name, bytes: (await stat(file)).size, unpackedBytes, release };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
