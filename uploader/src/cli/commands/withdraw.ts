/**
 * `edgebench withdraw ID`: take one of your own results out of the registry.
 *
 * Sends POST /api/v1/submissions/ID/withdraw with
 *   { withdraw: { action: "withdraw", id, at, nonce, reason? }, signature, publicKey }
 * where signature is Ed25519 by this machine's key over the RFC 8785 bytes of
 * `withdraw` (the contract's signRequest). The registry accepts it only from
 * the key that signed the result, within 10 minutes of `at`, once per nonce.
 * The result is hidden, not deleted; a moderator can restore it.
 */

import { encodeBase64Url, signRequest, type WithdrawRequest } from "@edgebench/contract";
import { Command } from "commander";
import { loadConfig } from "../../config.js";
import { loadIdentity, readUserConfig } from "../../identity/index.js";
import { resolveServer, unreachableLine } from "../../submit/index.js";
import { EXIT } from "../exit-codes.js";

export interface WithdrawOutcome {
  /** The HTTP status; 0 when the registry could not be reached (body: the reason in one line). */
  status: number;
  body: unknown;
}

/** Signs and sends a withdrawal; returns the registry's answer (never throws for an HTTP status). */
export async function withdrawResult(options: {
  home: string;
  server: string;
  id: string;
  reason?: string;
  timeoutMs?: number;
  now?: () => Date;
}): Promise<WithdrawOutcome> {
  if (!/^[0-9a-f]{64}$/.test(options.id)) throw new Error(`${options.id} is not a result id (64 lowercase hex digits)`);
  const identity = await loadIdentity(options.home);
  const withdraw: WithdrawRequest["withdraw"] = {
    action: "withdraw",
    id: options.id,
    at: (options.now?.() ?? new Date()).toISOString(),
    nonce: encodeBase64Url(crypto.getRandomValues(new Uint8Array(18))),
    ...(options.reason ? { reason: options.reason } : {}),
  };
  const body: WithdrawRequest = { withdraw, signature: await signRequest(withdraw, identity.privateKey), publicKey: identity.publicKey };
  let res: Response;
  try {
    res = await fetch(`${options.server}/api/v1/submissions/${options.id}/withdraw`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "user-agent": "edgebench-uploader" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (err) {
    return { status: 0, body: unreachableLine(options.server, err) };
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* keep the text */
  }
  return { status: res.status, body: parsed };
}

export function withdrawCommand(): Command {
  return new Command("withdraw")
    .description("withdraw one of your own results from the registry (a request signed by your key)")
    .argument("<id>", "the result id (as printed by submit)")
    .option("--reason <text>", "why (shown in the moderation log)")
    .option("--server <url>", "registry base URL (default: config.json `server`, EDGEBENCH_SERVER, then the public registry)")
    .action(async (id: string, opts: { reason?: string; server?: string }) => {
      const config = loadConfig();
      const { server } = resolveServer(opts.server, await readUserConfig(config.home), config);
      const out = await withdrawResult({ home: config.home, server, id, reason: opts.reason });
      if (out.status === 200) {
        process.stdout.write(`withdrew ${id}\n`);
        return;
      }
      const err = (out.body as { error?: { message?: string } } | null)?.error?.message ?? String(out.body).slice(0, 300);
      process.stderr.write(out.status === 0 ? `edgebench: ${err}\n` : `edgebench: the registry refused the withdrawal (${out.status}): ${err}\n`);
      process.exitCode = EXIT.failed;
    });
}
