/** `edgebench submit`: send every queued result to the registry. */
import { Command, InvalidArgumentError } from "commander";
import { loadConfig } from "../../config.js";
import { readUserConfig } from "../../identity/index.js";
import { resolveServer, type SubmitReport, submitPending } from "../../submit/index.js";
import { resultPageUrl } from "../delivery.js";
import { EXIT } from "../exit-codes.js";

function positive(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
    return n;
  };
}

export function printReport(report: SubmitReport, write: (s: string) => void): void {
  for (const s of report.sent) write(`sent      ${s.id}  ${resultPageUrl(report.server, s.id, s.url)}\n`);
  for (const r of report.rejected) write(`rejected  ${r.id}  (${r.status}; see outbox/rejected/${r.id}.error.json)\n`);
  for (const p of report.pending) write(`queued    ${p.id}  (${p.lastError})\n`);
  for (const c of report.corrupt) write(`corrupt   ${c.name}  (${c.reason})\n`);
  if (!report.sent.length && !report.rejected.length && !report.pending.length && !report.corrupt.length) write("nothing to send\n");
}

export function submitCommand(): Command {
  return new Command("submit")
    .description("send queued results (the outbox) to the registry; retries with backoff, keeps what cannot be sent")
    .option("--server <url>", "registry base URL (default: config.json `server`, EDGEBENCH_SERVER, then the public registry)")
    .option("--attempts <n>", "attempts per result before leaving it queued", positive("--attempts"), 5)
    .option("--timeout <seconds>", "timeout per attempt", positive("--timeout"), 30)
    .option("--json", "machine-readable report on stdout")
    .action(async (opts: { server?: string; attempts: number; timeout: number; json?: boolean }) => {
      const config = loadConfig();
      const { server } = resolveServer(opts.server, await readUserConfig(config.home), config);
      const report = await submitPending(config.home, {
        server,
        policy: { maxAttempts: Math.floor(opts.attempts), timeoutMs: opts.timeout * 1000 },
        userAgent: "edgebench-uploader",
        log: (line) => process.stderr.write(`${line}\n`),
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else printReport(report, (s) => process.stdout.write(s));
      // A corrupt file is reported, not a failure; anything not delivered is.
      if (report.rejected.length) process.exitCode = EXIT.rejected;
      else if (report.pending.length) process.exitCode = EXIT.queued;
    });
}
