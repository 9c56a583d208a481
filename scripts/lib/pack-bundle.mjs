// Builds the offline bundle for one platform (see scripts/pack-offline.mjs).
//
// How the dependencies travel: a staged copy of the packed `edgebench` package
// gets node-llama-cpp and the platform's prebuilt binary installed into it
// (npm's --os/--cpu/--libc pick the target, --omit=optional drops every other
// platform's binary, --ignore-scripts because the binary is not for this
// machine), then lists them all in bundleDependencies and is packed again. The
// result is an ordinary npm tarball that carries its whole dependency tree, so
// `npm install --offline` on the board needs nothing from a registry or cache,
// and without npm a plain `tar x` of it is a working install too.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { binaryPackages, PLATFORMS } from "./pack-platforms.mjs";
import { npm, run } from "./pack-run.mjs";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const UPLOADER = path.join(REPO_ROOT, "uploader");
const INSTALL_SH = path.join(UPLOADER, "deploy", "offline", "install.sh");

export async function sha256File(file) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest("hex");
}

/** Sum of file sizes under dir (apparent bytes; hard links counted once per path). */
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

/**
 * Installs the staged package's dependencies for the target platform. Tries the
 * machine's npm cache alone first (--offline); a package missing from it (an
 * arm64 binary on an x64 build machine, say) is then fetched (--prefer-offline).
 * Returns where they came from, for the log.
 */
async function installForPlatform(stageDir, platform, log) {
  const p = PLATFORMS[platform];
  const args = [
    "install",
    `--os=${p.os}`,
    `--cpu=${p.cpu}`,
    ...(p.libc ? [`--libc=${p.libc}`] : []),
    "--omit=optional",
    "--omit=dev",
    "--ignore-scripts",
    "--no-package-lock",
    "--no-audit",
    "--no-fund",
  ];
  try {
    await npm([...args, "--offline"], { cwd: stageDir });
    return "this machine's npm cache";
  } catch (err) {
    if (!/ENOTCACHED|offline/i.test(err.message)) throw err;
    log("  some packages are not in this machine's npm cache; fetching them from the npm registry");
    await npm([...args, "--prefer-offline"], { cwd: stageDir });
    return "this machine's npm cache, the rest from the npm registry";
  }
}

/** name@version of every package under node_modules, nested ones included. */
async function installedPackages(nodeModules) {
  const found = new Set();
  async function walk(dir) {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (!e.isDirectory() || e.name.startsWith(".")) continue;
      if (!e.name.startsWith("@")) {
        await visit(path.join(dir, e.name));
        continue;
      }
      for (const s of await readdir(path.join(dir, e.name), { withFileTypes: true }))
        if (s.isDirectory()) await visit(path.join(dir, e.name, s.name));
    }
  }
  async function visit(pkgDir) {
    const pkg = JSON.parse(await readFile(path.join(pkgDir, "package.json"), "utf8").catch(() => "{}"));
    if (pkg.name && pkg.version) found.add(`${pkg.name}@${pkg.version}`);
    await walk(path.join(pkgDir, "node_modules"));
  }
  await walk(nodeModules);
  return [...found].sort();
}

/**
 * Writes <outDir>/edgebench-offline-<version>-<platform>[-<with>].tar.gz and its
 * .sha256; returns { file, sha256, bytes, manifest }.
 */
