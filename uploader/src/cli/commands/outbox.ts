/** `edgebench outbox`: what is queued, delivered and refused. */
import { Command } from "commander";
import { loadConfig } from "../../config.js";
import { Outbox } from "../../outbox/index.js";
import { describeError } from "../../submit/index.js";

export function outboxCommand(): Command {
  return new Command("outbox")
    .description("list queued (pending), sent and rejected results")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      const config = loadConfig();
      const outbox = new Outbox(config.home);
      const listing = await outbox.list();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ dir: outbox.dir, ...listing })}\n`);
        return;
      }
      const out: string[] = [`outbox ${outbox.dir}`];
      out.push(`pending (${listing.pending.length})${listing.pending.length ? "  — send with `edgebench submit`" : ""}`);
      for (const p of listing.pending) out.push(`  ${p.id}  queued ${p.queuedAt.toISOString()}`);
      out.push(`rejected (${listing.rejected.length})`);
      for (const r of listing.rejected) out.push(`  ${r.id}  ${r.status} ${describeError(r.error)}  (${r.server}, ${r.rejectedAt})`);
      out.push(`sent (${listing.sent.length})`);
      for (const s of listing.sent) out.push(`  ${s.id}  ${s.url ?? s.server}  ${s.sentAt}`);
      if (listing.corrupt.length) {
        out.push(`corrupt (${listing.corrupt.length})`);
        for (const c of listing.corrupt) out.push(`  ${c}`);
      }
      process.stdout.write(`${out.join("\n")}\n`);
    });
}
