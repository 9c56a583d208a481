/** Process helpers for the release tests: run a command, bounded, and keep its output. */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs cmd with args; never rejects on a non-zero exit (the test asserts on it), only on a timeout. */
export function exec(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${cmd} ${args.join(" ")} timed out after ${opts.timeoutMs} ms; output:\n${(stdout + stderr).slice(-3000)}`));
    }, opts.timeoutMs ?? 120_000);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A quick `edgebench run` of one model: one repetition, one thread, a 2 s sustained test, nothing submitted, the document on stdout. */
export const QUICK_RUN_FLAGS = [
  "--reps",
  "1",
  "--threads",
  "1",
  "--no-perplexity",
  "--sustained-seconds",
  "2",
  "--idle-seconds",
  "0",
  "--no-submit",
  "--json",
];

/** Names that would let a test pass on this machine's own Node instead of what it installed. */
const NODE_COMMANDS = new Set(["node", "nodejs", "npm", "npx", "corepack"]);

/**
 * A board without Node for the release tests: a directory of links to this
 * machine's system commands (sh, tar, sha256sum, ...) without node, npm and
 * the like; returns it for PATH.
 */
export function pathWithoutNode(dir: string): string {
  fs.mkdirSync(dir);
  for (const sys of ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]) {
    if (!fs.existsSync(sys)) continue;
    for (const name of fs.readdirSync(sys)) {
      if (NODE_COMMANDS.has(name) || fs.existsSync(path.join(dir, name))) continue;
      fs.symlinkSync(path.join(sys, name), path.join(dir, name));
    }
  }
  return dir;
}

/**
 * The environment of that board: its PATH, a HOME the test owns, and nothing
 * else of this machine's (so none of vitest's EDGEBENCH_* settings: runs pass
 * BOARD_RUN_FLAGS).
 */
export function boardEnv(bin: string, home: string): NodeJS.ProcessEnv {
  return { PATH: bin, HOME: home, CI: "1" };
}

/** QUICK_RUN_FLAGS plus what test/node/vitest.config.ts's environment gives other runs: no accuracy test, no cooldown. */
export const BOARD_RUN_FLAGS = [...QUICK_RUN_FLAGS, "--no-accuracy", "--cooldown", "0"];
