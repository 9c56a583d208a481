// The uploader's runtime dependencies for one platform: node-llama-cpp, its
// JavaScript dependencies and exactly that platform's prebuilt llama.cpp.
//
// npm installs them into a staging directory with the target's --os/--cpu/--libc
// (--omit=optional drops every other platform's prebuilt; --ignore-scripts
// because the binary is not for this machine). Packages come from this
// machine's npm cache first (--offline); only what is missing is fetched. The
// pruned tree is kept in the release cache under a key of the platform and the
// dependency versions, so the next build copies it without running npm at all.
import { createHash } from "node:crypto";
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { binaryPackages, PLATFORMS } from "./pack-platforms.mjs";
import { npm } from "./pack-run.mjs";

/**
 * Files nothing loads when the uploader runs: llama.cpp's source bundle (only
 * for building llama.cpp on the board; edgebench loads backends with
 * build: "never"), type declarations and source maps.
 */
const PRUNED_PATHS = ["node-llama-cpp/llama/gitRelease.bundle"];
const PRUNED_ENDINGS = [".d.ts", ".d.mts", ".d.cts", ".map"];

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

/** name@version of every package under node_modules, nested ones included, sorted. */
export async function installedPackages(nodeModules) {
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

async function prune(nodeModules) {
  for (const p of PRUNED_PATHS) await rm(path.join(nodeModules, p), { force: true });
  for (const e of await readdir(nodeModules, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && PRUNED_ENDINGS.some((end) => e.name.endsWith(end))) await rm(path.join(e.parentPath ?? e.path, e.name));
  }
}

/**
 * Copies the dependency tree for `platform` to destNodeModules; returns
 * { packages, binaries, from }. `dependencies` is the uploader's own
 * package.json dependencies (node-llama-cpp at its exact version).
 */
export async function installDependencyTree({ dependencies, platform, withGpu = [], cacheDir, destNodeModules, log = () => {} }) {
  const binaries = binaryPackages(platform, withGpu);
  const llamaVersion = dependencies["node-llama-cpp"];
  const wanted = { ...dependencies, ...Object.fromEntries(binaries.map((b) => [b, llamaVersion])) };
  // The pruning rules are part of the key: a tree pruned by older rules is not reused.
  const key = createHash("sha256").update(JSON.stringify({ platform, wanted, PRUNED_PATHS, PRUNED_ENDINGS })).digest("hex").slice(0, 16);
  const variant = `${platform}${withGpu.length ? `-${[...withGpu].sort().join("-")}` : ""}`;
  const cached = path.join(cacheDir, "trees", `${variant}-${key}`);
  const record = path.join(cached, "tree.json");

  let info = JSON.parse(await readFile(record, "utf8").catch(() => "null"));
  if (info) {
    log(`node-llama-cpp ${llamaVersion} + ${binaries.join(", ")} for ${platform}: from the release cache`);
  } else {
    log(`installing node-llama-cpp ${llamaVersion} + ${binaries.join(", ")} for ${platform}`);
    const stage = `${cached}.staging`;
    await rm(stage, { recursive: true, force: true });
    await mkdir(stage, { recursive: true });
    await writeFile(path.join(stage, "package.json"), JSON.stringify({ name: "edgebench-release-tree", private: true, dependencies: wanted }));
    const from = await installForPlatform(stage, platform, log);
    const nodeModules = path.join(stage, "node_modules");
    const carried = (await readdir(path.join(nodeModules, "@node-llama-cpp")).catch(() => [])).map((n) => `@node-llama-cpp/${n}`).sort();
    if (carried.join() !== [...binaries].sort().join()) {
      throw new Error(`expected exactly ${binaries.join(", ")} under node_modules/@node-llama-cpp, found ${carried.join(", ") || "none"}`);
    }
    await prune(nodeModules);
    // npm's own bookkeeping of the staging install, not part of any package.
    await rm(path.join(nodeModules, ".package-lock.json"), { force: true });
    info = { platform, withGpu, binaries, from, packages: await installedPackages(nodeModules) };
    await writeFile(path.join(stage, "tree.json"), `${JSON.stringify(info, null, 2)}\n`);
    await rm(path.join(stage, "package.json"));
    // Trees of this variant made for other versions or rules are never read again.
    for (const old of await readdir(path.dirname(cached))) {
      if (/^[0-9a-f]{16}$/.test(old.slice(variant.length + 1)) && old.startsWith(`${variant}-`))
        await rm(path.join(path.dirname(cached), old), { recursive: true, force: true });
    }
    await rename(stage, cached);
  }
  await cp(path.join(cached, "node_modules"), destNodeModules, { recursive: true, verbatimSymlinks: true });
  return info;
}
