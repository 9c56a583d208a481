// Command-line arguments of `npm run pack:offline`.
import path from "node:path";
import { parseArgs } from "node:util";
import { PLATFORMS } from "./pack-platforms.mjs";

export const USAGE = `usage: npm run pack:offline -- --platform <${Object.keys(PLATFORMS).join("|")}> [--with cuda|vulkan] [--out DIR] [--model FILE ...]

Writes ONE tarball for an air-gapped board: the edgebench package with its
dependencies and the platform's prebuilt llama.cpp binary bundled inside,
install.sh (installs with Node and no network), and any --model files with
their sha256. Unpack it on the board and run ./install.sh.`;

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
  };
}
