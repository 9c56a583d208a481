/**
 * base64url without padding (RFC 4648 section 5), on plain Uint8Arrays so the
 * same code runs in Node 20 and in workerd (no Buffer there without nodejs_compat).
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Decodes strict base64url (no padding, no other alphabet, unused trailing bits
 * zero); throws on anything else. The trailing-bits rule keeps one key to one
 * text: otherwise "…A" and "…B" decode to the same key and a contributor could
 * appear under two public keys.
 */
export function decodeBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    throw new TypeError("not base64url without padding");
  }
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  if (encodeBase64Url(out) !== text) throw new TypeError("not canonical base64url (unused bits set)");
  return out;
}
