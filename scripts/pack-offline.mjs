// `npm run pack:offline -- --platform linux-arm64 [--with cuda|vulkan] [--out DIR] [--model FILE ...]`
//
// Writes one tarball for an air-gapped board: the edgebench package with its
// dependency tree and the chosen platform's prebuilt llama.cpp binary bundled
// inside, install.sh, and optional models with their sha256. Dependencies come
// from this machine's npm cache; a binary package missing from it is fetched
// from the npm registry while packing. Installing on the board needs Node only.
// How it works: scripts/lib/pack-bundle.mjs. How to use it: docs/offline-install.md.
import path from "node:path";
import { parsePackArgs, USAGE } from "./lib/pack-args.mjs";
import { buildOfflineBundle } from "./lib/pack-bundle.mjs";

const mib = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;

try {
  const args = parsePackArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const started = Date.now();
  const r = await buildOfflineBundle({ ...args, log: (line) => console.error(`pack:offline: ${line}`) });
  const m = r.manifest;
  console.log(`${r.file}`);
  console.log(`  ${mib(r.bytes)} (sha256 ${r.sha256}), built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(
    `  ${m.name} ${m.version} for ${m.platform}${m.with.length ? ` with ${m.with.join(", ")}` : ""}: ${m.packages.length} packages (${mib(m.dependencyBytes)} installed) from ${m.dependenciesFrom}`,
  );
  console.log(`  binaries: ${m.binaries.join(", ")}`);
  for (const model of m.models) console.log(`  model ${model.file}: ${mib(model.bytes)}, sha256 ${model.sha256}`);
  console.log(`On the board: tar xzf ${path.basename(r.file)} && ${path.basename(r.file, ".tar.gz")}/install.sh [--prefix DIR]`);
} catch (err) {
  console.error(`pack:offline: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
