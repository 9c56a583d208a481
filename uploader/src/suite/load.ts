/**
 * Finds and loads a suite definition from uploader/suite/. The same code runs
 * from the TypeScript sources (tests) and from the bundle in uploader/dist/,
 * so the directory is found by walking up from this module to the package root.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
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

/** Loads `<name>.json` from the suite directory (or a path to a JSON file) and verifies its corpus hash. */
export function loadSuite(nameOrPath: string = DEFAULT_SUITE): Suite {
  const file = nameOrPath.endsWith(".json") ? path.resolve(nameOrPath) : path.join(suiteDir(), `${nameOrPath}.json`);
  const def = SuiteDefinition.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  const corpusFile = path.resolve(path.dirname(file), def.perplexity.file);
  const bytes = fs.readFileSync(corpusFile);
  const sha = createHash("sha256").update(bytes).digest("hex");
  if (sha !== def.perplexity.sha256) {
    throw new Error(
      `suite corpus ${def.perplexity.file} has sha256 ${sha}, the suite says ${def.perplexity.sha256}: refusing to measure perplexity on a different text`,
    );
  }
  return { ...def, corpusText: bytes.toString("utf8") };
}
