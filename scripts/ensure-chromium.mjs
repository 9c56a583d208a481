// Runs before `npm test`: the browser tests drive Debian's Chromium, which no npm
// package ships. Install it with apt-get when we are root and it is missing;
// otherwise say exactly what to do.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const CHROMIUM = process.env.EDGEBENCH_CHROMIUM || "/usr/bin/chromium";
if (!existsSync(CHROMIUM)) {
  if (process.getuid?.() === 0) {
    console.error(`[pretest] ${CHROMIUM} missing: installing Debian's chromium with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], { stdio: "inherit", env });
  } else {
    console.error(`[pretest] ${CHROMIUM} is missing. Install it: sudo apt-get install -y chromium`);
    process.exit(1);
  }
}
