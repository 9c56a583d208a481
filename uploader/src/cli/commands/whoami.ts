/** `edgebench whoami`: the key's fingerprint, display name and registry; sets the latter two. */
import { Command } from "commander";
import { loadConfig } from "../../config.js";
import { hasIdentity, loadIdentity, readUserConfig } from "../../identity/index.js";
import { resolveServer } from "../../submit/index.js";
import { setConfigValue, unsetConfigValue } from "./config.js";

interface WhoamiOptions {
  setName?: string;
  clearName?: boolean;
  setServer?: string;
  clearServer?: boolean;
  json?: boolean;
}

export function whoamiCommand(): Command {
  return new Command("whoami")
    .description("show your key fingerprint, display name and registry")
    .option("--set-name <name>", "set the display name signed into your results (1-64 characters; also: edgebench config set displayName)")
    .option("--clear-name", "remove the display name")
    .option("--set-server <url>", "set the registry results go to (config.json `server`)")
    .option("--clear-server", "forget the registry set with --set-server")
    .option("--json", "machine-readable output")
    .action(async (opts: WhoamiOptions) => {
      const config = loadConfig();
      // The same checks and writes as `edgebench config set/unset displayName|server`.
      if (opts.setName !== undefined) await setConfigValue(config.home, "displayName", opts.setName);
      if (opts.clearName) await unsetConfigValue(config.home, "displayName");
      if (opts.setServer !== undefined) await setConfigValue(config.home, "server", opts.setServer);
      if (opts.clearServer) await unsetConfigValue(config.home, "server");

      const user = await readUserConfig(config.home);
      const { server, source } = resolveServer(undefined, user, config);
      const identity = (await hasIdentity(config.home)) ? await loadIdentity(config.home) : undefined;
      for (const w of identity?.warnings ?? []) process.stderr.write(`warning: ${w}\n`);
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({
            home: config.home,
            fingerprint: identity?.fingerprint ?? null,
            publicKey: identity?.publicKey ?? null,
            displayName: user.displayName ?? null,
            server,
            serverSource: source,
          })}\n`,
        );
        return;
      }
      process.stdout.write(
        (identity
          ? `fingerprint   ${identity.fingerprint}\npublic key    ${identity.publicKey}\n`
          : `fingerprint   (no key yet: \`edgebench keygen\`, or one is made on first submit)\n`) +
          `display name  ${user.displayName ?? "(not set: edgebench whoami --set-name NAME)"}\n` +
          `registry      ${server} (${source})\n` +
          `home          ${config.home}\n`,
      );
    });
}
