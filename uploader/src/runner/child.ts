/**
 * The child process: loads one model file and runs the suite on it, reporting
 * every step to the parent over IPC. It exists so that a GGML_ASSERT abort, an
 * out-of-memory kill or a corrupt file ends this process only; the parent
 * records the failure and goes on with the next model.
 */

import type { Resources, Settings } from "@edgebench/contract";
import { type ChatHistoryItem, type Llama, type LlamaContext, LlamaLogLevel, type LlamaModel, resolveChatWrapper, type Token } from "node-llama-cpp";
import { accuracyTicker } from "../accuracy/report.js";
import { loadLlama } from "../detect/llama.js";
import { measureAccuracy } from "./accuracy.js";
import { measureConcurrent } from "./concurrent.js";
import { errorText } from "./corpus-tokens.js";
import { directEvaluator, publicEvaluator } from "./evaluator.js";
import { firstTokenMs, loadWithTimings } from "./load-timing.js";
import { measureTest } from "./measure.js";
import { measurePerplexity } from "./perplexity.js";
import type { ChildJob, ChildMessage, ContextPoint, LoadTiming, ParentMessage, TestOutcome } from "./protocol.js";

function send(msg: ChildMessage): Promise<void> {
  return new Promise((resolve) => process.send!(msg, undefined, undefined, () => resolve()));
}

function nextMessage<T extends ParentMessage["type"]>(type: T): Promise<Extract<ParentMessage, { type: T }>> {
  return new Promise((resolve) => {
    const onMessage = (m: ParentMessage) => {
      if (m.type !== type) return;
      process.off("message", onMessage);
      resolve(m as Extract<ParentMessage, { type: T }>);
    };
    process.on("message", onMessage);
  });
}

/** llama.cpp's own evaluation time from llama_perf_context_print lines (bench diagnostics). */
class PerfLines {
  lines: string[] = [];
  log = (_level: LlamaLogLevel, message: string) => {
    if (message.includes("llama_perf_context_print")) this.lines.push(message);
  };
  takeEvalMs(): number | undefined {
    let total = 0;
    let found = false;
    for (const line of this.lines.join("\n").split("\n")) {
      const m = /(?:prompt eval|\beval) time =\s*([\d.]+) ms/.exec(line);
      if (m) {
        total += Number(m[1]);
        found = true;
      }
    }
    this.lines = [];
    return found ? total : undefined;
  }
}

function chatPromptTokens(model: LlamaModel, prompt: ChildJob["chatPrompt"]): Token[] {
  const wrapper = resolveChatWrapper(model);
  const history: ChatHistoryItem[] = [
    ...(prompt.system ? [{ type: "system" as const, text: prompt.system }] : []),
    { type: "user", text: prompt.user },
    { type: "model", response: [] },
  ];
  return wrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer);
}

