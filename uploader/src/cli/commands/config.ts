/**
 * `edgebench config set|get|unset|list`: the contributor's settings in
 * config.json (identity/user-config.ts), so a value given once (the board's
 * envelope, a display name, a registry) need not be repeated on every command.
 * The handlers only print; the plain functions below do the work, and
 * `whoami --set-name/--set-server` go through them too.
 */
import { Command } from "commander";
import { type Config, loadConfig } from "../../config.js";
import { readUserConfig, type UserConfig, updateUserConfig, userConfigPath } from "../../identity/index.js";
import { normaliseServer, resolveServer, type ServerSource } from "../../submit/index.js";
import { envelopeDims, formatEnvelope } from "../options.js";

export const CONFIG_KEYS = ["displayName", "server", "envelope", "boardName"] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Each key's parser: the text `config set` takes -> the value config.json keeps; throws a one-line Error. */
const PARSERS: { [K in ConfigKey]: (raw: string) => NonNullable<UserConfig[K]> } = {
  displayName: (raw) => {
    const name = raw.trim();
    if (name.length < 1 || name.length > 64) throw new Error(`displayName takes 1 to 64 characters, got ${name.length}`);
    return name;
  },
  server: (raw) => {
    try {
      return normaliseServer(raw);
    } catch (err) {
      throw new Error(`server: ${(err as Error).message}`);
    }
  },
  envelope: (raw) => envelopeDims(raw, "envelope"),
  boardName: (raw) => {
    const name = raw.trim();
    if (name.length < 1 || name.length > 128) throw new Error(`boardName takes 1 to 128 characters, got ${name.length}`);
    return name;
  },
};

/** What `config set KEY` wants, for help and for "not set" hints. */
const VALUE_HINTS: Record<ConfigKey, string> = {
  displayName: "NAME",
  server: "URL",
  envelope: "WxDxH",
  boardName: "NAME",
};

export interface ConfigEntry {
  key: ConfigKey;
  /** As `config get` prints it and `config set` takes it (envelope: 85x56x25, in mm); null when not set anywhere. */
  value: string | null;
  /** Where the value comes from: config.json, or for server EDGEBENCH_SERVER or the default; null when not set. */
  source: Exclude<ServerSource, "flag"> | null;
}

/** A key by name (any case, dashes allowed: displayname and board-name work); anything else is refused before config.json is read or written. */
export function configKey(name: string): ConfigKey {
  const plain = (k: string) => k.trim().toLowerCase().replace(/[-_]/g, "");
  const key = CONFIG_KEYS.find((k) => plain(k) === plain(name));
  if (!key) throw new Error(`unknown config key "${name}"; the keys are ${CONFIG_KEYS.join(", ")}`);
  return key;
}

function formatValue(key: ConfigKey, user: UserConfig): string | undefined {
  if (key === "envelope") return user.envelope && formatEnvelope(user.envelope);
  return user[key];
}

function entry(key: ConfigKey, user: UserConfig, config: Pick<Config, "serverFromEnv">): ConfigEntry {
  // server always has a value: the one commands would send to, wherever it comes from.
  if (key === "server") {
    const { server, source } = resolveServer(undefined, user, config);
    return { key, value: server, source: source === "flag" ? null : source };
  }
  const value = formatValue(key, user);
  return value === undefined ? { key, value: null, source: null } : { key, value, source: "config.json" };
}

/** Parses and stores one value; a bad key or value throws before anything is written. */
export async function setConfigValue(home: string, name: string, raw: string): Promise<ConfigEntry> {
  const key = configKey(name);
  const value = PARSERS[key](raw);
  const user = await updateUserConfig(home, { [key]: value } as Partial<UserConfig>);
  return { key, value: formatValue(key, user) ?? null, source: "config.json" };
}

/** Removes one value from config.json; false (and no write) when it was not there. */
export async function unsetConfigValue(home: string, name: string): Promise<boolean> {
  const key = configKey(name);
  const user = await readUserConfig(home);
  if (user[key] === undefined) return false;
  await updateUserConfig(home, { [key]: undefined });
  return true;
}

export async function getConfigValue(config: Pick<Config, "home" | "serverFromEnv">, name: string): Promise<ConfigEntry> {
  const key = configKey(name);
  return entry(key, await readUserConfig(config.home), config);
}

/** Every key, in CONFIG_KEYS order, with its value and where it comes from. */
export async function listConfig(config: Pick<Config, "home" | "serverFromEnv">): Promise<ConfigEntry[]> {
  const user = await readUserConfig(config.home);
  return CONFIG_KEYS.map((key) => entry(key, user, config));
}

export function formatConfigList(entries: ConfigEntry[]): string {
  const width = Math.max(...entries.map((e) => e.key.length)) + 2;
  const valueWidth = Math.max(...entries.map((e) => (e.value ?? "(not set)").length)) + 2;
  return entries
    .map((e) => `${`${e.key.padEnd(width)}${e.value === null ? "(not set)" : `${e.value.padEnd(valueWidth)}(${e.source})`}`.trimEnd()}\n`)
    .join("");
}

export function configCommand(): Command {
  const config = new Command("config").description(
    "show or change your settings (config.json in the edgebench home): displayName, server, envelope (the board's WxDxH in mm, declared on run and import), boardName (declared on run when no --board-name is given)",
  );
  config
    .command("set")
    .description("store a value: displayName NAME, server URL, envelope WxDxH (mm, e.g. 85x56x25) or boardName NAME")
    .argument("<key>", CONFIG_KEYS.join(" | "))
    .argument("<value>", "the new value")
    .action(async (name: string, raw: string) => {
      const home = loadConfig().home;
      const e = await setConfigValue(home, name, raw);
      process.stderr.write(`${e.key} = ${e.value} (${userConfigPath(home)})\n`);
    });
  config
    .command("get")
    .description("print the value commands use (exit code 1 when it is not set)")
    .argument("<key>", CONFIG_KEYS.join(" | "))
    .action(async (name: string) => {
      const e = await getConfigValue(loadConfig(), name);
      if (e.value === null) {
        process.stderr.write(`${e.key} is not set (edgebench config set ${e.key} ${VALUE_HINTS[e.key]})\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${e.value}\n`);
    });
  config
    .command("unset")
    .description("remove a value from config.json")
    .argument("<key>", CONFIG_KEYS.join(" | "))
    .action(async (name: string) => {
      const home = loadConfig().home;
      const key = configKey(name);
      process.stderr.write((await unsetConfigValue(home, key)) ? `${key} removed from ${userConfigPath(home)}\n` : `${key} was not set\n`);
    });
  config
    .command("list")
    .description("every key with its value and where it comes from (config.json, EDGEBENCH_SERVER, default)")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      const entries = await listConfig(loadConfig());
      process.stdout.write(opts.json ? `${JSON.stringify(entries)}\n` : formatConfigList(entries));
    });
  return config;
}
