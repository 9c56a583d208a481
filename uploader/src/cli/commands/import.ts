/**
 * `edgebench import FILE`: llama-bench JSON into a result document (origin
 * "imported", no power). The system is detected on this machine (run it where
 * the file was made) or declared with --board-name; llama-bench's own cpu_info
 * and gpu_info replace the detected CPU/GPU names; the envelope is --envelope,
 * else the one in edgebench config. With --submit or --offline
 * the document is signed and queued through the same delivery as `run`.
 */
import fs from "node:fs";
import path from "node:path";
import { type Envelope, ResultDocument } from "@edgebench/contract";
import { Command } from "commander";
import { type Config, loadConfig } from "../../config.js";
import { detectSystem } from "../../detect/index.js";
import { declaredEnvelope, ENVELOPE_NOTES } from "../../identity/index.js";
import { llamaBenchToDocument, parseLlamaBench } from "../../import/llama-bench.js";
import { DEFAULT_SUITE, loadSuite } from "../../suite/index.js";
import { deliverDocument } from "../delivery.js";
import { formatEnvelope, parseEnvelope } from "../options.js";
import { resultTable } from "../table.js";

export interface ImportCommandOptions {
  json?: boolean;
  out?: string;
  boardName?: string;
  envelope?: Envelope;
  fleet?: string;
  node?: string;
  /** Sign, queue and send to the registry. */
  submit?: boolean;
  /** Sign and queue only (send later with `edgebench submit`). */
  offline?: boolean;
  server?: string;
}

export async function importAction(file: string, opts: ImportCommandOptions, config: Config = loadConfig()): Promise<ResultDocument> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new Error(`cannot read ${file}`);
  }
  const records = parseLlamaBench(text);
  const { envelope } = await declaredEnvelope(opts.envelope, config.home);
  const { system } = detectSystem(config, { boardName: opts.boardName, envelope });
  const suite = loadSuite(DEFAULT_SUITE);
  const doc = llamaBenchToDocument(records, {
    system,
    suite: { id: suite.id, version: suite.version },
    fleet: opts.fleet || opts.node ? { label: opts.fleet, node: opts.node } : undefined,
  });
  const checked = ResultDocument.safeParse(doc);
  if (!checked.success) {
    throw new Error(
      `the converted document does not match the contract: ${checked.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join(".")}: ${i.message}`)
        .join("; ")}`,
    );
  }
  return doc;
}

export function importCommand(): Command {
  return new Command("import")
    .description("turn llama-bench JSON output (llama-bench -o json) into a result document (origin imported, no power)")
    .argument("<file>", "llama-bench JSON or JSONL file")
    .option("--json", "print the document on stdout")
    .option("-o, --out <file>", "write the document to FILE")
    .option("--board-name <name>", "declare the board the file came from")
    .option("--envelope <WxDxH>", "declare the board's envelope in mm (default: `edgebench config set envelope`)", parseEnvelope)
    .option("--fleet <label>", "fleet or site label")
    .option("--node <name>", "node name within the fleet")
    .option("--submit", "sign the document with your key, queue it in the outbox and send it to the registry")
    .option("--offline", "sign and queue in the outbox without sending (send later with `edgebench submit`)")
    .option("--server <url>", "registry base URL (with --submit)")
    .action(async (file: string, opts: ImportCommandOptions) => {
      const config = loadConfig();
      const doc = await importAction(file, opts, config);
      const envelope = doc.system.envelope;
      // A stored value that changes the document: say so, as `run` does.
      if (envelope && envelope.note === ENVELOPE_NOTES["config.json"])
        process.stderr.write(`envelope ${formatEnvelope(envelope)} mm from edgebench config (--envelope overrides it)\n`);
      const json = `${JSON.stringify(doc, null, 2)}\n`;
      if (opts.out) {
        fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
        fs.writeFileSync(opts.out, json);
        process.stderr.write(
          `written to ${path.resolve(opts.out)}${opts.submit || opts.offline ? "" : "; sign and send it with `edgebench import --submit`"}\n`,
        );
      }
      if (opts.json) process.stdout.write(json);
      else process.stdout.write(resultTable(doc));
      if (opts.submit || opts.offline) {
        const delivery = await deliverDocument(doc, { offline: opts.offline, server: opts.server }, config);
        for (const line of delivery.lines) process.stderr.write(`${line}\n`);
        // Not delivered (refused, or the registry out of reach): say so in the exit code, as `submit` does.
        process.exitCode = delivery.exitCode;
      }
    });
}
