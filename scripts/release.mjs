// `npm run release -- [--platform linux-arm64 ...] [--key FILE] [--out DIR]`
//
// Writes the uploader as one self-contained download per board: an archive
// holding a pinned Node.js, the uploader's bundle, node-llama-cpp with only
// that platform's prebuilt llama.cpp and a POSIX sh launcher, plus SHA256SUMS
// and its Ed25519 signature by the release key. The board needs no Node, npm
// or compiler. How: scripts/lib/release-*.mjs. How to use it: docs/release.md.
import path from "node:path";
import { parseReleaseArgs, USAGE } from "./lib/release-args.mjs";
import { buildRelease } from "./lib/release-run.mjs";
import { releaseKeyText } from "./lib/release-sign.mjs";

const mib = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;

try {
  const args = parseReleaseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const { keyText, keySource } = await releaseKeyText(args.keyFile);
  const started = Date.now();
  const r = await buildRelease({
    ...args,
    keyText,
    keySource,
    // Asked for by name, a platform that cannot be built is an error; in the default set it is reported and skipped.
    skipUnbuildable: !args.platformsChosen,
    log: (line) => console.error(`release: ${line}`),
  });
  for (const a of r.built) {
    const req = a.release.requires;
    console.log(`${a.file}`);
    console.log(
      `  ${mib(a.bytes)} (${mib(a.unpackedBytes)} unpacked): Node ${a.release.node.version}, ${a.release.llama.binaries.join(", ")}, ${a.release.packages.length} packages` +
        (req.glibc ? `; needs glibc >= ${req.glibc}, libstdc++ >= GLIBCXX_${req.libstdcxx}` : ""),
    );
  }
  for (const n of r.notBuilt) console.log(`${n.platform}: not built: ${n.reason}`);
  if (r.built.length) {
    const dir = path.dirname(r.built[0].file);
    console.log(
      `${path.join(dir, "SHA256SUMS")} (${r.entries.length} archive${r.entries.length === 1 ? "" : "s"}) and SHA256SUMS.sig, signed by key ${r.key.fingerprint}`,
    );
    if (r.key.throwaway) {
      console.log(
        `  THROWAWAY key ${r.key.publicKey} (made for this build, not kept): this is a local build, not a release.` +
          ` Check it with: edgebench verify-release ${dir} --key ${r.key.publicKey}`,
      );
    } else if (!r.key.pinned) {
      console.log(`  warning: key ${r.key.fingerprint} is not the release key pinned in the uploader; verify-release needs --key ${r.key.publicKey}`);
    }
  }
  console.error(`release: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (r.built.length === 0) process.exit(2);
} catch (err) {
  console.error(`release: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
