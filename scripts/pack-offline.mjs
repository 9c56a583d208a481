// `npm run pack:offline -- --platform linux-arm64 [--with cuda|vulkan] [--out DIR] [--model FILE ...] [--key FILE]`
//
// Writes one tarball for an air-gapped board: the platform's release archive
// (the same as `npm run release` makes: its own Node.js, the uploader and the
// prebuilt llama.cpp) with its signed SHA256SUMS, install.sh, and optional
// models with their sha256. Installing on the board needs a POSIX shell, tar
// and sha256sum; no Node, no npm, no network.
// How it works: scripts/lib/pack-bundle.mjs. How to use it: docs/offline-install.md.
import path from "node:path";
import { parsePackArgs, USAGE } from "./lib/pack-args.mjs";
import { buildOfflineBundle } from "./lib/pack-bundle.mjs";
import { releaseKeyText } from "./lib/release-sign.mjs";

const mib = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;

try {
  const args = parsePackArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const { keyText, keySource } = await releaseKeyText(args.keyFile);
  const started = Date.now();
  const r = await buildOfflineBundle({ ...args, keyText, keySource, log: (line) => console.error(`pack:offline: ${line}`) });
  const a = r.archive;
  console.log(`${r.file}`);
  console.log(`  ${mib(r.bytes)} (sha256 ${r.sha256}), built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(
    `  ${path.basename(a.file)}: ${mib(a.bytes)} (${mib(a.unpackedBytes)} unpacked), Node ${a.release.node.version}, ${a.release.llama.binaries.join(", ")}`,
  );
  console.log(
    `  SHA256SUMS signed by key ${r.key.fingerprint}${r.key.throwaway ? " (a THROWAWAY key made for this build: a local build, not a release)" : ""}`,
  );
  for (const model of r.models) console.log(`  model ${model.file}: ${mib(model.bytes)}, sha256 ${model.sha256}`);
  console.log(`On the board: tar xzf ${path.basename(r.file)} && ${path.basename(r.file, ".tar.gz")}/install.sh [--prefix DIR]`);
} catch (err) {
  console.error(`pack:offline: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
