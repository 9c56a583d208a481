// Bundles the CLI with esbuild into dist/edgebench.mjs, and the per-model child
// process into dist/worker.mjs beside it (the runner forks that file).
// node-llama-cpp stays external: it carries native binaries and is the one
// runtime dependency; zod, commander, canonicalize, csv-parse and eventsource-parser are bundled.

import path from "node:path";
import { build } from "esbuild";

const root = import.meta.dirname;
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  external: ["node-llama-cpp"],
  // Minified for a small, fast-starting install on boards (keepNames: error
  // classes and stack frames keep their names). The linked maps stay in dist/
  // for `node --enable-source-maps` in the repository; package.json "files"
  // keeps them out of the published package.
  minify: true,
  keepNames: true,
  sourcemap: "linked",
  logLevel: "warning",
  // Bundled CommonJS dependencies may call require(); give ESM output one.
  banner: {
    js: "import { createRequire as __edgebenchCreateRequire } from 'node:module'; const require = __edgebenchCreateRequire(import.meta.url);",
  },
};

await Promise.all([
  build({ ...common, entryPoints: [path.join(root, "src/cli/index.ts")], outfile: path.join(root, "dist/edgebench.mjs") }),
  build({ ...common, entryPoints: [path.join(root, "src/runner/worker-entry.ts")], outfile: path.join(root, "dist/worker.mjs") }),
]);
console.error("built uploader/dist/edgebench.mjs and uploader/dist/worker.mjs");
