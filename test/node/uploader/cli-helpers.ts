/** Runs the bundled CLI (uploader/bin/edgebench.mjs, as `npx edgebench` does) and collects its output. */
import { spawn } from "node:child_process";
import { CLI, REPO_ROOT } from "../helpers/models.js";

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 280_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO_ROOT,
      // CI=1: plain progress lines; no registry in reach unless a test gives one.
      env: { ...process.env, CI: "1", EDGEBENCH_SERVER: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`edgebench ${args.join(" ")} timed out; stderr:\n${stderr.slice(-3000)}`));
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
