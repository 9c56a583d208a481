/** The board catalogue as sourced data (db/catalogue/): citations, flags, sanity bounds and name matching. */
import { describe, expect, it } from "vitest";
import {
  BOARD_CATALOGUE,
  CATALOGUE_BY_ID,
  type CatalogueBoard,
  matchBoard,
  SOURCES,
  SOURCES_BY_ID,
  type Sourced,
  sourceList,
} from "../../../db/catalogue/index.js";
import { FIXTURE_BOARDS } from "../../fixtures/documents.js";

const figures = (b: CatalogueBoard): [string, Sourced<unknown> | null][] => [
  ["pcb", b.pcb],
  ["envelope", b.envelope],
  ["bandwidth", b.bandwidth],
  ["power", b.power],
  ["accelerators", b.accelerators],
];

const byId = (id: string): CatalogueBoard => {
  const board = CATALOGUE_BY_ID.get(id);
  if (!board) throw new Error(`no catalogue entry ${id}`);
  return board;
};

/** Every string reachable from a value (regular expressions by their source), with its path. */
function strings(value: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === "string") out.push([path, value]);
  else if (value instanceof RegExp) out.push([path, value.source]);
  else if (Array.isArray(value))
    value.forEach((v, i) => {
      strings(v, `${path}[${i}]`, out);
    });
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) strings(v, `${path}.${k}`, out);
  return out;
}

/*
 * Names boards report, with the id each must keep: stored submissions and
 * links carry these ids. A name goes to another id only where a more specific
 * entry exists for it (listed separately below).
 */
const PREVIOUS_MATCHES: [string, string | null][] = [
  ["Raspberry Pi 5 Model B Rev 1.0", "raspberry-pi-5"],
  ["Raspberry Pi 5 (8 GB)", "raspberry-pi-5"],
  ["Raspberry Pi 4 Model B Rev 1.4", "raspberry-pi-4-model-b"],
  ["Raspberry Pi 3 Model B", null],
  ["NVIDIA Jetson Orin Nano Engineering Reference Developer Kit Super", "jetson-orin-nano-devkit"],
  ["NVIDIA Jetson Orin Nano Developer Kit", "jetson-orin-nano-devkit"],
  ["Jetson AGX Orin Developer Kit", "jetson-agx-orin-devkit"],
  ["Orange Pi 5", "orange-pi-5"],
  ["Orange Pi 5 Plus", "orange-pi-5-plus"],
  ["Orange Pi 5 Max", "orange-pi-5-max"],
  ["Orange Pi 5 Pro", null],
  ["Radxa ROCK 5B", "radxa-rock-5b"],
  ["Radxa ROCK 5 Model B", "radxa-rock-5b"],
  ["Radxa ZERO 3W", "radxa-zero-3"],
  ["Khadas VIM3", "khadas-vim3-vim4"],
  ["Khadas VIM4", "khadas-vim3-vim4"],
  ["LattePanda 3 Delta", "lattepanda-3-delta"],
  ["NUC11TNHi5", "intel-nuc-4x4"],
  ["Intel(R) Client Systems NUC11TNHi5", "intel-nuc-4x4"],
  ["Mac mini (M4, 2024)", "apple-mac-mini-m4-2024"],
  ["Mac16,10", "apple-mac-mini-m4-2024"],
  ["Mac16,11", "apple-mac-mini-m4-2024"],
  ["Acme EdgeBox X1", null],
];

