/**
 * Which registry a submission goes to: --server, then `server` in config.json,
 * then EDGEBENCH_SERVER, then the public default.
 */
import { type Config, DEFAULT_SERVER } from "../config.js";
import type { UserConfig } from "../identity/user-config.js";

export type ServerSource = "flag" | "config.json" | "EDGEBENCH_SERVER" | "default";

/** Checks and normalises a registry base URL (http/https, no trailing slash, no query). */
export function normaliseServer(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(input)} (expected e.g. https://edgebench.dev or http://127.0.0.1:8787)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`registry URL must be http or https: ${input}`);
  if (url.search || url.hash) throw new Error(`registry URL takes no query or fragment: ${input}`);
  return url.toString().replace(/\/+$/, "");
}

export function resolveServer(
  flag: string | undefined,
  user: Pick<UserConfig, "server">,
  config: Pick<Config, "serverFromEnv">,
): { server: string; source: ServerSource } {
  if (flag) return { server: normaliseServer(flag), source: "flag" };
  if (user.server) return { server: normaliseServer(user.server), source: "config.json" };
  if (config.serverFromEnv) return { server: normaliseServer(config.serverFromEnv), source: "EDGEBENCH_SERVER" };
  return { server: normaliseServer(DEFAULT_SERVER), source: "default" };
}
