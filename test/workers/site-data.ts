/**
 * The registry contents the site tests use: real signed documents from
 * test/fixtures/documents.ts, designed so the expected rankings follow from the
 * fixture speed model (tg = board rate x speed; tokens/J = tg / load W).
 *
 * Wall-meter scope (the busiest, so the default energy scope):
 *   mac   Mac mini M4, metal: tg 140, 4.67 tokens/J, 127x127x50 mm -> 0.87 tokens/s/cm², 174 tokens/s/L; two contributors
 *   rockA ROCK 5B, 4 threads: tg 24, 2.67 tokens/J, a 60x40x10 mm box -> 1.0 tokens/s/cm², 1,000 tokens/s/L (best size)
 *   rockB ROCK 5B, 8 threads at 0.7x: tg 16.8, 1.87 tokens/J, same box -> dominated by rockA
 * Pareto (wall): {mac, rockA}. Other scopes: orin (module-input), nuc
 * (cpu-package), rpi5 (soc-rails), hailo (board-input), and a declared board
 * without a meter whose name carries a <script> tag.
 */

import type { ResultDocument } from "@edgebench/contract";
import { buildDocument, type FixtureOptions } from "../fixtures/documents.js";

export const EVIL_NAME = `<script>window.__pwned=1</script>Acme EdgeBox`;
export const EVIL_DISPLAY = `<img src=x onerror="window.__pwned=2">mallory`;

export interface SiteFixture {
  key: string;
  /** Which of the fixture key pairs signs it (0 or 1). */
  signer: 0 | 1;
  doc: ResultDocument;
}

const box = { widthMm: 60, depthMm: 40, heightMm: 10 };

function doc(options: FixtureOptions): ResultDocument {
  return buildDocument({ quality: true, ...options });
}

export function siteFixtures(): SiteFixture[] {
  return [
    {
      key: "mac",
      signer: 0,
      doc: doc({ board: "mac-mini-m4", seed: 1, envelope: { widthMm: 127, depthMm: 127, heightMm: 50 }, displayName: "mini-lab" }),
    },
    { key: "mac", signer: 1, doc: doc({ board: "mac-mini-m4", seed: 2, envelope: { widthMm: 127, depthMm: 127, heightMm: 50 } }) },
    { key: "rockA", signer: 0, doc: doc({ board: "rock5b", seed: 3, envelope: box }) },
    { key: "rockB", signer: 0, doc: doc({ board: "rock5b", seed: 4, envelope: box, threads: 8, speed: 0.7 }) },
    { key: "orin", signer: 0, doc: doc({ board: "orin-nano", seed: 5, models: ["qwen2.5-0.5b-q4_k_m", "qwen2.5-0.5b-q8_0"] }) },
    { key: "nuc", signer: 1, doc: doc({ board: "nuc", seed: 6 }) },
    {
      key: "rpi5",
      signer: 0,
      doc: doc({
        board: "rpi5",
        seed: 7,
        // A bounded power trace over the generation test, in the schema's format.
        mutate: (d) => {
          const tg = d.runs[0]!.tests.find((t) => t.name === "tg128")!;
          const tMs = Array.from({ length: 40 }, (_, i) => i * 800);
          tg.energy![0]!.trace = { tMs, w: tMs.map((t, i) => Number((6.5 + 0.4 * Math.sin(i / 3) + (t > 16000 ? 0.3 : 0)).toFixed(3))) };
        },
      }),
    },
    { key: "hailo", signer: 1, doc: doc({ board: "rpi5-hailo", seed: 8 }) },
    {
      key: "evil",
      signer: 1,
      doc: doc({
        board: "custom",
        seed: 9,
        displayName: EVIL_DISPLAY,
        mutate: (d) => {
          d.system.board.name = EVIL_NAME;
        },
      }),
    },
  ];
}

/** Throughput order (tg tokens/s, best first) of the rows of the Q4_K_M reference model, by fixture key. */
export const THROUGHPUT_ORDER_Q4 = ["mac", "orin", "nuc", "rockA", "rpi5", "rockB", "evil", "hailo"];
export const WALL_ENERGY_ORDER = ["mac", "rockA", "rockB"];
export const WALL_PARETO = ["mac", "rockA"];
