/**
 * The edgebench CLI: one file per command in commands/, each exporting a
 * factory that returns a commander Command whose action is a thin handler over
 * a plain function. This file only assembles them and turns errors into one
 * line on stderr (no stack traces for things a user can fix).
 */
import { Command, CommanderError } from "commander";
import { UPLOADER_VERSION } from "../version.js";
import { configCommand } from "./commands/config.js";
import { detectCommand } from "./commands/detect.js";
import { importCommand } from "./commands/import.js";
import { keyCommand } from "./commands/key.js";
import { keygenCommand } from "./commands/keygen.js";
import { metersCommand } from "./commands/meters.js";
import { modelsCommand } from "./commands/models.js";
import { outboxCommand } from "./commands/outbox.js";
import { runCommand } from "./commands/run.js";
import { submitCommand } from "./commands/submit.js";
import { synthModelCommand } from "./commands/synth-model.js";
import { verifyReleaseCommand } from "./commands/verify-release.js";
import { whoamiCommand } from "./commands/whoami.js";
import { withdrawCommand } from "./commands/withdraw.js";
import { EXIT, EXIT_CODES_HELP } from "./exit-codes.js";

export function buildProgram(): Command {
  const program = new Command("edgebench")
    .description("benchmark small LLMs on edge boards (llama.cpp via node-llama-cpp), with power, thermals and hardware; sign and submit the result")
    .version(UPLOADER_VERSION)
    .showHelpAfterError(false)
    .addHelpText("after", `\n${EXIT_CODES_HELP}`)
    .exitOverride();
  const commands = [
    runCommand(),
    detectCommand(),
    modelsCommand(),
    synthModelCommand(),
    importCommand(),
    metersCommand(),
    keygenCommand(),
    whoamiCommand(),
    configCommand(),
    keyCommand(),
    submitCommand(),
    outboxCommand(),
    withdrawCommand(),
    verifyReleaseCommand(),
  ];
  for (const cmd of commands) program.addCommand(exitOverrideAll(cmd));
  return program;
}

/** Sub-subcommands (config set, key import) too: a bad argument there is exit code 2 like anywhere else, not commander's 1. */
function exitOverrideAll(cmd: Command): Command {
  for (const sub of cmd.commands) exitOverrideAll(sub);
  return cmd.exitOverride();
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed its message (help, version, a bad option).
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    process.stderr.write(`edgebench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT.usage;
  } finally {
    // A request a library left hanging (a stalled download's metadata request ignores its abort signal) must not keep a finished command alive.
    setTimeout(() => process.exit(), 2000).unref();
  }
}
