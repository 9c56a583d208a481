/**
 * A realistic population of signed results for the load benchmark: the
 * fixture boards (test/fixtures/documents.ts) plus a long tail of boards no
 * catalogue knows (as a public registry gets), the fixture models, thread
 * counts and offload settings people actually vary, 256 contributors
 * (keyPairFromSeed), creation times over the year. Deterministic per index.
 * Synthetic figures in the real format, for load only; never shown as measured.
 */

import type { ResultDocument, SignedSubmission } from "@edgebench/contract";
import {
  buildDocument,
  FIXTURE_BOARDS,
  FIXTURE_MODELS,
  type FixtureBoardId,
  type FixtureKeyPair,
  type FixtureModelId,
  keyPairFromSeed,
  signed,
} from "../../test/fixtures/documents.js";

const BOARDS = Object.keys(FIXTURE_BOARDS) as FixtureBoardId[];
const MODELS = (Object.keys(FIXTURE_MODELS) as FixtureModelId[]).filter((m) => m !== "tiny-local-q8_0");
/** Boards outside the catalogue, named by their owners. */
const CUSTOM_BOARD_NAMES = 300;

function rand(i: number, salt: number): number {
  let x = (i * 2654435761 + salt * 40503) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x45d9f3b) >>> 0;
  x ^= x >>> 16;
  return (x >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[], r: number): T => xs[Math.floor(r * xs.length)]!;

export function populationDocument(i: number, createdAt: string): ResultDocument {
  const board = pick(BOARDS, rand(i, 1));
  const b = FIXTURE_BOARDS[board];
  const gpu = b.gpuLayers > 0;
  const custom = board === "custom" ? 1 + Math.floor(rand(i, 2) * CUSTOM_BOARD_NAMES) : 0;
  return buildDocument({
    board,
    models: [pick(MODELS, rand(i, 3))],
    threads: 1 + Math.floor(rand(i, 4) * b.threads),
    gpuLayers: gpu ? pick([0, 16, 24, 99], rand(i, 5)) : 0,
    reps: 3,
    seed: i + 1,
    speed: 0.85 + rand(i, 6) * 0.25,
    createdAt,
    quality: rand(i, 7) < 0.3,
    mutate: custom
      ? (d) => {
          d.system.board.name = `Community board #${custom}`;
        }
      : undefined,
  });
}

let keys: FixtureKeyPair[] | null = null;
export async function contributorKeys(): Promise<FixtureKeyPair[]> {
  keys ??= await Promise.all(Array.from({ length: 256 }, (_, s) => keyPairFromSeed(s)));
  return keys;
}

/** The i-th signed result of the population. */
export async function populationSubmission(i: number, createdAt: string): Promise<{ id: string; body: SignedSubmission<ResultDocument> }> {
  const k = await contributorKeys();
  return signed(populationDocument(i, createdAt), k[Math.floor(rand(i, 8) * k.length)]!);
}
