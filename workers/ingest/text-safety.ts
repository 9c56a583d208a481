/**
 * Characters no result document needs and that would harm whoever displays
 * or processes it, refused (400) anywhere in the document (keys and values):
 * - C0 controls other than tab, line feed and carriage return (NUL truncates
 *   strings in C tools and terminals; ESC starts terminal escape sequences),
 *   DEL and the C1 controls U+0080-U+009F;
 * - bidirectional embeddings, overrides and isolates (U+202A-U+202E,
 *   U+2066-U+2069): "Trojan Source" style reordering of a board or model
 *   name on the leaderboard;
 * - lone UTF-16 surrogates (not Unicode text at all; they cannot be encoded
 *   as UTF-8 and would be stored as U+FFFD, changing the signed bytes' meaning)
 *   and the noncharacters U+FFFE / U+FFFF.
 * Ordinary Unicode (accents, CJK, emoji) is welcome.
 */
import type { PlausibilityReason } from "./plausibility.js";

// eslint-disable-next-line no-control-regex
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this regex exists to find and refuse.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function describe(s: string): string {
  const m = UNSAFE.exec(s);
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` : "";
}

/** Every string (and object key) in the value holding an unsafe character, with its path. At most `max` reported. */
export function unsafeText(value: unknown, max = 10): PlausibilityReason[] {
  const out: PlausibilityReason[] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (out.length >= max) return;
    if (typeof v === "string") {
      if (UNSAFE.test(v)) out.push({ rule: "unsafe_characters", message: `text contains the control/format character ${describe(v)}`, path });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => {
        walk(x, [...path, i]);
      });
    } else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (UNSAFE.test(k)) out.push({ rule: "unsafe_characters", message: `a key contains the control/format character ${describe(k)}`, path });
        walk(x, [...path, k]);
      }
    }
  };
  walk(value, []);
  return out;
}
