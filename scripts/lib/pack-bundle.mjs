// Builds the offline pack for one platform (see scripts/pack-offline.mjs): the
// platform's release archive (scripts/lib/release-run.mjs) with its SHA256SUMS
// and signature, install.sh, and any carried models with their sha256, in one
// tarball for an air-gapped board. The board needs no Node: the archive
// carries its own.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, cp, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { binaryPackages, PLATFORMS } from "./pack-platforms.mjs";
import { run } from "./pack-run.mjs";
import { buildRelease } from "./release-run.mjs";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const INSTALL_SH = path.join(REPO_ROOT, "uploader", "deploy", "offline", "install.sh");

export async function sha256File(file) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest("hex");
}

/**
 * Writes <outDir>/edgebench-offline-<version>-<platform>[-<with>].tar.gz and its
 * .sha256; returns { file, sha256, bytes, archive, key, models }.
 */
export async function buildOfflineBundle({
  platform,
  withGpu = [],
  outDir,
  models = [],
  cacheDir,
  nodeDists = [],
  keyText,
  keySource,
  log = () => {},
}) {
  binaryPackages(platform, withGpu);
  for (const m of models) {
    const s = await stat(m).catch(() => null);
    if (!s?.isFile()) throw new Error(`--model ${m}: no such file`);
  }
  const work = await mkdtemp(path.join(os.tmpdir(), "edgebench-pack-"));
  try {
    const staging = path.join(work, "staging");
    const r = await buildRelease({ platforms: [platform], withGpu, outDir: staging, cacheDir, nodeDists, keyText, keySource, log });
    const archive = r.built[0];
    const name = archive.name.replace(/^edgebench-/, "edgebench-offline-");
    const bundle = path.join(work, "out", name);
    await mkdir(bundle, { recursive: true });
    // The archive with the signed list that covers it (the staging directory holds nothing else).
    await cp(staging, bundle, { recursive: true });

    const modelEntries = [];
    if (models.length) {
      await mkdir(path.join(bundle, "models"));
      for (const m of models) {
        const base = path.basename(m);
        if (modelEntries.some((e) => e.file === base)) throw new Error(`two --model files are named ${base}`);
        await copyFile(m, path.join(bundle, "models", base));
        modelEntries.push({ file: base, bytes: (await stat(m)).size, sha256: await sha256File(m) });
      }
      // sha256sum's format: install.sh checks with sha256sum (or shasum), `sha256sum -c` works by hand too.
      await writeFile(path.join(bundle, "models", "SHA256SUMS"), modelEntries.map((e) => `${e.sha256}  ${e.file}\n`).join(""));
    }

    const p = PLATFORMS[platform];
    await writeFile(
      path.join(bundle, "bundle.env"),
      [
        `# Read by install.sh (POSIX sh). Written by scripts/pack-offline.mjs.`,
        `EDGEBENCH_VERSION='${archive.release.version}'`,
        `BUNDLE_PLATFORM='${platform}'`,
        `BUNDLE_OS='${p.os === "darwin" ? "Darwin" : "Linux"}'`,
        `BUNDLE_MACHINES='${p.machines.join(" ")}'`,
        `ARCHIVE='${path.basename(archive.file)}'`,
        `ARCHIVE_DIR='${archive.name}'`,
        `NEEDS_GLIBC='${archive.release.requires.glibc ?? ""}'`,
        "",
      ].join("\n"),
    );
    await cp(INSTALL_SH, path.join(bundle, "install.sh"));

    await mkdir(outDir, { recursive: true });
    const file = path.join(outDir, `${name}.tar.gz`);
    log(`writing ${file}`);
    await run("tar", ["czf", file, "-C", path.join(work, "out"), name]);
    const sha256 = await sha256File(file);
    await writeFile(`${file}.sha256`, `${sha256}  ${path.basename(file)}\n`);
    return { file, sha256, bytes: (await stat(file)).size, archive, key: r.key, models: modelEntries };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