describe("board catalogue data", () => {
  it("cites at least one known, titled source for every figure", () => {
    for (const board of BOARD_CATALOGUE) {
      for (const [field, figure] of figures(board)) {
        if (!figure) continue;
        expect(figure.sources.length, `${board.id}.${field}`).toBeGreaterThan(0);
        for (const id of figure.sources) {
          const source = SOURCES_BY_ID.get(id);
          expect(source, `${board.id}.${field} cites ${id}`).toBeDefined();
          expect(source!.title.trim().length, id).toBeGreaterThan(0);
        }
        if (figure.derived) expect(figure.note, `${board.id}.${field} is derived: the note says from what`).toBeTruthy();
      }
    }
  });

  it("gives every source an https URL or an explicit null, keyed by its own id", () => {
    for (const [key, source] of Object.entries(SOURCES)) {
      expect(source.id).toBe(key);
      expect(source.url === null || /^https:\/\/[^\s]+$/.test(source.url), `${key}: ${source.url}`).toBe(true);
    }
  });

  it("lists only sources some entry cites", () => {
    const cited = new Set(BOARD_CATALOGUE.flatMap((b) => sourceList(b).map((s) => s.id)));
    expect([...SOURCES_BY_ID.keys()].filter((id) => !cited.has(id))).toEqual([]);
  });

  it("never points users at material outside the public sources", () => {
    const internal = ["shared/", "reference/"];
    for (const [path, text] of strings(BOARD_CATALOGUE, "boards")) {
      for (const bad of [...internal, ".md"]) expect(text.toLowerCase(), path).not.toContain(bad);
    }
    // Source URLs may end in .md (a public repository's file at a commit); nothing else in a source may.
    for (const [path, text] of strings(SOURCES, "sources")) {
      for (const bad of internal) expect(text.toLowerCase(), path).not.toContain(bad);
      expect(text.replace(/https:\/\/\S+/g, "").toLowerCase(), path).not.toContain(".md");
    }
  });

  it("has unique slug ids", () => {
    const ids = BOARD_CATALOGUE.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(CATALOGUE_BY_ID.size).toBe(ids.length);
  });

  it("keeps sizes and bandwidths within physical sense", () => {
    for (const board of BOARD_CATALOGUE) {
      const dims = [
        ...(board.pcb ? [board.pcb.value.widthMm, board.pcb.value.depthMm] : []),
        ...(board.envelope ? [board.envelope.value.widthMm, board.envelope.value.depthMm, board.envelope.value.heightMm] : []),
      ];
      for (const mm of dims) {
        expect(mm, board.id).toBeGreaterThan(0);
        expect(mm, board.id).toBeLessThan(1000);
      }
      if (board.bandwidth) {
        expect(board.bandwidth.value.bytesPerSecond, board.id).toBeGreaterThanOrEqual(1e9);
        expect(board.bandwidth.value.bytesPerSecond, board.id).toBeLessThanOrEqual(1000e9);
      }
      // No envelope means no sourced height: the note says so, so the site can ask for a declared one.
      if (!board.envelope) expect(board.envelopeNote, board.id).toMatch(/height|declare|envelope/i);
      expect(board.envelopeNote.trim().length, board.id).toBeGreaterThan(0);
    }
  });

  it("flags the figures the research marks unverified or derived", () => {
    expect(byId("jetson-orin-nano-devkit").envelope).toMatchObject({ unverified: true });
    expect(byId("jetson-agx-orin-devkit").envelope).toMatchObject({ unverified: true });
    expect(byId("raspberry-pi-4-model-b").pcb).toMatchObject({ unverified: true });
    expect(byId("radxa-rock-5b").bandwidth).toMatchObject({ unverified: true, derived: true });
    expect(byId("orange-pi-5").bandwidth).toMatchObject({ unverified: true, derived: true });
    expect(byId("orange-pi-5").power).toMatchObject({ unverified: true });
    expect(byId("orange-pi-5-max").bandwidth).toMatchObject({ unverified: true, derived: true });
    expect(byId("intel-nuc-13-pro").bandwidth).toMatchObject({ unverified: true, derived: true });
    expect(byId("apple-mac-mini-m4-2024").power).toMatchObject({ unverified: true });
    // Vendor-stated figures are not flagged.
    expect(byId("raspberry-pi-5").bandwidth).toMatchObject({ unverified: false, value: { bytesPerSecond: 17e9 } });
    expect(byId("radxa-rock-5b").pcb).toMatchObject({ unverified: false, value: { widthMm: 100, depthMm: 75 } });
    expect(byId("seeed-recomputer-j4012").envelope).toMatchObject({ unverified: false, value: { widthMm: 130, depthMm: 120, heightMm: 58.5 } });
  });

  it("leaves unknown and disputed figures empty", () => {
    // The research calls these unknown (the old CAD-derived sizes had no public source) or unresolved.
    for (const id of ["orange-pi-5", "orange-pi-5-plus", "orange-pi-5-max", "khadas-vim3-vim4", "radxa-rock-4d", "qualcomm-rb3-gen2"]) {
      expect(byId(id).pcb, id).toBeNull();
    }
    const noBandwidth = [
      "raspberry-pi-4-model-b",
      "radxa-rock-4d",
      "radxa-zero-3",
      "khadas-vim3-vim4",
      "lattepanda-3-delta",
      "lattepanda-sigma",
      "google-coral-dev-board",
    ];
    for (const id of noBandwidth) {
      expect(byId(id).bandwidth, id).toBeNull();
    }
    expect(byId("raspberry-pi-5").envelope).toBeNull();
    expect(byId("qualcomm-rb5")).toMatchObject({ pcb: null, envelope: null, bandwidth: null, power: null });
  });

  it("keeps unified memory for Jetson and Apple only", () => {
    const unified = BOARD_CATALOGUE.filter((b) => b.bandwidth?.value.unified).map((b) => b.id);
    expect(unified.sort()).toEqual(
      ["apple-mac-mini-m4-2024", "jetson-agx-orin-devkit", "jetson-orin-nano-devkit", "jetson-orin-nx-16gb", "seeed-recomputer-j4012"].sort(),
    );
  });

  it("lists an entry's sources once each, in first-cited order", () => {
    const pi5 = sourceList(byId("raspberry-pi-5")).map((s) => s.id);
    expect(pi5).toEqual(["45", "46", "1", "5", "2", "6", "44", "9", "8"]);
    expect(sourceList(byId("intel-nuc-4x4"))).toEqual([]);
  });
});