export async function buildOfflineBundle({ platform, withGpu = [], outDir, models = [], log = () => {} }) {
  const binaries = binaryPackages(platform, withGpu);
  for (const m of models) {
    const s = await stat(m).catch(() => null);
    if (!s?.isFile()) throw new Error(`--model ${m}: no such file`);
  }
  const work = await mkdtemp(path.join(os.tmpdir(), "edgebench-pack-"));
  try {
    log(`packing the uploader (npm pack builds dist/)`);
    const plain = await packUploader(path.join(work, "plain"));
    const stage = path.join(work, "stage");
    await mkdir(stage);
    await run("tar", ["xzf", plain, "-C", stage]);
    const stagePkg = path.join(stage, "package");
    const pkg = JSON.parse(await readFile(path.join(stagePkg, "package.json"), "utf8"));
    const llamaVersion = pkg.dependencies["node-llama-cpp"];
    for (const b of binaries) pkg.dependencies[b] = llamaVersion;
    pkg.bundleDependencies = Object.keys(pkg.dependencies);
    delete pkg.devDependencies;
    delete pkg.scripts; // prepack would try to rebuild from sources the tarball does not hold
    await writeFile(path.join(stagePkg, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);

    log(`installing node-llama-cpp ${llamaVersion} + ${binaries.join(", ")} for ${platform}`);
    const source = await installForPlatform(stagePkg, platform, log);
    const nodeModules = path.join(stagePkg, "node_modules");
    const carried = (await readdir(path.join(nodeModules, "@node-llama-cpp")).catch(() => [])).map((n) => `@node-llama-cpp/${n}`).sort();
    if (carried.join() !== [...binaries].sort().join()) {
      throw new Error(`expected exactly ${binaries.join(", ")} under node_modules/@node-llama-cpp, found ${carried.join(", ") || "none"}`);
    }
    const packages = await installedPackages(nodeModules);
    const dependencyBytes = await treeBytes(nodeModules);

    const suffix = withGpu.length ? `-${[...withGpu].sort().join("-")}` : "";
    const name = `edgebench-offline-${pkg.version}-${platform}${suffix}`;
    const bundle = path.join(work, "out", name);
    await mkdir(bundle, { recursive: true });
    log(`packing the uploader with its ${packages.length} dependencies bundled`);
    const out = await npm(["pack", "--json", "--pack-destination", bundle], { cwd: stagePkg });
    const [info] = JSON.parse(out.slice(out.indexOf("[")));
    const tarball = info.filename;

    const modelEntries = [];
    if (models.length) {
      await mkdir(path.join(bundle, "models"));
      for (const m of models) {
        const base = path.basename(m);
        if (modelEntries.some((e) => e.file === base)) throw new Error(`two --model files are named ${base}`);
        await copyFile(m, path.join(bundle, "models", base));
        modelEntries.push({ file: base, bytes: (await stat(m)).size, sha256: await sha256File(m) });
      }
      // sha256sum's format, so `sha256sum -c` works too; install.sh checks with Node.
      await writeFile(path.join(bundle, "models", "SHA256SUMS"), modelEntries.map((e) => `${e.sha256}  ${e.file}\n`).join(""));
    }

    const p = PLATFORMS[platform];
    const nodeMin = (pkg.engines?.node ?? ">=20.3").replace(/^>=\s*/, "");
    await writeFile(
      path.join(bundle, "bundle.env"),
      [
        `# Read by install.sh (POSIX sh). Written by scripts/pack-offline.mjs.`,
        `EDGEBENCH_VERSION='${pkg.version}'`,
        `BUNDLE_PLATFORM='${platform}'`,
        `BUNDLE_OS='${p.os === "darwin" ? "Darwin" : "Linux"}'`,
        `BUNDLE_MACHINES='${p.machines.join(" ")}'`,
        `BUNDLE_TARBALL='${tarball}'`,
        `NODE_MIN='${nodeMin}'`,
        "",
      ].join("\n"),
    );
    await cp(INSTALL_SH, path.join(bundle, "install.sh"));
    const manifest = {
      name: pkg.name,
      version: pkg.version,
      platform,
      with: withGpu,
      nodeEngines: pkg.engines?.node,
      tarball,
      binaries,
      packages,
      dependencyBytes,
      dependenciesFrom: source,
      models: modelEntries,
    };
    await writeFile(path.join(bundle, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);

    await mkdir(outDir, { recursive: true });
    const file = path.join(outDir, `${name}.tar.gz`);
    log(`writing ${file}`);
    await run("tar", ["czf", file, "-C", path.join(work, "out"), name]);
    const sha256 = await sha256File(file);
    await writeFile(`${file}.sha256`, `${sha256}  ${path.basename(file)}\n`);
    return { file, sha256, bytes: (await stat(file)).size, manifest };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
