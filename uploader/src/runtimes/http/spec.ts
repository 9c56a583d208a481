/**
 * `--runtime openai:http://127.0.0.1:8080` / `ollama:http://127.0.0.1:11434`:
 * which HTTP API to speak and where. A bare base URL may end in /v1 (as many
 * vendor docs print it); the adapter adds the API paths itself.
 */
export const HTTP_APIS = ["openai", "ollama"] as const;
export type HttpApi = (typeof HTTP_APIS)[number];

export interface RuntimeSpec {
  api: HttpApi;
  /** Base URL without a trailing slash and without a trailing /v1. */
  baseUrl: string;
}

export class RuntimeSpecError extends Error {
  override name = "RuntimeSpecError";
}

export function parseRuntimeSpec(value: string): RuntimeSpec {
  const m = /^(openai|ollama):(.+)$/i.exec(value.trim());
  if (!m) throw new RuntimeSpecError(`--runtime takes openai:URL or ollama:URL (e.g. openai:http://127.0.0.1:8080), got "${value}"`);
  let url: URL;
  try {
    url = new URL(m[2]!);
  } catch {
    throw new RuntimeSpecError(`--runtime ${value}: "${m[2]}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new RuntimeSpecError(`--runtime ${value}: only http: and https: servers are supported`);
  const base = `${url.origin}${url.pathname}`.replace(/\/+$/, "").replace(/\/v1$/, "");
  return { api: m[1]!.toLowerCase() as HttpApi, baseUrl: base };
}
