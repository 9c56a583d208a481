// Small process helpers for the offline packer: run a command to completion,
// keeping its output for the error message when it fails.
import { spawn } from "node:child_process";

/** Runs `cmd args` in `cwd`; resolves with stdout, rejects with the output's tail. */
export function run(cmd, args, { cwd, env = process.env, timeoutMs = 600_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child.stdout.on("data", (c) => out.push(c));
    child.stderr.on("data", (c) => err.push(c));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} could not start: ${e.message}`));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString();
      if (code === 0) return resolve(stdout);
      const tail = (stdout + Buffer.concat(err).toString()).slice(-4000);
      reject(new Error(`${cmd} ${args.join(" ")} failed (${signal ? `killed by ${signal}` : `exit ${code}`}):\n${tail}`));
    });
  });
}

/** npm's own CLI script, run with this Node (no dependence on an `npm` shim on PATH). */
export function npmCommand() {
  return process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath)
    ? { cmd: process.execPath, pre: [process.env.npm_execpath] }
    : { cmd: "npm", pre: [] };
}

/** Runs npm with the given arguments. */
export function npm(args, opts) {
  const { cmd, pre } = npmCommand();
  return run(cmd, [...pre, ...args], opts);
}
