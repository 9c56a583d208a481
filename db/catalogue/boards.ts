/**
 * The board catalogue as data: every figure carries the public sources it
 * comes from (ids into sources.ts) and how far it can be trusted.
 *
 * Rules the entries follow:
 * - A figure the research marks "(unverified)" (a single non-vendor source,
 *   or a vendor page seen only through a third party) has `unverified: true`,
 *   and the site shows it as such. Where one text field mixes vendor and
 *   unverified statements, the flag follows its main claim and the text tags
 *   the unverified parts inline.
 * - `derived` marks arithmetic on sourced inputs (bandwidth = transfer rate x
 *   bus width); `note` says which inputs.
 * - Where nothing was found a figure is null, never estimated. In particular
 *   an envelope needs a sourced height, and bandwidth stays null where the bus
 *   width or rate is unknown or disputed.
 * - Add-ons and modules are listed for their figures but never matched as the
 *   board a result ran on (`match: []`).
 * - Ids are stored as boards.id and appear in URLs: they never change.
 */

export type SourceId = string;

/**
 * One figure with where it comes from. `unverified`: the reference marks it "(unverified)" (single non-vendor source).
 * `derived`: arithmetic on sourced inputs (say which in `note`).
 */
export interface Sourced<T> {
  value: T;
  sources: readonly SourceId[];
  unverified: boolean;
  derived?: boolean;
  note?: string;
}

export interface CatalogueBoard {
  /** Stable slug used in URLs and stored as boards.id: NEVER change an existing id. */
  id: string;
  name: string;
  vendor: string;
  kind: "board" | "addon" | "computer" | "module";
  /** Board (PCB/carrier) footprint in mm, width x depth: the tokens/s-per-cm² axis uses it. */
  pcb: Sourced<{ widthMm: number; depthMm: number }> | null;
  /** Full envelope (width x depth x height, mm) for tokens/s per litre; null where no height is sourced (never invent one). */
  envelope: Sourced<{ widthMm: number; depthMm: number; heightMm: number }> | null;
  /** Why there is no envelope, or what the envelope includes (which configuration: bare board, with cooler, in a case, dev kit as shipped...). */
  envelopeNote: string;
  /** Peak DRAM bandwidth (theoretical) for the generation roofline; `unified`: every processor that can run the model shares this memory. */
  bandwidth: Sourced<{ bytesPerSecond: number; unified: boolean }> | null;
  /** Power as the reference states it (idle/load/PSU text), not a measurement. */
  power: Sourced<string> | null;
  /** CPU/GPU/NPU summary as the reference states it. */
  accelerators: Sourced<string> | null;
  /** Matched against the submitted board name (device-tree model, DMI product name or typed text), in catalogue order. */
  match: readonly RegExp[];
}

const GB = 1e9;

/** Peak bytes/s of a DRAM interface: transfers per second x bus width in bytes. */
const peak = (megaTransfers: number, busBits: number): number => megaTransfers * 1e6 * (busBits / 8);

/*
 * RK3588 / RK3588S: the memory interface is quad-channel x 16-bit, i.e. 64-bit
 * [27]. The transfer rate is what the DDR loader trains, seen only in
 * community boot logs: LPDDR4X at 4224 MT/s [28a]; LPDDR5 at 4800 MT/s with
 * newer loaders or 5472 MT/s with older ones [28b]. For LPDDR5 boards the
 * bandwidth is the 5472 MT/s figure, the peak the board can be run at (the
 * roofline needs the most generous figure), with 4800 MT/s in the note.
 */
const RK3588_LPDDR4X = peak(4224, 64);
const RK3588_LPDDR5 = peak(5472, 64);

