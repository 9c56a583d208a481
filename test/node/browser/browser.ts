/**
 * Debian's Chromium driven by playwright-core, launched the way toolchain.md
 * says (headless, no sandbox, no background networking). Playwright gives each
 * launch a fresh temporary profile.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
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

/** A page in a fresh context: a 1280 px wide window unless told, JavaScript on unless told, light or dark scheme. */
export async function openPage(browser: Browser, url: string, options: { js?: boolean; width?: number; dark?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
    javaScriptEnabled: options.js ?? true,
    colorScheme: options.dark ? "dark" : "light",
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(url);
  return page;
}
