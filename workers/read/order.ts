/**
 * How the catalogue's names sort for a reader: numbers inside a name by value
 * ("Jetson Orin Nano 8GB" before "Jetson Orin Nano 16GB"), letter case aside.
 * SQLite has no such collation, so lists are ordered here.
 */
const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** Natural name order. */
export function byName(a: { name: string }, b: { name: string }): number {
  return collator.compare(a.name, b.name);
}

/** Most submissions first, natural name order for ties. */
export function byCountThenName(a: { submissions: number; name: string }, b: { submissions: number; name: string }): number {
  return b.submissions - a.submissions || byName(a, b);
}
