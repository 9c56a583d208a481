/** The page frame: skip link, header navigation, one stylesheet, optional script. */
import { raw } from "hono/html";
import type { Child } from "hono/jsx";

/**
 * Static assets (wrangler.toml [assets], files in leaderboard/public/): Cloudflare serves them before the Worker
 * runs, with an ETag and revalidation on each use, so a deploy's new CSS is picked up at once without hashed names.
 */
const STYLESHEET = "/assets/site.css";
const SCRIPT = "/assets/site.js";

export type Section = "leaderboard" | "compare" | "api" | "other";

export function Layout(props: { title: string; section: Section; script?: boolean; description?: string; children?: Child }) {
  const nav: [Section, string, string][] = [
    ["leaderboard", "/", "Leaderboard"],
    ["compare", "/compare", "Compare"],
    ["api", "/api", "API"],
  ];
  return (
    <>
      {/* Without a doctype a browser lays the page out in quirks mode (tables, body sizing and scroll widths differ). */}
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title>{`${props.title} · edgebench`}</title>
          {props.description ? <meta name="description" content={props.description} /> : null}
          <link rel="stylesheet" href={STYLESHEET} />
          {props.script ? <script src={SCRIPT} defer></script> : null}
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="site">
            <div class="in">
              <a class="brand" href="/">
                edgebench
              </a>
              <nav class="top" aria-label="Site">
                {nav.map(([id, href, label]) => (
                  <a href={href} aria-current={props.section === id ? "page" : undefined}>
                    {label}
                  </a>
                ))}
              </nav>
            </div>
          </header>
          <main id="main" tabindex={-1}>
            {props.children}
          </main>
          <footer>
            <div class="in">
              Every figure is recomputed by the registry from the raw samples of a signed submission. <a href="/api">API and verification</a>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}
