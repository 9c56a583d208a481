/**
 * Pinning the standard files: the GGUF files (by sha256) a suite's standard
 * models are, so `standard=1` ranks runs of the very same file. Nothing is
 * recomputed: the ranking and the result pages read the list at query time
 * (workers/ranking/scope.ts, workers/read/submissions.ts), so a pin marks the
 * results stored before it too. Each change bumps the registry version in its
 * own batch (cached pages change with it) and is logged in moderation_log.
 */
import { asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { moderationLog, type StandardFileRow, standardFiles } from "../../db/schema.js";
import { bumpRegistryVersion, forgetVersion } from "../cache/version.js";
import type { Db } from "../db.js";

export type StandardFileView = StandardFileRow;
export type StandardFileInput = Omit<StandardFileRow, "sha256" | "addedAt">;

export async function listStandardFiles(db: Db): Promise<StandardFileView[]> {
  return db.select().from(standardFiles).orderBy(asc(standardFiles.suiteId), asc(standardFiles.name), asc(standardFiles.quantisation));
}

/** SQL: the model variant `modelId` (a column of the outer row, or a value) is a pinned file; true or false. */
export function isStandardFile(modelId: SQLiteColumn | string): SQL<boolean> {
  return sql`EXISTS (SELECT 1 FROM ${standardFiles} WHERE ${standardFiles.sha256} = ${modelId})`.mapWith(Boolean);
}

/** D1 binds at most 100 parameters per statement. */
const ID_CHUNK = 90;

/** Which of these model variant ids are pinned files (primary-key reads). */
export async function standardAmong(db: Db, modelIds: readonly string[]): Promise<Set<string>> {
  const shas = [...new Set(modelIds.filter((id) => /^[0-9a-f]{64}$/.test(id)))];
  const out = new Set<string>();
  for (let i = 0; i < shas.length; i += ID_CHUNK) {
    const rows = await db
      .select({ sha256: standardFiles.sha256 })
      .from(standardFiles)
      .where(inArray(standardFiles.sha256, shas.slice(i, i + ID_CHUNK)));
    for (const r of rows) out.add(r.sha256);
  }
  return out;
}

/** Pins (or re-describes) a file. Returns the stored row and whether it was new. */
export async function pinStandardFile(
  db: Db,
  sha256: string,
  input: StandardFileInput,
  reason: string | null,
  actor: string,
): Promise<{ file: StandardFileView; created: boolean }> {
  const existing = await db.select().from(standardFiles).where(eq(standardFiles.sha256, sha256)).get();
  const at = new Date().toISOString();
  const file: StandardFileView = { sha256, ...input, addedAt: existing?.addedAt ?? at };
  await db.batch([
    db.insert(standardFiles).values(file).onConflictDoUpdate({ target: standardFiles.sha256, set: input }),
    db.insert(moderationLog).values({
      at,
      action: "pin-file",
      targetKind: "standard-file",
      target: sha256,
      reason: reason ?? `standard file of ${input.suiteId}: ${input.name} ${input.quantisation} (${input.source})`,
      actor,
    }),
    // Which rows standard=1 keeps, and each row's standardFile, changed: cached reads become unreachable (workers/cache).
    bumpRegistryVersion(db),
  ]);
  forgetVersion();
  return { file, created: !existing };
}

/** Unpins a file. Returns the row it removed, or null when the file was not pinned. */
export async function unpinStandardFile(db: Db, sha256: string, reason: string | null, actor: string): Promise<StandardFileView | null> {
  const existing = await db.select().from(standardFiles).where(eq(standardFiles.sha256, sha256)).get();
  if (!existing) return null;
  await db.batch([
    db.delete(standardFiles).where(eq(standardFiles.sha256, sha256)),
    db.insert(moderationLog).values({
      at: new Date().toISOString(),
      action: "unpin-file",
      targetKind: "standard-file",
      target: sha256,
      reason: reason ?? `no longer a standard file of ${existing.suiteId}`,
      actor,
    }),
    bumpRegistryVersion(db),
  ]);
  forgetVersion();
  return existing;
}
