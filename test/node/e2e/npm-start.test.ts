/**
 * The README's first command. `npm start` runs scripts/start.mjs; here it runs
 * with its state and demo key in a temp dir (so the developer's .wrangler/state
 * and .tmp/home stay untouched) and, on two shared cores, one thread and no
 * perplexity pass (passed through to `edgebench run`). It must bring the
 * registry up, run, submit, print working URLs, serve, and stop cleanly on SIGINT.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/local-registry.js";
import { rankingsSettled } from "../helpers/rankings.js";

let work: string | undefined;
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

it("npm start: registry, run, submit, URLs that answer, then a clean stop on Ctrl-C", async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "edgebench-start-"));
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "scripts/start.mjs"), "--threads", "1", "--no-perplexity"], {
    cwd: REPO_ROOT,
    env: { ...process.env, EDGEBENCH_START_STATE: path.join(work, "state"), EDGEBENCH_START_HOME: path.join(work, "home") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not finish setting up in time:\n${output.slice(-3000)}`)), 110_000);
      const check = () => {
        if (output.includes("serving until Ctrl-C")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on("data", check);
      void exited.then(() => reject(new Error(`npm start exited early:\n${output.slice(-3000)}`)));
    });
    const result = output.match(/result: +(http:\/\/127\.0\.0\.1:\d+\/results\/([0-9a-f]{64}))/);
    const board = output.match(/leaderboard: +(http:\/\/127\.0\.0\.1:\d+\/)/);
    expect(result, output).not.toBeNull();
    expect(board, output).not.toBeNull();
    const page = await fetch(result![1]!);
    expect(page.status).toBe(200);
    expect((await fetch(board![1]!)).status).toBe(200);
    const api = await fetch(new URL(`/api/v1/submissions/${result![2]}`, board![1]!));
    expect(api.status).toBe(200);
    const stored = (await api.json()) as { document: { runs: unknown[] }; runs: { configurationId: string | null }[] };
    expect(stored.document.runs).toHaveLength(1);
    // The run is on the leaderboard once the aggregation step has folded it in (right after the upload's answer).
    await rankingsSettled(board![1]!.replace(/\/$/, ""));
    // A generated model is test data: the leaderboard shows it when asked.
    expect(await (await fetch(`${board![1]!}?test=1`)).text()).toContain(`data-cfg="${stored.runs[0]!.configurationId}"`);

    child.kill("SIGINT");
    expect(await exited).toBe(0);
    // The registry went down with it.
    await expect(fetch(board![1]!, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }
}, 150_000);
