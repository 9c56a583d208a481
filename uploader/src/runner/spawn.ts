/**
 * Runs one model's job in a child process and turns the way it ended into a
 * reason a person can act on. The worker is dist/worker.mjs next to the bundle,
 * or worker-entry.ts (through tsx) when running from the TypeScript sources.
 */
import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildJob, ChildMessage, ParentMessage } from "./protocol.js";

function workerEntry(): { file: string; execArgv: string[] } {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const bundled = path.join(here, "worker.mjs");
  if (fs.existsSync(bundled)) return { file: bundled, execArgv: [] };
  const source = path.join(here, "worker-entry.ts");
  if (fs.existsSync(source)) return { file: source, execArgv: ["--import", "tsx"] };
  throw new Error(`cannot find the edgebench worker (looked for ${bundled} and ${source})`);
}

/**
 * One libuv pool thread in the model process, so every decode is issued from
 * the same OS thread, as llama-bench issues all of its decodes from one thread.
 * With node's default pool of 4, consecutive decodes land on different pool
 * threads, and the prebuilt llama.cpp (no OpenMP, no attached threadpool)
 * starts its compute threads afresh from whichever one it is; measured on the
 * 2-core dev VM with the Qwen2.5-0.5B-shaped Q8_0 stand-in at 2 threads
 * (2026-11-21): tg 30-35 t/s with 4 pool threads, 26-29 with 2,
 * 37-43 with 1, where llama-bench gives 40-42. The model process runs one
 * native job at a time anyway (hashing, thermal sampling and meters live in the parent).
 */
const CHILD_ENV = { UV_THREADPOOL_SIZE: "1" } as const;

export interface ChildEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the child did not finish its job: why, in one line. */
  failure?: string;
}

/** The last lines of the child's stderr, to explain an abort. */
class Tail {
  private text = "";
  push(chunk: Buffer): void {
    this.text = (this.text + chunk.toString("utf8")).slice(-8192);
  }
  get lines(): string[] {
    return this.text
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
  }
}

/** Explains an unfinished child from its exit and the last thing it printed. */
export function explainExit(code: number | null, signal: NodeJS.Signals | null, stderrLines: readonly string[]): string {
  const assert = stderrLines.find((l) => /GGML_ASSERT|GGML_ABORT|terminate called|Assertion .* failed/.test(l));
  const lastError = [...stderrLines].reverse().find((l) => /error|failed|fatal/i.test(l));
  const detail = (assert ?? lastError ?? stderrLines[stderrLines.length - 1] ?? "").replace(/^.*?(GGML_ASSERT)/, "$1").slice(0, 400);
  if (signal === "SIGKILL" || code === 137) {
    return "the model process was killed (SIGKILL), most likely by the out-of-memory killer: the model and context need more memory than is free";
  }
  if (signal === "SIGABRT" || code === 134) return `llama.cpp aborted while running this model${detail ? `: ${detail}` : ""}`;
  if (signal === "SIGSEGV" || code === 139) return `the model process crashed (segmentation fault)${detail ? `: ${detail}` : ""}`;
  if (signal) return `the model process ended by ${signal}${detail ? `: ${detail}` : ""}`;
  return `the model process exited with code ${code}${detail ? `: ${detail}` : ""}`;
}

export interface RunChildOptions {
  job: ChildJob;
  onMessage(msg: ChildMessage, reply: (m: ParentMessage) => void): void | Promise<void>;
  /** Copy the child's stderr (llama.cpp warnings) to ours. */
  verbose?: boolean;
}

export function runChild(opts: RunChildOptions): Promise<ChildEnd> {
  const entry = workerEntry();
  const child = fork(entry.file, [], {
    execArgv: entry.execArgv,
    env: { ...process.env, ...CHILD_ENV },
    serialization: "advanced",
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const tail = new Tail();
  child.stderr!.on("data", (c: Buffer) => {
    tail.push(c);
    if (opts.verbose) process.stderr.write(c);
  });
  // Data belongs on our stdout; anything the child prints there is diagnostics.
  child.stdout!.on("data", (c: Buffer) => {
    tail.push(c);
    if (opts.verbose) process.stderr.write(c);
  });
  let done = false;
  // Messages are handled one at a time, in order, even when a handler awaits.
  let queue = Promise.resolve();
  const reply = (m: ParentMessage) => {
    if (child.connected) child.send(m);
  };
  child.on("message", (msg: ChildMessage) => {
    if (msg.type === "done") done = true;
    queue = queue
      .then(() => opts.onMessage(msg, reply))
      .catch((err: unknown) => {
        process.stderr.write(`edgebench: ${(err as Error).message}\n`);
      });
  });
  child.send({ type: "job", job: opts.job } satisfies ParentMessage);
  return new Promise((resolve) => {
    child.on("error", (err) => {
      if (!done) tail.push(Buffer.from(`spawn error: ${err.message}\n`));
    });
    child.on("close", (code, signal) => {
      void queue.then(() => resolve({ code, signal, failure: done ? undefined : explainExit(code, signal, tail.lines) }));
    });
  });
}
