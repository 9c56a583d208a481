// Runs wrangler with the variables that keep it off the network (no metrics,
// no Request.cf fetch, no update banner); toolchain.md explains why each matters.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

export const WRANGLER_OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_HIDE_BANNER: "true",
};

const bin = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");

if (import.meta.url === `file://${process.argv[1]}`) {
  const child = spawn(process.execPath, [bin, ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, ...WRANGLER_OFFLINE_ENV },
  });
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

export { bin as wranglerBin };
