/**
 * The suite's task accuracy: a fixed subset of HellaSwag's validation set
 * (Zellers et al., ACL 2019, MIT licence) and its answer key. The uploader
 * ships the tasks (uploader/suite/accuracy/, written by
 * scripts/make-hellaswag-subset.mjs: every 25th task of the 10,042) and
 * records, per task, the ending the model chose; the registry scores those
 * choices against this key itself, so a client's own accuracy figure is never
 * read. A test checks the key against the shipped file.
 *
 * Scored as llama.cpp's `llama-perplexity --hellaswag` scores a task: the
 * ending with the highest mean log-probability over its own tokens, given the
 * context.
 */

export interface AccuracySubset {
  id: string;
  /** sha256 of the subset file, as the uploader ships it. */
  sha256: string;
  tasks: number;
  /** The correct ending of each task (0-3), in the file's order. */
  labels: string;
  source: string;
  licence: string;
}

export const HELLASWAG_SUBSET: AccuracySubset = {
  id: "hellaswag-val-every25-400",
  sha256: "3237acb8f47ff096325db6090228ddb8ca832d1185664165a7df9cf3f2b286f9",
  tasks: 400,
  labels:
    "3322021012212133322211033033102203201303130113130011301201020112110321013122202033110321202122220333002022021122210031023331033023223303110232010322303000321022121011200131011012231021301123030001213012023211313100100110113212323222321321322231220013203300032031030101201302030123113303322130113032311233331302022131230020131032312103013032223100121311133330302200200000223200103112100312232112031300",
  source:
    "HellaSwag validation split (Zellers et al., 'HellaSwag: Can a Machine Really Finish Your Sentence?', ACL 2019; github.com/rowanz/hellaswag, data/hellaswag_val.jsonl), tasks 0, 25, ..., 9975, in llama.cpp's six-line text layout",
  licence: "MIT (Copyright (c) 2019 Rowan Zellers)",
};

/** The subsets the registry holds a key for, by id. */
export const ACCURACY_SUBSETS: Readonly<Record<string, AccuracySubset>> = { [HELLASWAG_SUBSET.id]: HELLASWAG_SUBSET };

export interface AccuracyScore {
  subset: string;
  /** Tasks answered (the first N of the subset). */
  tasks: number;
  correct: number;
  /** Share of tasks answered correctly, 0-1. */
  accuracy: number;
  /** Its standard error, sqrt(p (1 - p) / n): the spread of the figure from the choice of tasks. */
  stderr: number;
  /** Whether every task of the subset was answered: only such runs rank. */
  full: boolean;
}

/**
 * Scores recorded choices (the first N tasks of a subset, in order) against
 * the subset's key; null when the registry holds no key for that subset or
 * the document's hash is not the key's file.
 */
export function scoreAccuracy(subset: { id: string; sha256: string }, choices: readonly number[]): AccuracyScore | null {
  const key = ACCURACY_SUBSETS[subset.id];
  if (!key || key.sha256 !== subset.sha256 || choices.length === 0 || choices.length > key.tasks) return null;
  let correct = 0;
  for (let i = 0; i < choices.length; i++) if (String(choices[i]) === key.labels[i]) correct++;
  const n = choices.length;
  const p = correct / n;
  return { subset: key.id, tasks: n, correct, accuracy: p, stderr: Math.sqrt((p * (1 - p)) / n), full: n === key.tasks };
}
