/**
 * The board catalogue, seeded from shared/reference/boards.md: physical size
 * (for the tokens/s-per-litre axis) and typical power, each with its source.
 *
 * Rules kept from the reference:
 * - Figures the reference marks "(unverified)" carry `unverified: true`, and the
 *   site must show them as such.
 * - An envelope needs all three dimensions. Where the reference gives no height
 *   (a bare PCB whose height depends on the cooler, or a chassis given as a
 *   range) no height is invented: `envelope` is null, the size metric is not
 *   available for that board unless the submission declares an envelope, and
 *   `envelopeNote` says why.
 * - Add-ons (the Hailo AI HAT+) are listed for reference but never matched as
 *   the board a result ran on.
 */
import type { Envelope } from "@edgebench/contract";

export interface CatalogueEnvelope {
  widthMm: number;
  depthMm: number;
  heightMm: number;
}

export interface CatalogueBoard {
  /** Stable slug used in URLs and as boards.id. */
  id: string;
  name: string;
  vendor: string;
  kind: "board" | "addon" | "computer";
  /** PCB (or carrier) footprint in mm, width x depth, where the reference gives one. */
  pcbMm: { widthMm: number; depthMm: number } | null;
  /** Full envelope used for the size axis; null when the reference gives no height. */
  envelope: CatalogueEnvelope | null;
  /** Why there is no envelope, or what the envelope includes. */
  envelopeNote: string;
  /** Where the size figures come from. */
  source: string;
  /** True where the reference marks the size figures "(unverified)". */
  unverified: boolean;
  /** Typical power as the reference states it (text: ranges and modes, not a measurement). */
  typicalPower: string | null;
  /**
   * Patterns matched against the submitted board name (device-tree model, DMI
   * product name or the contributor's own text). Checked in catalogue order,
   * so more specific boards (Orange Pi 5 Plus) come before general ones.
   */
  match: readonly RegExp[];
}

const REFERENCE = "shared/reference/boards.md";

