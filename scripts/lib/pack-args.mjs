// Command-line arguments of `npm run pack:offline`.
import path from "node:path";
import { parseArgs } from "node:util";
import { PLATFORMS } from "./pack-platforms.mjs";
import { DEFAULT_CACHE } from "./release-fetch.mjs";

export const USAGE = `usage: npm run pack:offline -- --platform <${Object.keys(PLATFORMS).join("|")}> [--with cuda|vulkan] [--out DIR]
                               [--model FILE ...] [--key FILE] [--node-dist FILE] [--cache DIR]

Writes ONE tarball for an air-gapped board: the platform's release archive
(its own Node.js, the uploader, the prebuilt llama.cpp) with SHA256SUMS and its
signature, install.sh (needs no Node and no network), and any --model files
with their sha256. Unpack it on the board and run ./install.sh.
--key, --node-dist and --cache are those of npm run release (docs/release.md).`;

/** Parses argv (without node and the script); throws with the usage on bad input. */
export function parsePackArgs(argv, cwd = process.cwd()) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        platform: { type: "string" },
        with: { type: "string", multiple: true },
        out: { type: "string" },
        model: { type: "string", multiple: true },
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
  if (!values.platform) throw new Error(`--platform is required\n\n${USAGE}`);
  return {
    help: false,
    platform: values.platform,
    withGpu: (values.with ?? []).flatMap((w) => w.split(",")).filter(Boolean),
    outDir: path.resolve(cwd, values.out ?? ".tmp/offline"),
    models: (values.model ?? []).map((m) => path.resolve(cwd, m)),
    keyFile: values.key ? path.resolve(cwd, values.key) : undefined,
    nodeDists: (values["node-dist"] ?? []).map((f) => path.resolve(cwd, f)),
    cacheDir: values.cache ? path.resolve(cwd, values.cache) : DEFAULT_CACHE,
  };
}
