// Starts the edgebench registry locally: `wrangler dev` on 127.0.0.1 with a
// local D1 whose migrations are applied first. Used by `npm start`, by the
// uploader's end-to-end tests and by the browser tests, so all three run the
// real Worker the same way. Plain ESM so `npm start` needs no TypeScript step;
// local-registry.d.mts carries the types for the TS tests.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { WRANGLER_OFFLINE_ENV, wranglerBin } from "../wrangler.mjs";

/** The repository root: wrangler.toml lives here and wrangler runs from here. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const HOST = "127.0.0.1";
/** How much of wrangler's output is kept for error messages. */
const TAIL_CHARS = 6000;

/**
 * A free TCP port on 127.0.0.1: `preferred` when it can be bound, otherwise one
 * the kernel picks (binding :0). There is a small window between closing the
 * probe and wrangler binding it; acceptable on a loopback test machine.
 */
export async function freePort(preferred) {
  if (preferred !== undefined && (await canBind(preferred))) return preferred;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function canBind(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

function outputTail(buffer) {
  const text = buffer.join("");
  return text.length > TAIL_CHARS ? `…${text.slice(-TAIL_CHARS)}` : text;
}

/** Runs a wrangler command to completion, returning its output; throws with the tail on failure. */
export function runWrangler(args, { timeoutMs = 120_000, log } = {}) {
  return new Promise((resolve, reject) => {
    const out = [];
    const child = spawn(process.execPath, [wranglerBin, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...WRANGLER_OFFLINE_ENV, CI: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const onData = (chunk) => {
      const s = chunk.toString();
      out.push(s);
      log?.(s);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out.join(""));
      else
        reject(
          new Error(
            `wrangler ${args.join(" ")} failed (${signal ? `killed by ${signal}` : `exit ${code}`}` +
              `${signal === "SIGKILL" ? `, over ${timeoutMs} ms` : ""}):\n${outputTail(out)}`,
          ),
        );
    });
  });
}

/** Applies the D1 migrations (db/migrations) to the local database under persistDir. */
export async function applyLocalMigrations(persistDir, options = {}) {
  await mkdir(persistDir, { recursive: true });
  return runWrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir], options);
}

/**
 * Starts the registry. Resolves once GET /api/v1/health answers 200.
 *
 * @param {object} [options]
 * @param {number} [options.port] exact port; when omitted a free one is picked
 *   (`preferredPort` first when given and free).
 * @param {number} [options.preferredPort] used when free, else any free port.
 * @param {string} [options.persistDir] local state (D1 SQLite); default: a fresh
 *   temporary directory, removed again by stop().
 * @param {(chunk: string) => void} [options.log] receives wrangler's output.
 * @param {boolean} [options.migrate] apply migrations first (default true).
 * @param {number} [options.readyTimeoutMs] default 90 s (two shared cores).
 * @param {number} [options.stopTimeoutMs] SIGKILL after this long (default 10 s).
 * @param {Record<string, string>} [options.vars] wrangler vars for this instance (`--var K:V`).
 * @param {boolean} [options.testScheduled] serve /__scheduled, which runs the Worker's cron handler (benchmarks use it).
 */
export async function startLocalRegistry(options = {}) {
  const { log, migrate = true, readyTimeoutMs = 90_000, stopTimeoutMs = 10_000 } = options;
  const ownsDir = !options.persistDir;
  const persistDir = options.persistDir ? path.resolve(options.persistDir) : await mkdtemp(path.join(os.tmpdir(), "edgebench-registry-"));
  if (migrate) await applyLocalMigrations(persistDir, { log });

  const port = options.port ?? (await freePort(options.preferredPort));
  // The devtools inspector defaults to 9229; give each instance its own so
  // several registries (npm start, e2e and browser tests) can run side by side.
  const inspectorPort = await freePort();
  const args = [
    wranglerBin,
    "dev",
    "--ip",
    HOST,
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    persistDir,
    "--show-interactive-dev-session=false",
    // Wrangler vars for this instance only (e.g. raised rate limits for a load benchmark).
    ...Object.entries(options.vars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ...(options.testScheduled ? ["--test-scheduled"] : []),
  ];
  const out = [];
  // Own process group: if wrangler ignores SIGINT we can SIGKILL it together
  // with the workerd it started, leaving nothing behind.
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...WRANGLER_OFFLINE_ENV },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const onData = (chunk) => {
    const s = chunk.toString();
    out.push(s);
    if (out.length > 400) out.splice(0, out.length - 200);
    log?.(s);
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);

  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
    child.once("error", (err) => {
      exited = { code: null, signal: null, error: err };
      resolve(exited);
    });
  });
  // Last resort if our process ends without calling stop(): never leave a
  // workerd serving on a port behind.
  const killGroup = () => {
    if (exited) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  };
  process.once("exit", killGroup);

  let stopping = null;
  async function stop() {
    if (!stopping) {
      stopping = (async () => {
        if (!exited) {
          try {
            child.kill("SIGINT");
          } catch {
            /* gone */
          }
          const timer = new Promise((r) => setTimeout(r, stopTimeoutMs, "timeout"));
          if ((await Promise.race([exitPromise, timer])) === "timeout") {
            killGroup();
            await exitPromise;
          }
        }
        // workerd may outlive a wrangler that exited on SIGINT; sweep the group.
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          /* nothing left */
        }
        process.removeListener("exit", killGroup);
        if (ownsDir) await rm(persistDir, { recursive: true, force: true });
      })();
    }
    return stopping;
  }

  const url = `http://${HOST}:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(
        `wrangler dev exited before the registry was ready (${exited.error?.message ?? exited.signal ?? `exit ${exited.code}`}):\n${outputTail(out)}`,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the local registry did not answer ${url}/api/v1/health within ${readyTimeoutMs} ms; wrangler output:\n${outputTail(out)}`);
    }
    try {
      const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, persistDir, pid: child.pid, stop, output: () => outputTail(out) };
}
