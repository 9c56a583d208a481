// Runs the edgebench CLI the way a user does: uploader/bin/edgebench.mjs, which
// loads the bundle uploader/dist/edgebench.mjs, built from source first when it
// is missing or older than the sources. Shared by `npm start` and the e2e tests.
import { spawn } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "./local-registry.mjs";

/** The installed `edgebench` command (package.json bin). */
export const CLI_PATH = path.join(REPO_ROOT, "uploader/bin/edgebench.mjs");
const BUNDLE = path.join(REPO_ROOT, "uploader/dist/edgebench.mjs");
const SRC_DIR = path.join(REPO_ROOT, "uploader/src");
const BUILD_SCRIPT = path.join(REPO_ROOT, "uploader/build.mjs");

async function newestMtime(dir) {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestMtime(p));
    else newest = Math.max(newest, (await stat(p)).mtimeMs);
  }
  return newest;
}

/** Builds uploader/dist/edgebench.mjs unless it is newer than every source file. */
export async function ensureUploaderBuilt({ log } = {}) {
  const built = await stat(BUNDLE).catch(() => undefined);
  if (built && built.mtimeMs >= Math.max(await newestMtime(SRC_DIR), (await stat(BUILD_SCRIPT)).mtimeMs)) return CLI_PATH;
  log?.("building the uploader (uploader/build.mjs)…");
  const { code, output } = await runNode([BUILD_SCRIPT], { cwd: path.join(REPO_ROOT, "uploader") });
  if (code !== 0) throw new Error(`building the uploader failed (exit ${code}):\n${output.slice(-4000)}`);
  return CLI_PATH;
}

/**
 * Runs `node <args>`; resolves with the exit code and combined output. With
 * `inherit`, output also goes to this process's terminal as it arrives.
 */
export function runNode(args, { cwd = REPO_ROOT, env = process.env, inherit = false, timeoutMs, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    // Its own process group, so a caller can signal the CLI together with the
    // model worker processes it forks (see stopGroup).
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    onSpawn?.(child);
    let output = "";
    let stdout = "";
    child.stdout.on("data", (c) => {
      output += c;
      stdout += c;
      if (inherit) process.stdout.write(c);
    });
    child.stderr.on("data", (c) => {
      output += c;
      if (inherit) process.stderr.write(c);
    });
    const timer = timeoutMs ? setTimeout(() => signalGroup(child, "SIGKILL"), timeoutMs) : undefined;
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), signal, output, stdout });
    });
  });
}

/** Runs the built CLI with the given arguments and environment overrides. */
export function runCli(args, { env = {}, ...options } = {}) {
  return runNode([CLI_PATH, ...args], { ...options, env: { ...process.env, ...env } });
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

/** Interrupts a CLI started by runNode (SIGINT to its group), then SIGKILLs the group after graceMs. */
export async function stopGroup(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) {
    signalGroup(child, "SIGKILL"); // workers it left behind, if any
    return;
  }
  const exited = new Promise((r) => child.once("exit", r));
  signalGroup(child, "SIGINT");
  const timer = new Promise((r) => setTimeout(r, graceMs, "timeout"));
  await Promise.race([exited, timer]);
  signalGroup(child, "SIGKILL");
}