export const BOARD_CATALOGUE: readonly CatalogueBoard[] = [
  {
    id: "raspberry-pi-5",
    name: "Raspberry Pi 5",
    vendor: "Raspberry Pi",
    kind: "board",
    pcbMm: { widthMm: 85, depthMm: 56 },
    envelope: null,
    envelopeNote: "PCB 85 x 56 mm, 1.65 mm thick; the height depends on the cooler, so declare the envelope to rank on size.",
    source: `official docs (${REFERENCE})`,
    unverified: false,
    typicalPower: "27 W official PSU; idle about 2-5 W, 7-14 W under load",
    match: [/\braspberry ?pi 5\b/i],
  },
  {
    id: "raspberry-pi-4-model-b",
    name: "Raspberry Pi 4 Model B",
    vendor: "Raspberry Pi",
    kind: "board",
    pcbMm: { widthMm: 85, depthMm: 56 },
    envelope: null,
    envelopeNote: "PCB 85 x 56 mm; no height in the reference, so declare the envelope to rank on size.",
    source: REFERENCE,
    unverified: false,
    typicalPower: "15 W PSU",
    match: [/\braspberry ?pi 4\b/i],
  },
  {
    id: "jetson-orin-nano-devkit",
    name: "NVIDIA Jetson Orin Nano dev kit",
    vendor: "NVIDIA",
    kind: "board",
    pcbMm: { widthMm: 100, depthMm: 79 },
    envelope: { widthMm: 100, depthMm: 79, heightMm: 21 },
    envelopeNote: "Carrier board 100 x 79 mm, about 21 mm tall (unverified); the module is 69.6 x 45 mm.",
    source: REFERENCE,
    unverified: true,
    typicalPower: "power modes 7 / 15 W; 25 W in \"Super\" mode",
    match: [/\bjetson orin nano\b/i],
  },
  {
    id: "jetson-agx-orin-devkit",
    name: "NVIDIA Jetson AGX Orin dev kit",
    vendor: "NVIDIA",
    kind: "board",
    pcbMm: null,
    envelope: { widthMm: 110, depthMm: 110, heightMm: 71.65 },
    envelopeNote: "110 x 110 x 71.65 mm including the heatsink.",
    source: `community CAD (${REFERENCE})`,
    unverified: false,
    typicalPower: "module 15-60 W",
    match: [/\bjetson agx orin\b/i],
  },
  {
    id: "orange-pi-5-plus",
    name: "Orange Pi 5 Plus",
    vendor: "Orange Pi",
    kind: "board",
    pcbMm: { widthMm: 100, depthMm: 75 },
    envelope: null,
    envelopeNote: "PCB 100 x 75 mm (unverified); no height in the reference, so declare the envelope to rank on size.",
    source: REFERENCE,
    unverified: true,
    typicalPower: null,
    match: [/\borange ?pi 5 ?plus\b/i],
  },
  {
    id: "orange-pi-5-max",
    name: "Orange Pi 5 Max",
    vendor: "Orange Pi",
    kind: "board",
    pcbMm: { widthMm: 89, depthMm: 57 },
    envelope: null,
    envelopeNote: "PCB 89 x 57 mm (CAD); no height in the reference, so declare the envelope to rank on size.",
    source: `CAD (${REFERENCE})`,
    unverified: false,
    typicalPower: null,
    match: [/\borange ?pi 5 ?max\b/i],
  },
  {
    id: "orange-pi-5",
    name: "Orange Pi 5",
    vendor: "Orange Pi",
    kind: "board",
    pcbMm: { widthMm: 100, depthMm: 62 },
    envelope: null,
    envelopeNote: "PCB 100 x 62 mm (CAD); no height in the reference, so declare the envelope to rank on size.",
    source: `CAD (${REFERENCE})`,
    unverified: false,
    typicalPower: "RK3588 idle about 1.5-5 W depending on kernel",
    // Not the Plus, Max, Pro or 5B: those are different boards.
    match: [/\borange ?pi 5(?! ?(plus|max|pro|b\b|ultra))\b/i],
  },
  {
    id: "radxa-rock-5b",
    name: "Radxa ROCK 5B",
    vendor: "Radxa",
    kind: "board",
    pcbMm: { widthMm: 100, depthMm: 72 },
    envelope: null,
    envelopeNote: "100 x 72 mm per vendor (CAD: 100.2 x 74.25 mm) (unverified); no height in the reference, so declare the envelope to rank on size.",
    source: `vendor and CAD (${REFERENCE})`,
    unverified: true,
    typicalPower: null,
    match: [/\brock ?5 ?b\b/i, /\brock ?5 model b\b/i],
  },
  {
    id: "radxa-zero-3",
    name: "Radxa Zero 3W / 3E",
    vendor: "Radxa",
    kind: "board",
    pcbMm: { widthMm: 65, depthMm: 30 },
    envelope: null,
    envelopeNote: "PCB 65 x 30 mm (unverified); no height in the reference, so declare the envelope to rank on size.",
    source: REFERENCE,
    unverified: true,
    typicalPower: null,
    match: [/\bradxa zero ?3/i],
  },
  {
    id: "raspberry-pi-ai-hat-plus",
    name: "Raspberry Pi AI HAT+ (Hailo-8L 13 TOPS / Hailo-8 26 TOPS)",
    vendor: "Raspberry Pi",
    kind: "addon",
    pcbMm: { widthMm: 65, depthMm: 56.5 },
    envelope: null,
    envelopeNote: "Add-on of 65 x 56.5 mm (unverified): it adds height to a Pi 5 stack; declare the stack's envelope.",
    source: REFERENCE,
    unverified: true,
    typicalPower: "about 2.5 W typical (unverified)",
    match: [],
  },
  {
    id: "khadas-vim3-vim4",
    name: "Khadas VIM3 / VIM4",
    vendor: "Khadas",
    kind: "board",
    pcbMm: { widthMm: 82, depthMm: 58 },
    envelope: { widthMm: 82, depthMm: 58, heightMm: 11.5 },
    envelopeNote: "82 x 58 x 11.5 mm per vendor (CAD: 82 x 56 mm) (unverified).",
    source: `vendor and CAD (${REFERENCE})`,
    unverified: true,
    typicalPower: null,
    match: [/\bkhadas vim ?[34]\b/i, /^vim[34]\b/i],
  },
  {
    id: "lattepanda-3-delta",
    name: "LattePanda 3 Delta",
    vendor: "DFRobot",
    kind: "board",
    pcbMm: { widthMm: 125, depthMm: 78 },
    envelope: { widthMm: 125, depthMm: 78, heightMm: 16 },
    envelopeNote: "125 x 78 x 16 mm (unverified).",
    source: REFERENCE,
    unverified: true,
    typicalPower: null,
    match: [/\blattepanda 3 delta\b/i],
  },
  {
    id: "intel-nuc-4x4",
    name: "Intel NUC (4x4)",
    vendor: "Intel",
    kind: "computer",
    pcbMm: { widthMm: 101.6, depthMm: 101.6 },
    envelope: null,
    envelopeNote: "Board 101.6 x 101.6 mm; chassis about 117 x 112 x 37-54 mm depending on the model (unverified), so declare the envelope to rank on size.",
    source: REFERENCE,
    unverified: true,
    typicalPower: null,
    match: [/\bnuc ?\d{1,2}[a-z]/i, /\bintel nuc\b/i],
  },
  {
    id: "apple-mac-mini-m4-2024",
    name: "Apple Mac mini (M4, 2024)",
    vendor: "Apple",
    kind: "computer",
    pcbMm: null,
    envelope: { widthMm: 127, depthMm: 127, heightMm: 50 },
    envelopeNote: "127 x 127 x 50 mm chassis.",
    source: `vendor spec (${REFERENCE})`,
    unverified: false,
    typicalPower: "about 4-6 W idle, 40-45 W max measured; 65 W rated",
    // Mac16,10 / Mac16,11 are the M4 / M4 Pro Mac mini model identifiers.
    match: [/\bmac ?mini\b.*\b(m4|2024)\b/i, /^mac16,1[01]$/i],
  },
];

