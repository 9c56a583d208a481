// The release build from the top (used by `npm run release` and by
// `npm run pack:offline`): pack the uploader once, build one archive per
// platform, then sign SHA256SUMS over them.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { binaryPackages } from "./pack-platforms.mjs";
import { buildArchive, packUploader } from "./release-build.mjs";
import { NotBuildable, nodeDistsByPlatform } from "./release-fetch.mjs";
import { loadReleaseKey, signRelease } from "./release-sign.mjs";

/**
 * Builds the archives and signs them. `key` is the key file's text (or
 * undefined for a throwaway key) and `keySource` names where it came from.
 * A platform whose Node.js is not on npm and has no --node-dist is left out
 * with the reason in `notBuilt` when `skipUnbuildable`, else it is an error.
 * Returns { built, notBuilt, key, entries }.
 */
export async function buildRelease({
  platforms,
  withGpu = [],
  outDir,
  cacheDir,
  nodeDists = [],
  keyText,
  keySource,
  skipUnbuildable = false,
  log = () => {},
}) {
  for (const p of platforms) binaryPackages(p, withGpu); // bad platforms or --with fail before any work
  const dists = nodeDistsByPlatform(nodeDists);
  const key = await loadReleaseKey(keyText, keySource);
  const work = await mkdtemp(path.join(os.tmpdir(), "edgebench-release-pack-"));
  try {
    log("packing the uploader (npm pack builds dist/)");
    const uploaderTgz = await packUploader(work);
    const built = [];
    const notBuilt = [];
    for (const platform of platforms) {
      log(`${platform}:`);
      try {
        built.push(await buildArchive({ uploaderTgz, platform, withGpu, outDir, cacheDir, nodeDist: dists[platform], log: (l) => log(`  ${l}`) }));
      } catch (err) {
        if (!(err instanceof NotBuildable) || !skipUnbuildable) throw err;
        notBuilt.push({ platform, reason: err.message });
        log(`  not built: ${err.message}`);
      }
    }
    if (built.length === 0) return { built, notBuilt, key, entries: [] };
    const { entries } = await signRelease(outDir, built[0].release.version, key);
    return { built, notBuilt, key, entries };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
