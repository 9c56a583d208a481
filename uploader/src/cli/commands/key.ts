/** `edgebench key export|import`: move a contributor's key between boards. */
import { Command } from "commander";
import { loadConfig } from "../../config.js";
import { exportIdentity, exportIdentityText, importIdentity } from "../../identity/index.js";

export function keyCommand(): Command {
  const key = new Command("key").description("export or import your signing key (to use one identity on several boards)");
  key
    .command("export")
    .description("write your key file (private key included) to --out FILE, or to a pipe; never to a terminal")
    .option("--out <file>", "destination (created with mode 0600)")
    .option("--force", "overwrite --out if it exists")
    .action(async (opts: { out?: string; force?: boolean }) => {
      const config = loadConfig();
      if (opts.out) {
        const identity = await exportIdentity(config.home, opts.out, { force: opts.force });
        process.stderr.write(
          `exported key ${identity.fingerprint} to ${opts.out} (it holds your private key: keep it safe, delete copies you no longer need)\n`,
        );
        return;
      }
      if (process.stdout.isTTY)
        throw new Error("refusing to print a private key to a terminal; use --out FILE or a pipe (edgebench key export > FILE)");
      process.stdout.write(await exportIdentityText(config.home));
    });
  key
    .command("import")
    .description("install a key file made by `edgebench key export`")
    .argument("<file>", "the exported key file")
    .option("--force", "replace a different key already here")
    .action(async (file: string, opts: { force?: boolean }) => {
      const config = loadConfig();
      const identity = await importIdentity(config.home, file, { force: opts.force });
      process.stdout.write(identity.unchanged ? `key ${identity.fingerprint} is already installed\n` : `imported key ${identity.fingerprint}\n`);
    });
  return key;
}
