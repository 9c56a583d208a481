/**
 * The edgebench CLI as a child process the test can watch and SIGKILL at a
 * chosen moment (uploader/bin/edgebench.mjs, as users run it).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { CLI_PATH } from "../../../scripts/lib/uploader-cli.mjs";
import { REPO_ROOT } from "../helpers/local-registry.js";

export interface CliProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves when the output matches (rejects after timeoutMs or if the process exits first). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL to its whole process group (the CLI and any model worker it forked). */
  kill(): Promise<void>;
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Own process group: SIGKILL reaches the model worker the CLI forks too,
    // like a power cut, and leaves nothing running after the test.
    detached: true,
  });
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (c: Buffer) => {
    output += c.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => {
    done = true;
    for (const l of listeners) l();
  });
  return {
    child,
    output: () => output,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern}; output:\n${output.slice(-3000)}`)), timeoutMs);
        const check = () => {
          const m = output.match(pattern);
          if (m) finish(undefined, m);
          else if (done) finish(new Error(`exited before ${pattern}; output:\n${output.slice(-3000)}`));
        };
        function finish(err?: Error, m?: RegExpMatchArray) {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve(m!);
        }
        listeners.add(check);
        check();
      });
    },
    async kill() {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
      await exited;
    },
  };
}

/** Runs the CLI to completion (bounded). */
export async function cli(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<{ code: number | null; output: string; stdout: string }> {
  const p = spawnCli(args, env);
  let stdout = "";
  p.child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
  const timer = setTimeout(() => void p.kill(), timeoutMs);
  const { code } = await p.exited;
  clearTimeout(timer);
  await p.kill(); // sweep anything it left in its group
  return { code, output: p.output(), stdout };
}
