/**
 * A contributor withdrawing their own result with a request signed by their key.
 *
 * The request (contract: WithdrawRequest in @edgebench/contract (contract/src/schema.ts)):
 *   POST /api/v1/submissions/:id/withdraw
 *   { "withdraw": { "action": "withdraw", "id": ID, "at": RFC3339, "nonce": N, "reason"?: text },
 *     "signature": Ed25519 over the RFC 8785 bytes of `withdraw`, base64url,
 *     "publicKey": the raw key, base64url }
 *
 * Accepted only when: the signature verifies; withdraw.id equals the path id;
 * `at` is within REPLAY_WINDOW_MS of the server clock (either side); the
 * submission exists and was signed by this very key (403 otherwise); and the
 * key has not used this nonce before (409). Nonces are kept for the replay
 * window plus a margin, then pruned: after that `at` alone refuses a replay.
 */
import { verifyRequest, WithdrawRequest } from "@edgebench/contract";
import { lt } from "drizzle-orm";
import { requestNonces } from "../../db/schema.js";
import type { Db } from "../db.js";
import { ApiError } from "../errors.js";

export const REPLAY_WINDOW_MS = 10 * 60 * 1000;

export interface VerifiedWithdrawal {
  id: string;
  publicKey: string;
  nonce: string;
  atMs: number;
  reason: string;
}

/** Schema, path id, freshness and signature; throws the API error for each. */
export async function verifyWithdrawal(body: unknown, pathId: string, nowMs: number): Promise<VerifiedWithdrawal> {
  const parsed = WithdrawRequest.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(
      400,
      "invalid_withdrawal",
      "the body must be { withdraw: { action, id, at, nonce, reason? }, signature, publicKey }",
      parsed.error.issues,
    );
  }
  const { withdraw, signature, publicKey } = parsed.data;
  if (withdraw.id !== pathId) throw new ApiError(400, "id_mismatch", "withdraw.id must equal the submission id in the path");
  const atMs = Date.parse(withdraw.at);
  if (Math.abs(nowMs - atMs) > REPLAY_WINDOW_MS) {
    throw new ApiError(400, "stale_request", `withdraw.at must be within 10 minutes of the server clock (${new Date(nowMs).toISOString()})`);
  }
  // Verify over the object exactly as received (not zod's copy).
  const raw = (body as { withdraw: unknown }).withdraw;
  if (!(await verifyRequest(raw, signature, publicKey))) {
    throw new ApiError(401, "bad_signature", "the signature does not verify for this withdraw object and public key");
  }
  return { id: withdraw.id, publicKey, nonce: withdraw.nonce, atMs, reason: withdraw.reason ?? "no reason given" };
}

/**
 * Records the nonce; false when this key already used it. Prunes nonces older
 * than twice the replay window in the same batch.
 */
export async function claimNonce(db: Db, w: VerifiedWithdrawal, nowMs: number): Promise<boolean> {
  const [inserted] = await db.batch([
    db
      .insert(requestNonces)
      .values({ publicKey: w.publicKey, nonce: w.nonce, atMs: w.atMs })
      .onConflictDoNothing()
      .returning({ nonce: requestNonces.nonce }),
    db.delete(requestNonces).where(lt(requestNonces.atMs, nowMs - 2 * REPLAY_WINDOW_MS)),
  ]);
  return inserted.length > 0;
}
