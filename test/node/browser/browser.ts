/**
 * Debian's Chromium driven by playwright-core, launched the way toolchain.md
 * says (headless, no sandbox, no background networking). Playwright gives each
 * launch a fresh temporary profile.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { type Browser, chromium } from "playwright-core";
import { REPO_ROOT } from "../helpers/local-registry.js";

export const CHROMIUM = process.env.EDGEBENCH_CHROMIUM || "/usr/bin/chromium";
export const SCREENSHOTS = path.join(REPO_ROOT, "test-artifacts", "screenshots");

export async function launchChromium(): Promise<Browser> {
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    timeout: 60_000,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export function shot(name: string): string {
  return path.join(SCREENSHOTS, `${name}.png`);
}