describe("matching submitted board names", () => {
  it("maps every fixture board to the id the previous matcher gave", () => {
    const previous = new Map(PREVIOUS_MATCHES);
    for (const [key, fixture] of Object.entries(FIXTURE_BOARDS)) {
      const name = fixture.system.board.name;
      expect(previous.has(name), `fixture ${key} (${name}) is in the checked table`).toBe(true);
      expect(matchBoard(name)?.id ?? null, `${key}: ${name}`).toBe(previous.get(name));
    }
  });

  it("keeps every previously matched name on the same id", () => {
    for (const [name, id] of PREVIOUS_MATCHES) expect(matchBoard(name)?.id ?? null, name).toBe(id);
  });

  it("matches new, more specific boards before the general ones", () => {
    const cases: [string, string | null][] = [
      ["Radxa ROCK 5B+", "radxa-rock-5b-plus"],
      ["Radxa ROCK 5B Plus", "radxa-rock-5b-plus"],
      ["NUC13ANHi7", "intel-nuc-13-pro"],
      ["Intel NUC 13 Pro", "intel-nuc-13-pro"],
      ["Radxa ROCK 4D", "radxa-rock-4d"],
      ["LattePanda Sigma", "lattepanda-sigma"],
      ["reComputer J4012", "seeed-recomputer-j4012"],
      ["Google i.MX8MQ Phanbell", "google-coral-dev-board"],
      ["Coral Dev Board", "google-coral-dev-board"],
      ["Coral Dev Board Mini", null],
      ["Google Coral Edge TPU (USB)", null],
      ["Qualcomm Technologies, Inc. Robotics RB3gen2", "qualcomm-rb3-gen2"],
      ["Qualcomm Technologies, Inc. Robotics RB5", "qualcomm-rb5"],
    ];
    for (const [name, id] of cases) expect(matchBoard(name)?.id ?? null, name).toBe(id);
  });

  it("normalises whitespace", () => {
    expect(matchBoard("  Raspberry Pi\t5\n Model B ")?.id).toBe("raspberry-pi-5");
    expect(matchBoard("Orange  Pi 5  Plus")?.id).toBe("orange-pi-5-plus");
  });

  it("never matches add-ons or modules, even by their own names", () => {
    const unmatched = BOARD_CATALOGUE.filter((b) => b.kind === "addon" || b.kind === "module");
    expect(unmatched.map((b) => b.id).sort()).toEqual(["jetson-orin-nx-16gb", "raspberry-pi-ai-hat-plus", "raspberry-pi-ai-hat-plus-2"]);
    for (const board of unmatched) {
      expect(board.match, board.id).toEqual([]);
      expect(matchBoard(board.name)?.id ?? null, board.name).not.toBe(board.id);
    }
    expect(matchBoard("NVIDIA Jetson Orin NX 16GB")).toBeNull();
  });
});
