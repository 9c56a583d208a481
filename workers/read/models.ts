/**
 * Models: a family is one model name (slug); its variants are the files
 * measured (one per sha256, or per quantisation when no hash was given), so a
 * model page can put quantisations side by side.
 */
import { and, asc, desc, eq, gt, or } from "drizzle-orm";
import { configurations, type ModelRow, modelFamilies, models } from "../../db/schema.js";
import type { Db } from "../db.js";
import { type LeaderboardRow, ROW_COLUMNS, withFigures } from "../ranking/rows.js";
import { byThroughput } from "./boards.js";

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

/** Every model family with its variants and counts, most submitted first. */
export async function listModels(db: Db): Promise<ModelFamily[]> {
  const [rows, totals] = await Promise.all([
    db.select().from(models).orderBy(asc(models.slug), asc(models.quantisation), asc(models.id)),
    familyTotals(db),
  ]);
  return families(rows, totals).sort((a, b) => b.submissions - a.submissions || a.name.localeCompare(b.name));
}

export interface ModelDetail extends ModelFamily {
  /** Every configuration of every variant (all boards), fastest generation first. */
  rows: LeaderboardRow[];
}

/** A model family by slug, or by the id of one of its variants; null when unknown. */
export async function getModel(db: Db, idOrSlug: string, limit = 2000): Promise<ModelDetail | null> {
  const hit = await db
    .select({ slug: models.slug })
    .from(models)
    .where(or(eq(models.slug, idOrSlug), eq(models.id, idOrSlug)))
    .limit(1)
    .get();
  if (!hit) return null;
  const [variants, totals, configs] = await Promise.all([
    db.select().from(models).where(eq(models.slug, hit.slug)).orderBy(asc(models.quantisation), asc(models.id)),
    familyTotals(db, hit.slug),
    db
      .select(ROW_COLUMNS)
      .from(configurations)
      .where(and(eq(configurations.modelSlug, hit.slug), gt(configurations.submissionCount, 0)))
      .orderBy(desc(configurations.lastSubmittedAt))
      .limit(limit),
  ]);
  const [family] = families(variants, totals);
  if (!family) return null;
  return { ...family, rows: (await withFigures(db, configs)).sort(byThroughput) };
}
