/**
 * Finds and loads a suite definition from uploader/suite/. The same code runs
 * from the TypeScript sources (tests) and from the bundle in uploader/dist/,
 * so the directory is found by walking up from this module to the package root.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseHellaswag } from "../accuracy/hellaswag.js";
import { type Suite, SuiteDefinition } from "./schema.js";

export const DEFAULT_SUITE = "edge-llm-v1";

export function suiteDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, "suite");
    if (fs.existsSync(path.join(candidate, `${DEFAULT_SUITE}.json`))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error("cannot find the suite directory (uploader/suite) next to the edgebench package");
}

/** A file the suite names, refused when its sha256 is not the suite's. */
function pinnedFile(suiteFile: string, name: string, sha256: string, what: string): Buffer {
  const bytes = fs.readFileSync(path.resolve(path.dirname(suiteFile), name));
  const sha = createHash("sha256").update(bytes).digest("hex");
  if (sha !== sha256)
    throw new Error(`suite file ${name} has sha256 ${sha}, the suite says ${sha256}: refusing to measure ${what} on different data`);
  return bytes;
}

/** Loads `<name>.json` from the suite directory (or a path to a JSON file) and verifies the hashes of the files it names. */
export function loadSuite(nameOrPath: string = DEFAULT_SUITE): Suite {
  const file = nameOrPath.endsWith(".json") ? path.resolve(nameOrPath) : path.join(suiteDir(), `${nameOrPath}.json`);
  const def = SuiteDefinition.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  const corpusText = pinnedFile(file, def.perplexity.file, def.perplexity.sha256, "perplexity").toString("utf8");
  if (!def.accuracy) return { ...def, corpusText };
  const accuracyTasks = parseHellaswag(pinnedFile(file, def.accuracy.file, def.accuracy.sha256, "accuracy").toString("utf8"));
  if (accuracyTasks.length !== def.accuracy.tasks)
    throw new Error(`suite file ${def.accuracy.file} holds ${accuracyTasks.length} tasks, the suite says ${def.accuracy.tasks}`);
  return { ...def, corpusText, accuracyTasks };
}
