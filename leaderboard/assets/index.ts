/**
 * Static assets served by the Worker itself (no CDN). Paths carry a hash of the
 * content so they can be cached for a year and still change on deploy.
 */
import { CHART_JS } from "./chart-js.js";
import { SITE_CSS } from "./site-css.js";

/** FNV-1a over the text: a short, stable cache-busting tag (not a security hash). */
function tag(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

export interface Asset {
  path: string;
  type: string;
  body: string;
}

export const CSS_ASSET: Asset = { path: `/assets/site.${tag(SITE_CSS)}.css`, type: "text/css; charset=utf-8", body: SITE_CSS };
export const JS_ASSET: Asset = { path: `/assets/site.${tag(CHART_JS)}.js`, type: "text/javascript; charset=utf-8", body: CHART_JS };
export const ASSETS: readonly Asset[] = [CSS_ASSET, JS_ASSET];
