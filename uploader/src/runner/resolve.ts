/**
 * Turns what the user named (a path, an hf: URI, a URL) into a local file.
 * Remote models are resolved and downloaded by node-llama-cpp's own resolver
 * into config.modelsDir, with progress reported through `onProgress`.
 * A local path is used as it is (never copied) so its sha256 is the user's file.
 *
 * Nothing about a download is left to guess: the host is tried first with a
 * short connect timeout (no network says so in seconds, naming the host), and
 * a download that stops receiving data fails after a stall timeout instead of
 * hanging the run.
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { nodeLlamaCpp } from "../detect/llama.js";
import { unreachableLine } from "../submit/post.js";
import { ModelFileError } from "./model-file.js";

export interface ResolvedModel {
  /** What the user gave (recorded as the model's source). */
  spec: string;
  file: string;
  source: string;
}

export function isRemote(spec: string): boolean {
  return /^(hf:|huggingface:|https?:\/\/)/i.test(spec);
}

/** How long the first TCP connection to the download host may take. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** A download that receives nothing for this long has stalled (--download-stall). */
export const DEFAULT_STALL_SECONDS = 30;

export interface ResolveOptions {
  modelsDir: string;
  /** false: only use what is already downloaded (`edgebench models`). */
  download: boolean;
  onProgress?: (spec: string, downloaded: number, total: number) => void;
  /** Seconds without data before a download is given up (default DEFAULT_STALL_SECONDS). */
  stallSeconds?: number;
  connectTimeoutMs?: number;
}

/** The host and port a remote spec is fetched from (node-llama-cpp's default endpoint for hf: URIs). */
export function downloadOrigin(spec: string): { host: string; port: number; url: string } {
  const url = /^https?:\/\//i.test(spec) ? new URL(spec) : new URL("https://huggingface.co/");
  return { host: url.hostname, port: Number(url.port) || (url.protocol === "https:" ? 443 : 80), url: url.toString() };
}

/** Resolves once a TCP connection to host:port opens; rejects with one line (refused, no route, timed out) otherwise. */
export function probeConnection(host: string, port: number, url: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const done = (err?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(
      () => done(new Error(`no connection to ${host}:${port} within ${(timeoutMs / 1000).toFixed(0)} s (no network, or a firewall?)`)),
      timeoutMs,
    );
    socket.once("connect", () => done());
    socket.once("error", (err) => done(new Error(unreachableLine(url, err))));
  });
}

export async function resolveModel(spec: string, opts: ResolveOptions): Promise<ResolvedModel> {
  if (!isRemote(spec)) {
    const file = path.resolve(spec);
    if (!fs.existsSync(file)) throw new ModelFileError(`model file not found: ${file}`);
    return { spec, file, source: "local" };
  }
  fs.mkdirSync(opts.modelsDir, { recursive: true });
  const { resolveModelFile } = await nodeLlamaCpp();
  // Already downloaded: no network needed.
  const existing = await resolveModelFile(spec, { directory: opts.modelsDir, download: false, cli: false }).catch(() => undefined);
  if (existing) return { spec, file: existing, source: spec };
  if (!opts.download) {
    throw new ModelFileError(`${spec} is not downloaded into ${opts.modelsDir}, and downloading is off (--no-download)`);
  }

  const origin = downloadOrigin(spec);
  try {
    await probeConnection(origin.host, origin.port, origin.url, opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
  } catch (err) {
    throw new ModelFileError(`cannot download ${spec}: ${(err as Error).message}`);
  }

  const stallMs = (opts.stallSeconds ?? DEFAULT_STALL_SECONDS) * 1000;
  const controller = new AbortController();
  let stalled: ModelFileError | undefined;
  let timer: NodeJS.Timeout | undefined;
  let onStall: (err: Error) => void = () => {};
  const watchdog = new Promise<never>((_, reject) => {
    onStall = reject;
  });
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = new ModelFileError(
        `cannot download ${spec}: no data from ${origin.host}:${origin.port} for ${stallMs / 1000} s (stalled; --download-stall sets the limit)`,
      );
      controller.abort(stalled);
      onStall(stalled);
    }, stallMs);
    timer.unref();
  };
  let received = -1;
  arm();
  try {
    // The watchdog wins the race even where the resolver does not honour the abort signal (its metadata request).
    const file = await Promise.race([
      resolveModelFile(spec, {
        directory: opts.modelsDir,
        download: "auto",
        cli: false,
        signal: controller.signal,
        onProgress: ({ downloadedSize, totalSize }) => {
          if (downloadedSize > received) {
            received = downloadedSize;
            arm();
          }
          opts.onProgress?.(spec, downloadedSize, totalSize);
        },
      }),
      watchdog,
    ]);
    return { spec, file, source: spec };
  } catch (err) {
    if (stalled) throw stalled;
    throw new ModelFileError(`cannot download ${spec}: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}