export const BOARDS: readonly CatalogueBoard[] = [
  {
    id: "raspberry-pi-5",
    name: "Raspberry Pi 5",
    vendor: "Raspberry Pi",
    kind: "board",
    pcb: {
      value: { widthMm: 85, depthMm: 56 },
      sources: ["45", "46"],
      unverified: false,
      note: "Raspberry Pi's mechanical drawing is linked but was not read; two community CAD files agree on 85 x 56 mm.",
    },
    envelope: null,
    envelopeNote:
      "No sourced height for the bare board, with the official Active Cooler (an aluminium heatsink with a radial blower on push pins) " +
      "or in the official case: declare the envelope to rank on size.",
    bandwidth: {
      value: { bytesPerSecond: 17 * GB, unified: false },
      sources: ["1", "5"],
      unverified: false,
      note: 'Vendor-stated "up to 17GB/s" from the 32-bit LPDDR4X interface, the same for every RAM size; LPDDR4X-4267 x 32-bit = 17.07 GB/s.',
    },
    power: {
      value:
        "USB-C 5 V at 5 A (25 W), or 5 V at 3 A with USB peripherals limited to 600 mA. Typical bare-board active current 800 mA, " +
        "recommended PSU 5.0 A (vendor page not read). Official supply 27 W, 5.1 V / 5 A (unverified). One reviewer at the wall: " +
        "2.8 W idle, 9.7 W under stress-ng (unverified). The Active Cooler's fan is off below 50 °C and at full speed at 75 °C, " +
        "which shows in idle readings.",
      sources: ["2", "6", "44", "9", "8"],
      unverified: false,
    },
    accelerators: {
      value: "CPU 4x Cortex-A76 at 2.4 GHz; GPU VideoCore VII, 12 cores (960 MHz per the BCM2712 page, 800 MHz per the Pi 5 page); no NPU.",
      sources: ["1", "5"],
      unverified: false,
    },
    match: [/\braspberry ?pi 5\b/i],
  },
  {
    id: "raspberry-pi-4-model-b",
    name: "Raspberry Pi 4 Model B",
    vendor: "Raspberry Pi",
    kind: "board",
    pcb: {
      value: { widthMm: 85, depthMm: 56 },
      sources: ["48"],
      unverified: true,
      note: "Per Raspberry Pi's mechanical drawing RP-008343-DS, as cited by a third-party file.",
    },
    envelope: null,
    envelopeNote: "No sourced height: declare the envelope to rank on size.",
    // Unresolved: LPDDR4-2400 per the BCM2711 page [3] but LPDDR4-3200 per the
    // product spec page (seen only quoted, unverified) [4b], on a bus whose
    // width only the press states (32-bit) [45]: 9.6 or 12.8 GB/s. Neither is
    // picked, so no figure.
    bandwidth: null,
    power: {
      value:
        "Vendor measurements (June 2019, with HDMI, keyboard, mouse and Ethernet connected): idle 0.6 A average; stress 1.2 A average, " +
        "1.25 A maximum (about 3.1 W idle and 6.4 W maximum at 5.1 V, derived). Typical bare-board active current 600 mA, " +
        "recommended PSU 3.0 A; USB-C 5 V at 3 A (15 W). One reviewer at the wall: 1.6 W idle, 5.0 W under stress-ng (unverified).",
      sources: ["4", "2", "9"],
      unverified: false,
    },
    accelerators: {
      value: "CPU 4x Cortex-A72 at 1.5 GHz; GPU VideoCore VI; no NPU.",
      sources: ["3"],
      unverified: false,
    },
    match: [/\braspberry ?pi 4\b/i],
  },
  {
    id: "raspberry-pi-ai-hat-plus",
    name: "Raspberry Pi AI HAT+ (Hailo-8L 13 TOPS / Hailo-8 26 TOPS)",
    vendor: "Raspberry Pi",
    kind: "addon",
    pcb: {
      value: { widthMm: 66, depthMm: 56.5 },
      sources: ["7"],
      unverified: false,
      note: 'Approximate ("all measurements approximate"); the NPU\'s metal can is about 17 x 17 mm.',
    },
    envelope: null,
    envelopeNote:
      "Add-on: it mounts on a Raspberry Pi 5 with four threaded spacers and a GPIO stacking header, over an Active Cooler if one is fitted. " +
      "The spacer and total stack heights are not sourced: declare the stack's envelope.",
    // No DRAM of its own: it uses the Raspberry Pi 5's memory over PCIe [7].
    bandwidth: null,
    // No vendor power figure; a secondary page's "2.5 TOPS/W, up to 10.4 W" is not credible and is not used.
    power: null,
    accelerators: {
      value:
        "Hailo-8L: 13 TOPS INT8; Hailo-8: 26 TOPS INT8. No memory of its own: it uses the Raspberry Pi 5's, over the Pi 5's single PCIe 2.0 lane.",
      sources: ["7", "5"],
      unverified: false,
    },
    match: [],
  },
  {
    id: "raspberry-pi-ai-hat-plus-2",
    name: "Raspberry Pi AI HAT+ 2 (Hailo-10H, 40 TOPS INT4)",
    vendor: "Raspberry Pi",
    kind: "addon",
    pcb: {
      value: { widthMm: 66, depthMm: 56.5 },
      sources: ["7", "12"],
      unverified: false,
      note: "Approximate, per Raspberry Pi. The press gives 56.7 x 65.1 x 5.5 mm and 19 g (unverified).",
    },
    envelope: null,
    envelopeNote:
      "Add-on: about 14 mm tall with its push pins, 3.2 mm without; the supplied heatsink is about 42.5 x 64 mm. " +
      "The total stack height on a Raspberry Pi 5 is not sourced: declare the stack's envelope.",
    // 8 GB on board [7], but its bus width is not published (Hailo's own 10H documents give no speed [12]).
    bandwidth: null,
    power: {
      value: "Hailo-10H at most 3 W per a reviewer (unverified); no vendor figure.",
      sources: ["13"],
      unverified: true,
    },
    accelerators: {
      value:
        'Hailo-10H: 40 TOPS INT4 (a reviewer writes "40 TOPS INT8", unverified and in conflict with the vendor), with 8 GB of on-board memory ' +
        "(LPDDR4X-4267 per the press, unverified). Runs LLMs and VLMs of up to about 6 billion parameters per the vendor.",
      sources: ["7", "12", "13"],
      unverified: false,
    },
    match: [],
  },
  {
    id: "jetson-orin-nano-devkit",
    name: "NVIDIA Jetson Orin Nano dev kit",
    vendor: "NVIDIA",
    kind: "board",
    pcb: {
      value: { widthMm: 100, depthMm: 79 },
      sources: ["52", "15"],
      unverified: true,
      note: "Carrier board P3768, per a secondary page. The module is 69.6 x 45 mm, 260-pin SO-DIMM (datasheet copy, unverified).",
    },
    envelope: {
      value: { widthMm: 103, depthMm: 90.5, heightMm: 34.77 },
      sources: ["16"],
      unverified: true,
      note:
        "NVIDIA's Super dev-kit datasheet figure (0.324 L), as reported by a reseller citing NVIDIA; NVIDIA's own pages were not read. " +
        "NVIDIA's family spec table gives 100 x 79 x 21 mm (0.166 L) for the same kit.",
    },
    envelopeNote:
      "The dev kit as shipped: feet, carrier board, module and heatsink with fan, per NVIDIA's Super dev-kit datasheet (103 x 90.5 x 34.77 mm). " +
      "NVIDIA's family spec table gives 100 x 79 x 21 mm under the same definition; the dev-kit datasheet is the more specific document, " +
      "and the larger volume does not flatter tokens/s per litre. The original and Super kits are the same hardware.",
    bandwidth: {
      value: { bytesPerSecond: 102 * GB, unified: true },
      sources: ["16", "19"],
      unverified: false,
      note:
        "8 GB 128-bit LPDDR5: 102 GB/s with the Super clocks (JetPack 6.1 and later), 68 GB/s with the original ones; " +
        "the higher figure bounds both. NVIDIA figures as reproduced by partners.",
    },
    power: {
      value:
        "Configurable 7-25 W with the Super clocks, 25 W by default (MAXN SUPER is experimental); 7 / 15 W modes with the original clocks " +
        "(unverified). 19 V DC supply in the box, 5.5 x 2.5 mm barrel jack. Idle: unknown.",
      sources: ["16", "52", "17"],
      unverified: false,
    },
    accelerators: {
      value:
        "GPU: 1024-core Ampere with 32 Tensor cores, up to 1020 MHz with the Super clocks; no DLA. CPU: 6x Cortex-A78AE at 1.5 GHz " +
        "(1.7 GHz Super). 40 TOPS sparse INT8 originally; 67 sparse / 33 dense with the Super clocks.",
      sources: ["18", "19", "16"],
      unverified: false,
    },
    match: [/\bjetson orin nano\b/i],
  },
  {
    id: "jetson-orin-nx-16gb",
    name: "NVIDIA Jetson Orin NX 16GB (module)",
    vendor: "NVIDIA",
    kind: "module",
    pcb: {
      value: { widthMm: 69.6, depthMm: 45 },
      sources: ["14", "15", "17"],
      unverified: false,
      note: "260-pin SO-DIMM module, the same footprint as the Orin Nano module, so it also fits NVIDIA's Orin Nano dev-kit carrier.",
    },
    envelope: null,
    envelopeNote:
      "A module alone has no envelope: results run on it belong to its carrier (the Seeed reComputer J4012 box, or NVIDIA's Orin Nano " +
      "dev-kit carrier, which takes Orin NX modules too). Declare the envelope of the carrier as used.",
    bandwidth: {
      value: { bytesPerSecond: 102.4 * GB, unified: true },
      sources: ["14", "18", "19"],
      unverified: false,
      note: "16 GB 128-bit LPDDR5.",
    },
    power: {
      value: '10-25 W configurable. "Super" firmware adds a 40 W mode (unverified; a community page citing NVIDIA).',
      sources: ["14", "49"],
      unverified: false,
    },
    accelerators: {
      value:
        '100 TOPS (157 TOPS with "Super" firmware, unverified). GPU: 1024-core Ampere with 32 Tensor cores; 2x NVDLA v2; 1x PVA v2. ' +
        "CPU: 8x Cortex-A78AE at 2.0 GHz.",
      sources: ["14", "18", "49"],
      unverified: false,
    },
    match: [],
  },
  {
    id: "seeed-recomputer-j4012",
    name: "Seeed reComputer J4012 (Jetson Orin NX 16GB)",
    vendor: "Seeed Studio",
    kind: "computer",
    // The J401 carrier's own PCB size is not published in what was read.
    pcb: null,
    envelope: {
      value: { widthMm: 130, depthMm: 120, heightMm: 58.5 },
      sources: ["18"],
      unverified: false,
      note: "0.913 L.",
    },
    envelopeNote: "The complete box as sold: Orin NX 16GB module on the J401 carrier, heatsink with fan, enclosure.",
    bandwidth: {
      value: { bytesPerSecond: 102.4 * GB, unified: true },
      sources: ["18"],
      unverified: false,
      note: "The Orin NX 16GB module's 128-bit LPDDR5.",
    },
    power: {
      value: "DC input 9-19 V; the power adapter is not included with some SKUs.",
      sources: ["18"],
      unverified: false,
    },
    accelerators: {
      value: "Jetson Orin NX 16GB: 100 TOPS; 1024-core Ampere GPU with 32 Tensor cores; 2x NVDLA v2; 8x Cortex-A78AE at 2.0 GHz.",
      sources: ["18"],
      unverified: false,
    },
    match: [/\brecomputer[ -]?j4012\b/i],
  },
  {
    id: "jetson-agx-orin-devkit",
    name: "NVIDIA Jetson AGX Orin dev kit",
    vendor: "NVIDIA",
    kind: "board",
    pcb: null,
    envelope: {
      value: { widthMm: 110, depthMm: 110, heightMm: 71.65 },
      sources: ["22"],
      unverified: true,
      note: "Board plus heatsink (0.867 L). Only community CAD files and a design document, which agree; NVIDIA's page was not found.",
    },
    envelopeNote: "The dev kit: board plus heatsink (110 x 110 x 71.65 mm).",
    bandwidth: {
      value: { bytesPerSecond: 204.8 * GB, unified: true },
      sources: ["19", "50"],
      unverified: false,
      note: "256-bit LPDDR5 on both the 64 GB and the 32 GB module (the 32 GB figure unverified); which module a dev kit carries depends on the SKU.",
    },
    power: {
      value:
        "Module 15-60 W configurable; the 64 GB module's maximum is \"up to 60W\" (NVIDIA datasheet as quoted on NVIDIA's forum). " +
        "Dev kit input 7-20 V. Dev kit PSU rating: unknown.",
      sources: ["20", "21"],
      unverified: false,
    },
    accelerators: {
      value: "275 TOPS (64 GB module). GPU: 2048-core Ampere with 64 Tensor cores. CPU: 12x Cortex-A78AE at 2.2 GHz.",
      sources: ["19", "21"],
      unverified: false,
    },
    match: [/\bjetson agx orin\b/i],
  },
  {
    id: "orange-pi-5-plus",
    name: "Orange Pi 5 Plus",
    vendor: "Orange Pi",
    kind: "board",
    // The vendor page was not read; the 100 x 75 mm once used here came from unidentified CAD.
    pcb: null,
    envelope: null,
    envelopeNote: "No sourced board size or height: declare the envelope to rank on size.",
    bandwidth: {
      value: { bytesPerSecond: RK3588_LPDDR4X, unified: false },
      sources: ["30", "27", "28a"],
      unverified: true,
      derived: true,
      note: "LPDDR4/4X, up to 32 GB (unverified); RK3588 64-bit bus x 4224 MT/s (rate from community boot logs) = 33.8 GB/s.",
    },
    power: {
      value: "USB Type-C 5 V at 5 A, with no PD negotiation (unverified).",
      sources: ["30"],
      unverified: true,
    },
    accelerators: {
      value: "RK3588: 6 TOPS NPU (unverified).",
      sources: ["31"],
      unverified: true,
    },
    match: [/\borange ?pi 5 ?plus\b/i],
  },
  {
    id: "orange-pi-5-max",
    name: "Orange Pi 5 Max",
    vendor: "Orange Pi",
    kind: "board",
    // The 89 x 57 mm once used here came from unidentified CAD; no public source was found.
    pcb: null,
    envelope: null,
    envelopeNote: "No sourced board size or height: declare the envelope to rank on size.",
    bandwidth: {
      value: { bytesPerSecond: RK3588_LPDDR5, unified: false },
      sources: ["30", "27", "28b"],
      unverified: true,
      derived: true,
      note:
        "LPDDR5, 16 GB as tested (unverified); RK3588 64-bit bus x 5472 MT/s (older DDR loaders) = 43.8 GB/s, or 38.4 GB/s at 4800 MT/s " +
        "(newer loaders). Rates from community boot logs.",
    },
    power: {
      value: "USB Type-C 5 V at 5 A, with no PD negotiation (unverified). One reviewer at the wall: 1.4 W idle, 10.9 W under stress-ng (unverified).",
      sources: ["30", "9"],
      unverified: true,
    },
    accelerators: {
      value: "RK3588: 6 TOPS NPU (unverified for this board).",
      sources: ["23"],
      unverified: true,
      note: "The RK3588 NPU figure from Radxa's RK3588 board documentation.",
    },
    match: [/\borange ?pi 5 ?max\b/i],
  },
  {
    id: "orange-pi-5",
    name: "Orange Pi 5",
    vendor: "Orange Pi",
    kind: "board",
    // The vendor page was not read; the 100 x 62 mm once used here came from unidentified CAD.
    pcb: null,
    envelope: null,
    envelopeNote: "No sourced board size or height: declare the envelope to rank on size.",
    bandwidth: {
      value: { bytesPerSecond: RK3588_LPDDR4X, unified: false },
      sources: ["27", "28a"],
      unverified: true,
      derived: true,
      note:
        "LPDDR4/4X (memory type per reviews; vendor page not read). If the RK3588S runs its 64-bit bus at 4224 MT/s " +
        "(community boot logs): 33.8 GB/s.",
    },
    power: {
      value:
        "One reviewer at the wall: 1.0 W idle, 10.0 W under stress-ng, 11.5 W under HPL (unverified). 5 V at 4 A supply (unverified, community).",
      sources: ["9", "51"],
      unverified: true,
    },
    accelerators: {
      value: "RK3588S: 6 TOPS NPU (unverified for this board).",
      sources: ["23"],
      unverified: true,
      note: "The RK3588/RK3588S NPU figure from Radxa's RK3588 board documentation.",
    },
    // Not the Plus, Max, Pro or 5B: those are different boards.
    match: [/\borange ?pi 5(?! ?(plus|max|pro|b\b|ultra))\b/i],
  },
  {
    id: "radxa-rock-5b-plus",
    name: "Radxa ROCK 5B+",
    vendor: "Radxa",
    kind: "board",
    pcb: {
      value: { widthMm: 100, depthMm: 75 },
      sources: ["23"],
      unverified: false,
    },
    envelope: null,
    envelopeNote: "No sourced height: declare the envelope to rank on size.",
    bandwidth: {
      value: { bytesPerSecond: RK3588_LPDDR5, unified: false },
      sources: ["23", "28b"],
      unverified: true,
      derived: true,
      note:
        "64-bit LPDDR5, 4/8/16/32 GB, per Radxa; x 5472 MT/s (older DDR loaders) = 43.8 GB/s, or 38.4 GB/s at 4800 MT/s (newer loaders). " +
        "Rates from community boot logs.",
    },
    power: {
      value:
        "USB-C PD 2.0 at 9/12/15/20 V, 2 A, or a fixed 5-20 V supply on USB-C; needs an adapter over 40 W; the Radxa PD 65W adapter is recommended.",
      sources: ["24"],
      unverified: false,
    },
    accelerators: {
      value: "RK3588: NPU up to 6 TOPS (INT4/INT8/INT16/FP16/BF16/TF32); Mali-G610 MP4 GPU.",
      sources: ["23"],
      unverified: false,
    },
    // Before the ROCK 5B, whose pattern would also take "ROCK 5B+".
    match: [/\brock ?5 ?b ?(?:\+|plus\b)/i],
  },
  {
    id: "radxa-rock-5b",
    name: "Radxa ROCK 5B",
    vendor: "Radxa",
    kind: "board",
    pcb: {
      value: { widthMm: 100, depthMm: 75 },
      sources: ["23", "23b"],
      unverified: false,
      note: "Per Radxa's board overview; Radxa's 2D drawings (v1.41, dxf/pdf) were not read.",
    },
    envelope: null,
    envelopeNote: "No sourced height: declare the envelope to rank on size.",
    bandwidth: {
      value: { bytesPerSecond: RK3588_LPDDR4X, unified: false },
      sources: ["23", "27", "28a"],
      unverified: true,
      derived: true,
      note: "64-bit LPDDR4X, 4/8/16 GB, per Radxa; x 4224 MT/s (rate from community boot logs) = 33.8 GB/s.",
    },
    power: {
      value:
        "USB-C PD 2.0 at 9/12/15/20 V, 2 A, or a fixed 5-20 V supply on USB-C; over 30 W recommended (Radxa PD 30W adapter). " +
        "One reviewer at the wall (4 GB board, 2022 image): 3.6 W idle, 17 W under stress-ng (unverified).",
      sources: ["24", "9"],
      unverified: false,
    },
    accelerators: {
      value: "RK3588: NPU up to 6 TOPS (INT4/INT8/INT16/FP16/BF16/TF32); Mali-G610 MP4 GPU.",
      sources: ["23"],
      unverified: false,
    },
    match: [/\brock ?5 ?b\b/i, /\brock ?5 model b\b/i],
  },
  {
    id: "radxa-rock-4d",
    name: "Radxa ROCK 4D",
    vendor: "Radxa",
    kind: "board",
    // Radxa publishes a 2D drawing (v1.11), which was not read.
    pcb: null,
    envelope: null,
    envelopeNote: "No sourced board size or height: declare the envelope to rank on size.",
    // LPDDR5, 2/4/8/16 GB [26], but the bus width is disputed: "64bit LPDDR5"
    // in Radxa's product list [26], 32-bit in the RK3576 launch specs
    // (unverified) [29]; at 5472 MT/s [28c] that is 43.8 or 21.9 GB/s. Unresolved, so no figure.
    bandwidth: null,
    power: {
      value: "USB-C, 5 V only, at least 3 A recommended; the Radxa PD 30W adapter is recommended.",
      sources: ["26"],
      unverified: false,
    },
    accelerators: {
      value: "RK3576: NPU 6 TOPS (INT4/INT8/INT16, FP16, BF16, TF32); Mali-G52 MC3 GPU; CPU 4x Cortex-A72 + 4x Cortex-A53.",
      sources: ["26"],
      unverified: false,
    },
    match: [/\brock ?4 ?d\b/i],
  },
  {
    id: "radxa-zero-3",
    name: "Radxa Zero 3W / 3E",
    vendor: "Radxa",
    kind: "board",
    pcb: {
      value: { widthMm: 65, depthMm: 30 },
      sources: ["25"],
      unverified: false,
      note: "The ZERO 3W's size per Radxa.",
    },
    envelope: null,
    envelopeNote: "No sourced height: declare the envelope to rank on size.",
    // LPDDR4, 1/2/4/8 GB [25]; neither bus width nor rate is published.
    bandwidth: null,
    power: {
      value: "5 V / 2 A adapter required.",
      sources: ["25"],
      unverified: false,
    },
    accelerators: {
      value: "RK3566; Radxa lists no NPU figure.",
      sources: ["25"],
      unverified: false,
    },
    match: [/\bradxa zero ?3/i],
  },
  {
    id: "khadas-vim3-vim4",
    name: "Khadas VIM3 / VIM4",
    vendor: "Khadas",
    kind: "board",
    // Khadas's spec PDFs are linked from its docs but were not read; the 82 x 58 x 11.5 mm once used here had no identified source.
    pcb: null,
    envelope: null,
    envelopeNote: "No sourced board size or height for either board: declare the envelope to rank on size.",
    // VIM3: LPDDR4, 2 GB (Basic) / 4 GB (Pro) [33]; VIM4: 8 GB LPDDR4X per secondary sources. No bus width or rate for either.
    bandwidth: null,
    power: {
      value: "24 W USB-C adapter recommended. Idle and load: unknown.",
      sources: ["32"],
      unverified: false,
    },
    accelerators: {
      value:
        "VIM3 (A311D; an S922X variant exists): NPU 5.0 TOPS, LPDDR4 2 GB (Basic) / 4 GB (Pro). " +
        "VIM4 (A311D2): NPU 3.2 TOPS and Mali-G52 MP8 GPU (unverified; quoted from the Khadas specification by a third party).",
      sources: ["32", "33", "34"],
      unverified: false,
    },
    match: [/\bkhadas vim ?[34]\b/i, /^vim[34]\b/i],
  },
  {
    id: "lattepanda-3-delta",
    name: "LattePanda 3 Delta",
    vendor: "DFRobot",
    kind: "board",
    pcb: {
      value: { widthMm: 125, depthMm: 78 },
      sources: ["35a", "35b"],
      unverified: false,
      note: 'The vendor\'s "Dimension": 125 x 78 x 16 mm.',
    },
    envelope: {
      value: { widthMm: 125, depthMm: 78, heightMm: 16 },
      sources: ["35a", "35b"],
      unverified: false,
      derived: true,
      note: "The vendor's \"Dimension\" read as the whole board's envelope (0.156 L); the vendor does not say what it includes.",
    },
    envelopeNote: "The bare board, taking the vendor's stated dimension (125 x 78 x 16 mm) as its envelope.",
    // 8 GB LPDDR4 at 2933 MT/s [35b], bus width not stated (23.5 GB/s if 64-bit, unverified): no figure.
    bandwidth: null,
    power: {
      value: "Celeron N5105, 10 W TDP. Input 11-15 V; USB-C PD at 15 V (or 12 V at 3 A); adapter of at least 24 W.",
      sources: ["35b", "35a", "35c"],
      unverified: false,
    },
    accelerators: {
      value: "Celeron N5105 with Intel UHD Graphics at 450-800 MHz; no NPU.",
      sources: ["35a"],
      unverified: false,
    },
    match: [/\blattepanda 3 delta\b/i],
  },
  {
    id: "lattepanda-sigma",
    name: "LattePanda Sigma",
    vendor: "DFRobot",
    kind: "board",
    pcb: {
      value: { widthMm: 146, depthMm: 102 },
      sources: ["35d", "35e"],
      unverified: false,
      note: "3.5-inch form factor.",
    },
    envelope: null,
    envelopeNote: "No sourced height: declare the envelope to rank on size.",
    // Dual-channel LPDDR5-6400 (16 GB) / LPDDR5-6000 (32 GB) [35d][35e]; total
    // bus width not stated (102.4 GB/s if 128-bit at 6400, unverified): no figure.
    bandwidth: null,
    power: {
      value:
        "Core i5-1340P: base power 28 W (BIOS default PL1 45 W, PL2 64 W). Input 12-20 V DC or USB-C PD at 20 V; the supplied adapter is " +
        "19 V 4.74 A (90 W), and adapters under 90 W can cause shutdowns.",
      sources: ["35d", "35f"],
      unverified: false,
    },
    accelerators: {
      value: "Core i5-1340P with Intel Iris Xe graphics, 80 EU at 1.45 GHz; a GNA driver is listed.",
      sources: ["35d", "35"],
      unverified: false,
    },
    match: [/\blattepanda sigma\b/i],
  },
  {
    id: "intel-nuc-13-pro",
    name: "Intel NUC 13 Pro (Arena Canyon)",
    vendor: "Intel",
    kind: "computer",
    // Intel's technical product specification was not read: no board or chassis size.
    pcb: null,
    envelope: null,
    envelopeNote: "No sourced chassis size (slim and tall chassis differ): declare the envelope to rank on size.",
    bandwidth: {
      value: { bytesPerSecond: peak(3200, 128), unified: false },
      sources: ["36"],
      unverified: true,
      derived: true,
      note: "Dual-channel DDR4-3200 SO-DIMM (per a review): 2 x 64-bit x 3200 MT/s = 51.2 GB/s.",
    },
    power: {
      value: "Load set by PL2 = 64 W for the Core i7-1360P; idle around 5 W (reviews, unverified). PSU rating: unknown.",
      sources: ["36", "37"],
      unverified: true,
    },
    accelerators: {
      value: "Intel Iris Xe graphics; no NPU.",
      sources: ["36"],
      unverified: true,
    },
    // NUC13ANK* (slim), NUC13ANH* (tall), NUC13ANB* (board): before the generic 4x4 NUC.
    match: [/\bnuc ?13 ?an[a-z]/i, /\bnuc ?13 pro\b/i],
  },
  {
    id: "intel-nuc-4x4",
    name: "Intel NUC (4x4)",
    vendor: "Intel",
    kind: "computer",
    // Generations differ in board, chassis and memory; only the NUC 13 Pro (above) has sourced figures.
    pcb: null,
    envelope: null,
    envelopeNote: "Chassis size and height differ by model and none is sourced: declare the envelope to rank on size.",
    bandwidth: null,
    power: null,
    accelerators: null,
    match: [/\bnuc ?\d{1,2}[a-z]/i, /\bintel nuc\b/i],
  },
  {
    id: "apple-mac-mini-m4-2024",
    name: "Apple Mac mini (M4, 2024)",
    vendor: "Apple",
    kind: "computer",
    pcb: null,
    envelope: {
      value: { widthMm: 127, depthMm: 127, heightMm: 50 },
      sources: ["39a", "39b"],
      unverified: false,
      note:
        '"5 x 5 in, 2 in tall" from Apple\'s launch as reported, "nearly 13 cm each side, exactly 5 cm tall" per a review (0.806 L); ' +
        "Apple's size block was not read.",
    },
    envelopeNote: "The chassis (127 x 127 x 50 mm).",
    bandwidth: {
      value: { bytesPerSecond: 273 * GB, unified: true },
      sources: ["38"],
      unverified: false,
      note: "M4 Pro 273 GB/s; M4 120 GB/s. The entry covers both chips, so the higher figure bounds both.",
    },
    power: {
      value:
        "Reviewers: 4.1 W idle, 31.2 W under stress-ng (unverified); about 6 W idle with 10 GbE and a 4K display, and 31.4 W running " +
        'llama3.2:3b at 41 tokens/s on the GPU (unverified); 4-6 W idle, 40-45 W maximum, "Apple says ... 65W" (unverified). ' +
        "Apple's power figures and the internal PSU rating: unknown.",
      sources: ["9", "10", "40"],
      unverified: true,
    },
    accelerators: {
      value: "M4: 10-core GPU, 16-core Neural Engine.",
      sources: ["38"],
      unverified: false,
    },
    // Mac16,10 / Mac16,11 are the M4 / M4 Pro Mac mini model identifiers.
    match: [/\bmac ?mini\b.*\b(m4|2024)\b/i, /^mac16,1[01]$/i],
  },
  {
    id: "google-coral-dev-board",
    name: "Google Coral Dev Board",
    vendor: "Google",
    kind: "board",
    pcb: null,
    envelope: {
      value: { widthMm: 88, depthMm: 60, heightMm: 24 },
      sources: ["41b"],
      unverified: false,
      note:
        "coral.ai's specification as copied by two third-party repositories (0.127 L); the vendor page was not read. " +
        "The SoM alone is 48 x 40 x 5 mm.",
    },
    envelopeNote: "The Dev Board as specified by Coral (88 x 60 x 24 mm): baseboard with the SoM and its heatsink.",
    // 1 GB LPDDR4 on the i.MX 8M SoM [41b]; no bus width or rate.
    bandwidth: null,
    power: {
      value: "5 V DC via USB-C. Edge TPU: 0.5 W per TOPS (2 TOPS per watt). Board idle and load: unknown.",
      sources: ["41b", "41a"],
      unverified: false,
    },
    accelerators: {
      value: "Edge TPU: 4 TOPS INT8; GC7000 Lite GPU; i.MX 8M SoC with 1 GB LPDDR4.",
      sources: ["41a", "41b"],
      unverified: false,
    },
    // Not the Dev Board Mini (a different SoC). "Phanbell" is the Dev Board's device-tree model name.
    match: [/\bcoral dev ?board(?! ?mini)\b/i, /\bphanbell\b/i],
  },
  {
    id: "qualcomm-rb3-gen2",
    name: "Qualcomm RB3 Gen 2",
    vendor: "Qualcomm",
    kind: "board",
    pcb: null,
    envelope: null,
    envelopeNote:
      "A SoM on an interposer with a 500-pin connector to the mainboard and stackable mezzanines; no sourced size or height: " +
      "declare the envelope to rank on size.",
    bandwidth: null,
    power: null,
    accelerators: {
      value: 'QCS6490 (QCS5430 on the "Lite" kit); TOPS not stated in the vendor text read.',
      sources: ["42"],
      unverified: false,
    },
    match: [/\brb3 ?gen ?2\b/i],
  },
  {
    id: "qualcomm-rb5",
    name: "Qualcomm Robotics RB5",
    vendor: "Qualcomm",
    kind: "board",
    pcb: null,
    envelope: null,
    envelopeNote: "A 96Boards-compliant board (unverified); no sourced size or height: declare the envelope to rank on size.",
    bandwidth: null,
    power: null,
    accelerators: {
      value: "QRB5165: Adreno 650 GPU, Hexagon DSP (unverified).",
      sources: ["43"],
      unverified: true,
    },
    match: [/\b(?:qualcomm|robotics) rb5\b/i, /\bqrb5165\b/i],
  },
];
