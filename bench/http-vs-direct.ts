/**
 * bench/http-vs-direct.ts: the same model measured two ways, and the gap.
 *   direct: runBenchmark(), the node-llama-cpp runner `edgebench run` uses
 *           (child process, llama-bench timing of evaluation only);
 *   http:   runHttpBenchmark(), the adapter `edgebench run --runtime` uses,
 *           against a real OpenAI-compatible streaming server on 127.0.0.1
 *           (test/fixtures/http-runtime/openai-server.ts: node-llama-cpp
 *           inference, SSE chunks, usage in the last chunk), twice:
 *             - llama-server style: the server's own prompt/generation timings
 *             - plain OpenAI: usage only, so the adapter times on the client clock.
 * Prints tokens/s (mean of per-repetition rates, the contract's rateFigure) for
 * pp and tg and the difference of each HTTP figure from the direct one in %.
 * What the difference contains: HTTP + JSON + SSE framing and the client's
 * event loop (client clock), the server's token sampling, which the direct
 * runner leaves out (it feeds fixed tokens), and the machine's noise.
 *
 * BENCH_PRESET (default qwen2.5-0.5b; "tiny" for a quick look), BENCH_TYPE
 * (q8_0), BENCH_THREADS (1: the server and the runner get the same count; this
 * machine is shared), BENCH_REPS (3), BENCH_PP (128), BENCH_TG (32), BENCH_ROUNDS (2).
 */
import { type ResultDocument, rateFigure, type TestResult } from "@edgebench/contract";
import { startOpenAiServer } from "../test/fixtures/http-runtime/openai-server.js";
import { loadConfig } from "../uploader/src/config.js";
import { runBenchmark } from "../uploader/src/runner/index.js";
import { runHttpBenchmark } from "../uploader/src/runtimes/http/index.js";
import { loadSuite, type Suite } from "../uploader/src/suite/index.js";
import { loadavg } from "./lib/seed.js";
import { standinModel } from "./lib/standin.js";

const threads = Number(process.env.BENCH_THREADS ?? 1);
const reps = Number(process.env.BENCH_REPS ?? 3);
const pp = Number(process.env.BENCH_PP ?? 128);
const tg = Number(process.env.BENCH_TG ?? 32);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);

const file = standinModel();

const base = loadSuite();
const suite: Suite = {
  ...base,
  tests: [
    { name: `pp${pp}`, kind: "pp", nPrompt: pp, nGen: 0, depth: 0 },
    { name: `tg${tg}`, kind: "tg", nPrompt: 0, nGen: tg, depth: 0 },
  ],
  defaults: { ...base.defaults, contextSize: 1024 },
};
const config = loadConfig();
const quiet = { line: (s: string) => console.error(s), status() {}, fraction() {}, end() {} };
const load = loadavg;

type Method = "direct" | "server" | "client";
const LABEL: Record<Method, string> = {
  direct: "direct (node-llama-cpp runner, llama-bench timing)",
  server: "HTTP, server timings (llama-server style)",
  client: "HTTP, client clock (plain OpenAI: usage only)",
};

async function measure(method: Method): Promise<ResultDocument> {
  if (method === "direct") {
    const r = await runBenchmark({
      config,
      suite,
      models: [file],
      backend: "cpu",
      reps,
      perplexity: false,
      accuracyTasks: 0,
      sweep: { threads: [threads], contextSizes: [1024] },
      // The HTTP path has no cooldown: the direct one must not wait either, to compare like for like.
      cooldownSeconds: 0,
      progress: quiet,
    });
    return r.document;
  }
  const server = await startOpenAiServer({ modelFile: file, modelName: "standin", llamaServer: method === "server", threads, contextSize: 1024 });
  try {
    const r = await runHttpBenchmark({
      config,
      suite,
      runtime: { api: "openai", baseUrl: server.url },
      models: [{ name: "standin", file }],
      reps,
      requestTimeoutMs: 600_000,
      stallTimeoutMs: 120_000,
      progress: quiet,
    });
    return r.document;
  } finally {
    await server.close();
  }
}

// The machine is shared: rounds in alternating order (A B C, C B A, ...) so a
// drift in background load falls on every method alike; repetitions are pooled.
console.error(`load average before: ${load()}`);
const pooled = new Map<Method, Map<string, TestResult>>();
let lastDoc: ResultDocument | undefined;
for (let round = 0; round < rounds; round++) {
  const order: Method[] = round % 2 === 0 ? ["direct", "server", "client"] : ["client", "server", "direct"];
  for (const method of order) {
    console.error(`round ${round + 1}/${rounds}: ${LABEL[method]}`);
    const doc = await measure(method);
    if (method === "direct") lastDoc = doc;
    const run = doc.runs[0]!;
    const tests = pooled.get(method) ?? new Map<string, TestResult>();
    for (const t of run.tests) {
      if (t.status !== "ok") throw new Error(`${LABEL[method]}: ${t.name} failed: ${t.error}`);
      const prev = tests.get(t.name);
      // Same shape every round (same prompt text lengths); a smaller count would be pooled conservatively.
      tests.set(
        t.name,
        prev
          ? { ...prev, nPrompt: Math.min(prev.nPrompt, t.nPrompt), nGen: Math.min(prev.nGen, t.nGen), samplesNs: [...prev.samplesNs, ...t.samplesNs] }
          : t,
      );
    }
    pooled.set(method, tests);
  }
}
const direct = { document: lastDoc! };
const m = direct.document.runs[0]!.model;
console.log(
  `\nmodel: ${m.name} (${m.quantisation}, ${((m.parameters ?? 0) / 1e6).toFixed(0)}M parameters), CPU, ${threads} thread(s) for the runner and for the server, ${rounds} rounds x (${reps} reps + 1 warm-up) per method`,
);
console.log(`machine: ${direct.document.system.cpu.model}, ${direct.document.system.cpu.cores} cores, shared; load average after: ${load()}`);
console.log("| test | method | tokens/s (mean of reps ± stddev) | reps | tokens per rep (prompt+gen) | difference vs direct |");
console.log("|---|---|---|---|---|---|");
for (const name of [`pp${pp}`, `tg${tg}`]) {
  const base = rateFigure(pooled.get("direct")!.get(name)!)!;
  for (const method of ["direct", "server", "client"] as Method[]) {
    const t = pooled.get(method)!.get(name)!;
    const f = rateFigure(t)!;
    const diff = (100 * (f.value - base.value)) / base.value;
    const extra = method === "direct" ? "" : ` (${t.timing} clock, ${t.tokenCounts} counts)`;
    console.log(
      `| ${name} | ${LABEL[method]}${extra} | ${f.value.toFixed(2)} ± ${((100 * (f.stddev ?? 0)) / f.value).toFixed(1)} % | ${t.samplesNs.length} | ${t.nPrompt}+${t.nGen} | ${method === "direct" ? "" : `${diff >= 0 ? "+" : ""}${diff.toFixed(1)} %`} |`,
    );
  }
}
process.exit(0);
