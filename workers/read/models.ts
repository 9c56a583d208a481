/**
 * Models: a family is one model name (slug); its variants are the files
 * measured (one per sha256, or per quantisation when no hash was given), so a
 * model page can put quantisations side by side.
 */
import { isSyntheticModel } from "@edgebench/contract";
import { and, asc, desc, eq, gt, or, sql } from "drizzle-orm";
import { configurations, type ModelRow, modelFamilies, models } from "../../db/schema.js";
import type { Db } from "../db.js";
import { type LeaderboardRow, ROW_COLUMNS, withFigures } from "../ranking/rows.js";
import { notTestData, syntheticModelSql } from "../ranking/test-data.js";
import { byThroughput, type CatalogueRead } from "./boards.js";
import { byCountThenName } from "./order.js";

export interface ModelVariant {
  id: string;
  quantisation: string;
  sha256: string | null;
  parameters: number | null;
  sizeBytes: number | null;
  arch: string | null;
  submissions: number;
  contributors: number;
  boards: number;
}

export interface ModelFamily {
  slug: string;
  name: string;
  variants: ModelVariant[];
  /** Distinct visible submissions with a run of any variant. */
  submissions: number;
  contributors: number;
  boards: number;
}

function variant(m: ModelRow): ModelVariant {
  return {
    id: m.id,
    quantisation: m.quantisation,
    sha256: m.sha256,
    parameters: m.parameters,
    sizeBytes: m.sizeBytes,
    arch: m.arch,
    submissions: m.submissionCount,
    contributors: m.keyCount,
    boards: m.boardCount,
  };
}

function families(rows: ModelRow[], totals: Map<string, { submissions: number; contributors: number; boards: number }>): ModelFamily[] {
  const bySlug = new Map<string, ModelFamily>();
  for (const m of rows) {
    let fam = bySlug.get(m.slug);
    if (!fam) {
      const t = totals.get(m.slug);
      fam = {
        slug: m.slug,
        name: m.name,
        variants: [],
        submissions: t?.submissions ?? 0,
        contributors: t?.contributors ?? 0,
        boards: t?.boards ?? 0,
      };
      bySlug.set(m.slug, fam);
    }
    fam.variants.push(variant(m));
  }
  return [...bySlug.values()].filter((f) => f.submissions > 0);
}

async function familyTotals(db: Db, slug?: string) {
  const rows = await db
    .select()
    .from(modelFamilies)
    .where(slug ? eq(modelFamilies.slug, slug) : undefined);
  return new Map(rows.map((r) => [r.slug, { submissions: r.submissionCount, contributors: r.keyCount, boards: r.boardCount }]));
}

/** Every model family with its variants and counts (models the uploader generated only when asked), most submitted first, then in natural name order. */
export async function listModels(db: Db, opts: CatalogueRead = {}): Promise<ModelFamily[]> {
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(models)
      .where(opts.test ? undefined : sql`NOT ${syntheticModelSql(models.name)}`)
      .orderBy(asc(models.slug), asc(models.quantisation), asc(models.id)),
    familyTotals(db),
  ]);
  return families(rows, totals).sort(byCountThenName);
}

export interface ModelDetail extends ModelFamily {
  /** A model the uploader generated: its results are test data (shown here, ranked nowhere by default). */
  testData: boolean;
  /** Every configuration of every variant (all boards; unidentified ones only when asked, or for test data), fastest generation first. */
  rows: LeaderboardRow[];
}

/** A model family by slug, or by the id of one of its variants; null when unknown. */
export async function getModel(db: Db, idOrSlug: string, opts: CatalogueRead & { limit?: number } = {}): Promise<ModelDetail | null> {
  const c = configurations;
  const hit = await db
    .select({ slug: models.slug, name: models.name })
    .from(models)
    .where(or(eq(models.slug, idOrSlug), eq(models.id, idOrSlug)))
    .limit(1)
    .get();
  if (!hit) return null;
  const testData = isSyntheticModel(hit);
  const [variants, totals, configs] = await Promise.all([
    db.select().from(models).where(eq(models.slug, hit.slug)).orderBy(asc(models.quantisation), asc(models.id)),
    familyTotals(db, hit.slug),
    db
      .select(ROW_COLUMNS)
      .from(configurations)
      .where(and(eq(c.modelSlug, hit.slug), gt(c.submissionCount, 0), opts.test || testData ? undefined : notTestData(c)))
      .orderBy(desc(c.lastSubmittedAt))
      .limit(opts.limit ?? 2000),
  ]);
  const [family] = families(variants, totals);
  if (!family) return null;
  return { ...family, testData, rows: (await withFigures(db, configs)).sort(byThroughput) };
}
