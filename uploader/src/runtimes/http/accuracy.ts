/**
 * The suite's HellaSwag accuracy test through an HTTP server, scored by the
 * rule llama.cpp's `llama-perplexity --hellaswag` applies
 * (uploader/src/accuracy/hellaswag.ts): each ending is scored by the mean
 * log-probability of its own tokens given the context, and the highest wins.
 *
 * That needs the log-probabilities of the PROMPT's tokens, which only servers
 * implementing the completions `echo` return (prompt-logprobs.ts). Each of a
 * task's four texts (context + " " + ending) is sent whole, so the server
 * tokenises it as llama.cpp tokenises it; the tokens the four share from the
 * start, compared by their text, are the context (llama.cpp's common prefix,
 * which also leaves out leading words all four endings share), the rest are
 * the ending's. text_offset does not split them: vLLM counts the BOS token's
 * text ("<s>", "<|begin_of_text|>") into the offsets, so they are not
 * positions in the prompt.
 *
 * Support is found by trying: the first request is the probe, and a server
 * that refuses it is recorded as not measured with what it answered. Servers
 * known to lack prompt log-probabilities are not asked.
 */
import { type Accuracy, LIMITS } from "@edgebench/contract";
import { chooseEnding, commonPrefix, endingText, type HellaswagTask } from "../../accuracy/hellaswag.js";
import { accuracyResultLine, accuracyTicker } from "../../accuracy/report.js";
import type { AccuracyRun } from "../../runner/accuracy.js";
import type { Progress } from "../../runner/progress.js";
import type { Suite } from "../../suite/index.js";
import { PROMPT_LOGPROBS_PATH, type PromptLogprobs, type PromptLogprobsTarget, promptLogprobs } from "./prompt-logprobs.js";
import type { HttpApi } from "./spec.js";

/** Why a kind of server cannot be scored, or undefined when it may be (the probe decides). */
export function noPromptLogprobs(api: HttpApi, llamaServer: boolean): string | undefined {
  if (api === "ollama") return "Ollama's API returns no log-probabilities of the prompt's tokens: HellaSwag needs them";
  // llama-server answers `echo` with "Only no echo is supported", and /completion's n_probs covers generated tokens.
  if (llamaServer)
    return "llama-server returns log-probabilities of generated tokens only, not of the prompt (it refuses `echo`): HellaSwag needs the prompt's";
  return undefined;
}

/** Mean log-probability of each ending's own tokens: those after the tokens all four texts share. */
export function endingMeans(texts: readonly PromptLogprobs[], where: string): number[] {
  const ids = new Map<string, number>();
  const id = (t: string) => {
    if (!ids.has(t)) ids.set(t, ids.size);
    return ids.get(t)!;
  };
  const prefix = commonPrefix(texts.map((t) => t.tokens.map(id)));
  if (prefix < 1) throw new Error(`${where}: the four texts share no first token`);
  return texts.map((t, e) => {
    let sum = 0;
    for (let j = prefix; j < t.tokens.length; j++) {
      const v = t.logprobs[j];
      if (v === null || v === undefined)
        throw new Error(`${where}, ending ${e + 1}: no log-probability for token ${j + 1} (${JSON.stringify(t.tokens[j])})`);
      sum += v;
    }
    return sum / (t.tokens.length - prefix);
  });
}

/** Scores the tasks in order, one request per ending; `onProgress` hears how many are done. */
export async function scoreHellaswag(
  target: PromptLogprobsTarget,
  tasks: readonly HellaswagTask[],
  onProgress?: (done: number) => void,
): Promise<AccuracyRun> {
  const t0 = performance.now();
  const choices: number[] = [];
  for (let i = 0; i < tasks.length; i++) {
    const texts: PromptLogprobs[] = [];
    for (let s = 0; s < 4; s++) {
      try {
        texts.push(await promptLogprobs(target, endingText(tasks[i]!, s)));
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new Error(
          i === 0 && s === 0
            ? `the server returns no log-probabilities of the prompt's tokens, which HellaSwag needs (POST ${PROMPT_LOGPROBS_PATH} with echo: true, logprobs: 1, max_tokens: 0): ${why}`
            : `task ${i + 1}, ending ${s + 1}: ${why}`,
        );
      }
    }
    choices.push(chooseEnding(endingMeans(texts, `task ${i + 1}`)));
    onProgress?.(i + 1);
  }
  return { choices, elapsedMs: performance.now() - t0 };
}

export interface HttpAccuracyOptions {
  api: HttpApi;
  target: PromptLogprobsTarget;
  /** The server is llama.cpp's own (its /props named a build). */
  llamaServer: boolean;
  suite: Suite;
  /** The first N tasks of the suite's subset (at least 1). */
  tasks: number;
  progress: Progress;
}

/** The run's accuracy record: the chosen endings, or why there are none. Never throws: a server that cannot be scored fails no run. */
export async function measureHttpAccuracy(opts: HttpAccuracyOptions): Promise<Accuracy | undefined> {
  const { suite, progress } = opts;
  const acc = suite.accuracy;
  if (!acc || !suite.accuracyTasks?.length) return undefined;
  const notMeasured = (reason: string): Accuracy => ({ status: "not-measured", benchmark: acc.benchmark, reason: reason.slice(0, LIMITS.longText) });
  const refused = noPromptLogprobs(opts.api, opts.llamaServer);
  if (refused) {
    progress.line(`  - accuracy: not measured (${refused})`);
    return notMeasured(refused);
  }
  const tasks = suite.accuracyTasks.slice(0, opts.tasks);
  const tick = accuracyTicker(tasks.length);
  try {
    const r = await scoreHellaswag(opts.target, tasks, (done) => {
      const line = tick(done);
      if (line) progress.status(line);
    });
    progress.line(accuracyResultLine({ id: acc.id, sha256: acc.sha256 }, r.choices, r.elapsedMs));
    return { status: "measured", benchmark: acc.benchmark, subset: { id: acc.id, sha256: acc.sha256 }, choices: r.choices, elapsedMs: r.elapsedMs };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    progress.line(`  ✗ accuracy: ${why}`);
    return notMeasured(why);
  }
}
