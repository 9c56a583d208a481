// The packages a release build takes whole from the npm registry (the Node.js
// runtime's per-platform package), kept in a cache directory so a second build
// needs no network: `npm pack name@version` into the cache, the registry's
// integrity (sha512) written beside each tarball and checked again on reuse.
// The Node.js runtime for a platform npm has no package for comes from an
// official nodejs.org tarball given with --node-dist.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { NODE_VERSION, PLATFORMS } from "./pack-platforms.mjs";
import { npm, run } from "./pack-run.mjs";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
export const DEFAULT_CACHE = path.join(REPO_ROOT, "node_modules", ".cache", "edgebench-release");

/** A platform that cannot be built: the message says why and what to do. */
export class NotBuildable extends Error {
  name = "NotBuildable";
}

async function sha512Integrity(file) {
  const hash = createHash("sha512");
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return `sha512-${hash.digest("base64")}`;
}

/** npm pack's file name for name@version (scope folded in, as `npm pack` names it). */
function packFileName(name, version) {
  return `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`;
}

/**
 * The tarball of name@version in cacheDir, fetched with `npm pack` when absent.
 * Returns { file, integrity, fetched }. A cached tarball whose sha512 no longer
 * matches the integrity recorded when it was fetched is fetched again.
 */
export async function cachedPackage(name, version, cacheDir, log = () => {}) {
  await mkdir(cacheDir, { recursive: true });
  const file = path.join(cacheDir, packFileName(name, version));
  const sidecar = `${file}.json`;
  const recorded = JSON.parse(await readFile(sidecar, "utf8").catch(() => "null"));
  if (recorded?.integrity && (await sha512Integrity(file).catch(() => undefined)) === recorded.integrity) {
    return { file, integrity: recorded.integrity, fetched: false };
  }
  log(`fetching ${name}@${version} from the npm registry into ${path.relative(REPO_ROOT, cacheDir) || cacheDir}`);
  let out;
  try {
    out = await npm(["pack", `${name}@${version}`, "--json", "--pack-destination", cacheDir], { cwd: cacheDir });
  } catch (err) {
    if (/ETARGET|E404|No matching version/i.test(err.message)) {
      const newest = (await npm(["view", name, "version"], { cwd: cacheDir }).catch(() => "")).trim();
      throw new NotBuildable(`no ${name}@${version} package on npm${newest ? ` (its newest is ${newest})` : ""}`);
    }
    throw err;
  }
  const [info] = JSON.parse(out.slice(out.indexOf("[")));
  if (path.join(cacheDir, info.filename) !== file) throw new Error(`npm pack wrote ${info.filename}, expected ${path.basename(file)}`);
  // npm checked the download against the registry's integrity; keep it to check the cached copy later.
  if ((await sha512Integrity(file)) !== info.integrity) throw new Error(`${info.filename} does not match the integrity npm reported`);
  await writeFile(sidecar, `${JSON.stringify({ name, version, integrity: info.integrity }, null, 2)}\n`);
  return { file, integrity: info.integrity, fetched: true };
}

/** The nodejs.org tarball name for the pinned Node on `platform` (without the .tar.gz/.tar.xz ending). */
export function nodeDistName(platform) {
  return `node-v${NODE_VERSION}-${PLATFORMS[platform].nodeDist}`;
}

/**
 * Which platform each --node-dist tarball is for, from its nodejs.org name
 * (node-v<version>-<os>-<arch>.tar.gz|.tar.xz). Throws for another Node
 * version or a name that is not a nodejs.org tarball's.
 */
export function nodeDistsByPlatform(files) {
  const byPlatform = {};
  for (const file of files) {
    const m = /^node-v(\d+\.\d+\.\d+)-([a-z0-9]+-[a-z0-9]+)\.tar\.(gz|xz)$/.exec(path.basename(file));
    if (!m) throw new Error(`--node-dist ${file}: not a nodejs.org tarball name (node-v${NODE_VERSION}-<os>-<arch>.tar.xz)`);
    if (m[1] !== NODE_VERSION) throw new Error(`--node-dist ${file} is Node ${m[1]}; every release archive carries Node ${NODE_VERSION}`);
    const platform = Object.keys(PLATFORMS).find((p) => PLATFORMS[p].nodeDist === m[2]);
    if (!platform) throw new Error(`--node-dist ${file}: no edgebench platform runs node ${m[2]}`);
    byPlatform[platform] = path.resolve(file);
  }
  return byPlatform;
}

/**
 * Puts the pinned Node.js for `platform` in destDir: bin/node and LICENSE (Node's
 * licence with those of everything it bundles). From npm's per-platform
 * package, or from `nodeDist` (an official nodejs.org tarball) when given.
 * Returns { version, from, integrity? } for the archive's record.
 */
export async function installNodeRuntime(platform, destDir, { cacheDir, nodeDist, log = () => {} }) {
  const p = PLATFORMS[platform];
  const tmp = await mkdtemp(path.join(path.dirname(destDir), ".node-"));
  try {
    let top;
    let from;
    let integrity;
    if (nodeDist) {
      top = nodeDistName(platform);
      log(`Node.js ${NODE_VERSION} from ${nodeDist}`);
      await run("tar", ["xf", nodeDist, "-C", tmp, `${top}/bin/node`, `${top}/LICENSE`]);
      from = `${path.basename(nodeDist)} (given with --node-dist)`;
    } else {
      let pkg;
      try {
        pkg = await cachedPackage(p.nodePackage, NODE_VERSION, cacheDir, log);
      } catch (err) {
        if (!(err instanceof NotBuildable)) throw err;
        throw new NotBuildable(
          `${err.message}; download ${nodeDistName(platform)}.tar.xz from https://nodejs.org/dist/v${NODE_VERSION}/, check it against SHASUMS256.txt there, and pass it with --node-dist`,
        );
      }
      top = "package";
      await run("tar", ["xzf", pkg.file, "-C", tmp, "package/bin/node", "package/LICENSE"]);
      from = `${p.nodePackage}@${NODE_VERSION} (npm)`;
      integrity = pkg.integrity;
    }
    await mkdir(path.join(destDir, "bin"), { recursive: true });
    await copyFile(path.join(tmp, top, "bin", "node"), path.join(destDir, "bin", "node"));
    await chmod(path.join(destDir, "bin", "node"), 0o755);
    await copyFile(path.join(tmp, top, "LICENSE"), path.join(destDir, "LICENSE"));
    return { version: NODE_VERSION, from, ...(integrity ? { integrity } : {}) };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
