/**
 * The guard of ingest's aggregate updates, written once for the two places
 * that need it (the count updates in ingest.ts, bound per call, and the
 * median-state statements in median-state.ts, rendered once with numbered
 * parameters).
 *
 * True only when THIS batch's INSERT stored the submission: the stored row
 * carries this request's random ingest token. A duplicate or a racing
 * identical upload inserted nothing (its token is not the stored one), so it
 * counts nothing, and the batch is safe to repeat. `visibleOnly`: and it was
 * stored visible (a flagged upload has a result page but counts nowhere).
 */
import { sql, type SQL } from "drizzle-orm";

export function storedByThisBatch(id: SQL, token: SQL, visibleOnly: boolean): SQL {
  return sql`EXISTS (SELECT 1 FROM submissions WHERE id = ${id} AND ingest_token = ${token}${visibleOnly ? sql` AND status = 'visible'` : sql``})`;
}
