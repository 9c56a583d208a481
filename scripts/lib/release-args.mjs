// Command-line arguments of `npm run release`.
import path from "node:path";
import { parseArgs } from "node:util";
import { NODE_VERSION, PLATFORMS, RELEASE_PLATFORMS } from "./pack-platforms.mjs";
import { DEFAULT_CACHE } from "./release-fetch.mjs";

export const USAGE = `usage: npm run release -- [--platform <${Object.keys(PLATFORMS).join("|")}> ...] [--with cuda|vulkan]
                          [--out DIR] [--key FILE] [--node-dist FILE ...] [--cache DIR]

Writes one self-contained archive per platform, edgebench-<version>-<platform>.tar.gz
(Node.js ${NODE_VERSION}, the uploader, node-llama-cpp with only that platform's
prebuilt llama.cpp, and an \`edgebench\` launcher), then SHA256SUMS over the
archives and SHA256SUMS.sig, its Ed25519 signature by the release key.

  --platform   repeatable; default: ${RELEASE_PLATFORMS.join(", ")}
  --with       linux-x64 GPU builds to add (cuda, vulkan)
  --out        where the archives go (default .tmp/release)
  --key        the release key: an edgebench key file (edgebench-key/v1);
               or its text in EDGEBENCH_RELEASE_KEY. Neither: a throwaway
               key is made for this build (its public half in THROWAWAY-KEY.pub)
  --node-dist  an official nodejs.org tarball, node-v${NODE_VERSION}-<os>-<arch>.tar.xz,
               for a platform whose Node ${NODE_VERSION} is not on npm
  --cache      downloaded packages and installed trees (default node_modules/.cache/edgebench-release)`;

/** Parses argv (without node and the script); throws with the usage on bad input. */
export function parseReleaseArgs(argv, cwd = process.cwd()) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        platform: { type: "string", multiple: true },
        with: { type: "string", multiple: true },
        out: { type: "string" },
        key: { type: "string" },
        "node-dist": { type: "string", multiple: true },
        cache: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new Error(`${err.message}\n\n${USAGE}`);
  }
  if (values.help) return { help: true };
  const platforms = (values.platform ?? []).flatMap((p) => p.split(",")).filter(Boolean);
  for (const p of platforms) if (!PLATFORMS[p]) throw new Error(`unknown platform "${p}"; one of: ${Object.keys(PLATFORMS).join(", ")}`);
  return {
    help: false,
    platforms: platforms.length ? [...new Set(platforms)] : RELEASE_PLATFORMS,
    platformsChosen: platforms.length > 0,
    withGpu: (values.with ?? []).flatMap((w) => w.split(",")).filter(Boolean),
    outDir: path.resolve(cwd, values.out ?? ".tmp/release"),
    keyFile: values.key ? path.resolve(cwd, values.key) : undefined,
    nodeDists: (values["node-dist"] ?? []).map((f) => path.resolve(cwd, f)),
    cacheDir: values.cache ? path.resolve(cwd, values.cache) : DEFAULT_CACHE,
  };
}