export const CATALOGUE_BY_ID: ReadonlyMap<string, CatalogueBoard> = new Map(BOARD_CATALOGUE.map((b) => [b.id, b]));

/** A URL-safe slug: lowercase ASCII letters and digits joined by single dashes. */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return slug || "unknown";
}

/** The catalogue entry a submitted board name refers to, or null. */
export function matchBoard(submittedName: string): CatalogueBoard | null {
  const name = submittedName.replace(/\s+/g, " ").trim();
  for (const board of BOARD_CATALOGUE) {
    if (board.kind !== "addon" && board.match.some((re) => re.test(name))) return board;
  }
  return null;
}

/** The board id stored for a submission: the catalogue id, else a slug of the submitted name. */
export function boardIdFor(submittedName: string): { id: string; name: string; catalogue: CatalogueBoard | null } {
  const entry = matchBoard(submittedName);
  return entry ? { id: entry.id, name: entry.name, catalogue: entry } : { id: slugify(submittedName), name: submittedName, catalogue: null };
}

/**
 * The envelope the registry uses for the size metric: the document's own when
 * the contributor declared one; otherwise the catalogue's (labelled
 * "catalogue"). A document claiming source "catalogue" gets the registry's
 * catalogue figure, not its own copy. Null when neither is known.
 */
export function resolveEnvelope(declared: Envelope | undefined, entry: CatalogueBoard | null): Envelope | null {
  if (declared && declared.source === "declared") return declared;
  if (entry?.envelope) {
    return {
      ...entry.envelope,
      source: "catalogue",
      note: `${entry.name}: ${entry.envelopeNote} Source: ${entry.source}.`.slice(0, 1024),
    };
  }
  return null;
}
