/** Process helpers for the release tests: run a command, bounded, and keep its output. */
import { spawn } from "node:child_process";

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

/**
 * An environment with no way to a package registry: only PATH, a HOME the test
 * owns (so no ~/.npmrc and an empty npm cache), npm offline, and the registry
 * pointed at a closed loopback port in case anything still tries.
 */
export function isolatedEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    CI: "1",
    npm_config_cache: `${home}/.npm`,
    npm_config_userconfig: `${home}/.npmrc`,
    npm_config_offline: "true",
    npm_config_registry: "http://127.0.0.1:9/",
    npm_config_update_notifier: "false",
    ...extra,
  };
}
