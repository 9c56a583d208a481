// `npm run bench`: runs every benchmark script in bench/ in name order, one at a
// time (two cores: concurrent benchmarks would disturb each other), and prints
// their tables. Each script prints its own figures; nothing here is a test.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const dir = path.join(import.meta.dirname, "..", "bench");
const only = process.argv.slice(2);
const scripts = readdirSync(dir)
  .filter((f) => /\.(ts|mjs)$/.test(f) && !f.startsWith("_"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const file of scripts) {
  console.log(`\n=== bench/${file}`);
  const args = file.endsWith(".ts") ? ["--import", "tsx", path.join(dir, file)] : [path.join(dir, file)];
  const r = spawnSync(process.execPath, args, { stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    console.log(`bench/${file} exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);
