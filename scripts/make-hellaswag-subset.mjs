#!/usr/bin/env node
/**
 * Writes the suite's fixed HellaSwag subset from the full validation set:
 *   node scripts/make-hellaswag-subset.mjs <hellaswag_val_full.txt>
 * Every 25th task from the first (tasks 0, 25, ..., 9975): 400 tasks spread
 * over the whole file, whose order follows the source videos, so no activity
 * dominates. Prints the subset's sha256 and its answer key for
 * contract/src/hellaswag.ts; the files are rewritten only by hand, as a new
 * suite version: results are compared only on one subset.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const STEP = 25;
const TASKS = 400;
const FULL_SHA256 = "d572539320eb2050e858ca34b495bbe2103e3b3f1391a9c3bcdf215b0bb93bd1";
const source = process.argv[2];
if (!source) {
  console.error("usage: node scripts/make-hellaswag-subset.mjs <hellaswag_val_full.txt>");
  process.exit(2);
}
const bytes = readFileSync(source);
const sha = createHash("sha256").update(bytes).digest("hex");
if (sha !== FULL_SHA256) throw new Error(`${source} has sha256 ${sha}, not the published validation set's ${FULL_SHA256}`);
const lines = bytes.toString("utf8").split("\n");
if (lines.at(-1) === "") lines.pop();
if (lines.length % 6 !== 0) throw new Error("the file's lines are not a multiple of 6");
const out = [];
const labels = [];
for (let k = 0; k < TASKS; k++) {
  const task = lines.slice(k * STEP * 6, k * STEP * 6 + 6);
  if (task.length !== 6) throw new Error(`the file has fewer than ${TASKS * STEP} tasks`);
  out.push(...task);
  labels.push(task[1]);
}
const file = path.join(import.meta.dirname, "..", "uploader", "suite", "accuracy", `hellaswag-val-every${STEP}-${TASKS}.txt`);
const text = `${out.join("\n")}\n`;
writeFileSync(file, text);
console.log(file);
console.log(`sha256 ${createHash("sha256").update(text).digest("hex")}`);
console.log(`labels ${labels.join("")}`);