async function runPoint(
  job: ChildJob,
  llama: Llama,
  model: LlamaModel,
  load: number,
  pointIndex: number,
  point: ContextPoint,
  perf: PerfLines | undefined,
): Promise<void> {
  let context: LlamaContext | undefined;
  try {
    context = await model.createContext({
      contextSize: point.contextSize,
      batchSize: point.batchSize,
      threads: point.threads,
      flashAttention: point.flashAttention,
      sequences: 1,
      performanceTracking: Boolean(perf),
    });
  } catch (err) {
    await send({ type: "point-failed", load, point: pointIndex, error: `cannot create the context: ${errorText(err)}` });
    return;
  }
  try {
    // node-llama-cpp sets n_ubatch = n_batch (it queues batches itself), so ubatch is the batch size.
    const settings: Settings = {
      threads: context.idealThreads,
      gpuLayers: model.gpuLayers,
      contextSize: context.contextSize,
      batchSize: context.batchSize,
      ubatchSize: context.batchSize,
      flashAttention: context.flashAttention === true,
    };
    await send({ type: "point-start", load, point: pointIndex, settings });
    const sequence = context.getSequence();
    const corpus = model.tokenize(job.corpusText);
    const bos = model.tokens.shouldPrependBosToken ? (model.tokens.bos ?? undefined) : undefined;
    const chatTokens = chatPromptTokens(model, job.chatPrompt);
    let evaluator = directEvaluator(context, sequence);
    if (!evaluator) {
      evaluator = publicEvaluator(sequence);
      await send({
        type: "log",
        line: "this node-llama-cpp lacks the batch calls edgebench times directly; timing through its public API instead (tg about 5 % slower, see runner/evaluator.ts)",
      });
    }
    for (const test of job.tests) {
      // Listening before asking: the parent's "go" (after its cooldown) cannot slip past.
      const go = job.cooldown ? nextMessage("go") : undefined;
      await send({ type: "test-start", load, point: pointIndex, name: test.name });
      await go;
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      let outcome: TestOutcome;
      try {
        outcome =
          test.kind === "concurrent"
            ? await measureConcurrent(test, {
                model,
                point,
                corpus,
                bos,
                warmup: job.warmup,
                reps: job.reps,
                onFallback: () =>
                  send({
                    type: "log",
                    line: `${test.name}: this node-llama-cpp lacks the batch calls edgebench times directly; its ${test.concurrency} streams go through the public API at once, batched by node-llama-cpp (see runner/evaluator.ts)`,
                  }),
              })
            : await measureTest(test, {
                sequence,
                evaluator,
                corpus,
                bos,
                chatTokens,
                contextSize: context.contextSize,
                warmup: job.warmup,
                reps: job.reps,
                onTimedStart: perf
                  ? async () => {
                      await context!.printTimings();
                      perf.takeEvalMs();
                    }
                  : undefined,
                onTimedEnd: perf
                  ? async () => {
                      await context!.printTimings();
                      return perf.takeEvalMs();
                    }
                  : undefined,
              });
      } catch (err) {
        outcome = {
          name: test.name,
          status: "failed",
          error: errorText(err),
          nPrompt: test.nPrompt,
          nGen: test.nGen,
          depth: test.depth,
          windows: [],
          ...(test.kind === "concurrent" ? { concurrency: test.concurrency, slo: test.slo } : {}),
        };
      }
      const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const resources: Resources = {
        // maxRSS: the process's peak so far (KiB), which includes this test.
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        cpuPercent: wallUs > 0 ? Math.round(((cpu.user + cpu.system) / wallUs) * 1000) / 10 : undefined,
      };
      if (llama.gpu) {
        const vram = await llama.getVramState().catch(() => undefined);
        if (vram) resources.peakVramBytes = vram.used;
      }
      await send({ type: "test-end", load, point: pointIndex, outcome: { ...outcome, resources } });
    }
    if (job.perplexity) {
      try {
        const q = await measurePerplexity(sequence, corpus, bos, job.perplexity.chunkTokens, job.perplexity.maxChunks);
        await send({ type: "quality", load, point: pointIndex, perplexity: q.perplexity, tokens: q.tokens });
      } catch (err) {
        await send({ type: "quality", load, point: pointIndex, error: errorText(err) });
      }
    }
    // Once per load: the choices depend on the weights and the backend, not on threads or batch size.
    if (job.accuracy && pointIndex === 0) {
      const tasks = job.accuracy.tasks;
      const tick = accuracyTicker(tasks.length);
      try {
        const r = await measureAccuracy(sequence, model, tasks, bos, async (done) => {
          const line = tick(done);
          if (line) await send({ type: "status", line });
        });
        await send({ type: "accuracy", load, point: pointIndex, choices: r.choices, elapsedMs: r.elapsedMs });
      } catch (err) {
        await send({ type: "accuracy", load, point: pointIndex, error: errorText(err) });
      }
    }
  } finally {
    await context.dispose();
  }
}

export async function childMain(): Promise<void> {
  if (!process.send) throw new Error("the edgebench worker runs as a child of `edgebench run`");
  // The parent is gone (killed, Ctrl-C): stop rather than keep a core busy for nobody.
  process.on("disconnect", () => process.exit(1));
  const { job } = await nextMessage("job");
  const perf = job.llamaTimings ? new PerfLines() : undefined;
  let llama: Llama;
  try {
    llama = await loadLlama(job.backend, perf ? LlamaLogLevel.info : LlamaLogLevel.warn);
    if (perf) llama.logger = perf.log;
  } catch (err) {
    for (let load = 0; load < job.loads.length; load++) await send({ type: "load-failed", load, error: errorText(err) });
    await send({ type: "done" });
    process.exit(0);
  }
  let waited = false;
  // A failed attempt may still have read the file, so only the very first attempt counts as cold.
  let attempted = false;
  for (let load = 0; load < job.loads.length; load++) {
    const { gpuLayers, points } = job.loads[load]!;
    let model: LlamaModel;
    let timing: LoadTiming;
    try {
      const firstOfProcess = !attempted;
      attempted = true;
      ({ model, timing } = await loadWithTimings(llama, job.modelPath, gpuLayers, firstOfProcess));
    } catch (err) {
      await send({ type: "load-failed", load, error: `cannot load the model: ${errorText(err)}` });
      continue;
    }
    // Right after the load, before anything else runs on the model: its first decode pays the one-time costs.
    if (points[0]) {
      try {
        timing.firstTokenMs = await firstTokenMs(model, points[0], chatPromptTokens(model, job.chatPrompt));
      } catch (err) {
        await send({ type: "log", line: `first token after load not measured: ${errorText(err)}` });
      }
    }
    const vram = llama.gpu ? await llama.getVramState().catch(() => undefined) : undefined;
    const go = job.waitForGo && !waited ? nextMessage("go") : undefined;
    await send({
      type: "loaded",
      load,
      gpuLayers: model.gpuLayers,
      timing,
      backend: llama.gpu || "cpu",
      vramUsedBytes: vram?.used,
    });
    if (go) {
      waited = true;
      await go;
    }
    for (let p = 0; p < points.length; p++) await runPoint(job, llama, model, load, p, points[p]!, perf);
    await model.dispose();
  }
  await send({ type: "done" });
  process.exit(0);
}
