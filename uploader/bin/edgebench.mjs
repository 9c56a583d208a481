#!/usr/bin/env node
// The `edgebench` command: loads the bundled CLI from dist/ (built by
// `npm run build:uploader`, which `npm install` runs through the root prepare script).
let cli;
try {
  cli = await import("../dist/edgebench.mjs");
} catch (err) {
  if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("edgebench.mjs")) {
    process.stderr.write("edgebench: the CLI is not built yet; run `npm run build:uploader` in the repository root (npm install does it too).\n");
    process.exit(2);
  }
  throw err;
}
await cli.main(process.argv);
