/** `edgebench keygen`: make the contributor's Ed25519 key pair (never printed). */
import { Command } from "commander";
import { loadConfig } from "../../config.js";
import { createIdentity, keyPath } from "../../identity/index.js";

export function keygenCommand(): Command {
  return new Command("keygen")
    .description("create your Ed25519 signing key in the edgebench home (EDGEBENCH_HOME or ~/.config/edgebench); the private key is never printed")
    .option("--force", "replace an existing key (results signed with it stay valid, but new ones will show a different contributor)")
    .action(async (opts: { force?: boolean }) => {
      const config = loadConfig();
      const identity = await createIdentity(config.home, { force: opts.force });
      process.stdout.write(
        `created key ${identity.fingerprint}\n` +
          `  public key  ${identity.publicKey}\n` +
          `  stored in   ${keyPath(config.home)} (mode 0600; back it up with \`edgebench key export --out FILE\`)\n`,
      );
    });
}
