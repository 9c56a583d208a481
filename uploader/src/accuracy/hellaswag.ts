/**
 * HellaSwag tasks in llama.cpp's six-line text layout (context, label, four
 * endings) and the scoring rule both runtimes share, as `llama-perplexity
 * --hellaswag` applies it: each ending is scored by the mean log-probability
 * of its own tokens given the context, and the highest mean wins (the first
 * of equal ones, as llama.cpp's strict comparison keeps it).
 */

export interface HellaswagTask {
  /** activity_label + ": " + ctx */
  context: string;
  /** The correct ending (0-3); the registry scores against its own copy of the key. */
  label: number;
  endings: [string, string, string, string];
}

/** Parses the six-lines-per-task layout; a malformed file is an error naming the line. */
export function parseHellaswag(text: string): HellaswagTask[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length === 0 || lines.length % 6 !== 0) throw new Error(`a HellaSwag file has six lines per task; this one has ${lines.length} lines`);
  const tasks: HellaswagTask[] = [];
  for (let i = 0; i < lines.length; i += 6) {
    const label = Number(lines[i + 1]);
    if (!/^[0-3]$/.test(lines[i + 1]!)) throw new Error(`line ${i + 2}: the label is 0-3, not ${JSON.stringify(lines[i + 1]!.slice(0, 20))}`);
    tasks.push({ context: lines[i]!, label, endings: [lines[i + 2]!, lines[i + 3]!, lines[i + 4]!, lines[i + 5]!] });
  }
  return tasks;
}

/** The text each ending is scored in: context, a space, the ending (llama.cpp's concatenation). */
export const endingText = (task: HellaswagTask, ending: number): string => `${task.context} ${task.endings[ending]}`;

/** Tokens the four sequences share from the start, leaving every ending at least one token of its own. */
export function commonPrefix(seqs: readonly (readonly number[])[]): number {
  const first = seqs[0]!;
  const limit = Math.min(...seqs.map((s) => s.length)) - 1;
  let n = 0;
  while (n < limit && seqs.every((s) => s[n] === first[n])) n++;
  return n;
}

/** The ending with the highest mean log-probability; the first of equal ones. */
export function chooseEnding(meanLogProbs: readonly number[]): number {
  let best = 0;
  for (let s = 1; s < meanLogProbs.length; s++) if (meanLogProbs[s]! > meanLogProbs[best]!) best = s;
  return best;
}
