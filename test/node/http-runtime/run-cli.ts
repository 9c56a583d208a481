/**
 * `edgebench run --runtime ...` as a child process (the bundle global setup
 * built), asynchronously: the fixture server answering it lives in the test
 * process, so a blocking spawnSync would deadlock. Bounded by a hard kill.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ResultDocument } from "@edgebench/contract";
import { CLI, REPO_ROOT } from "../helpers/models.js";

export const SMALL_SUITE = path.join(REPO_ROOT, "test/fixtures/http-runtime/suite-small.json");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The document from --json, validated against the contract (throws if it is not one). */
  doc: ResultDocument;
}

export function runCli(args: string[], timeoutMs = 150_000): Promise<CliRun> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-http-"));
  const child = spawn(process.execPath, [CLI, "run", "--json", "--no-submit", "--idle-seconds", "0", "--no-perplexity", ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, EDGEBENCH_HOME: home, EDGEBENCH_SERVER: "", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => {
      clearTimeout(timer);
      fs.rmSync(home, { recursive: true, force: true });
      try {
        resolve({ code, stdout, stderr, doc: ResultDocument.parse(JSON.parse(stdout)) });
      } catch (err) {
        reject(new Error(`no valid document (exit ${code}): ${(err as Error).message}\nstderr:\n${stderr.slice(-3000)}`));
      }
    });
  });
}
