/**
 * Runs once before the node tests: builds the uploader bundle (the CLI the
 * tests run as users do) and writes the tiny test models into .tmp/models/
 * (paths in test/node/helpers/models.ts; also provided as "tinyModels").
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { findPreset, synthModel } from "../../uploader/src/gguf/index.js";
import { MODELS_DIR, REPO_ROOT, TINY_TYPES, tinyModel } from "./helpers/models.js";

declare module "vitest" {
  export interface ProvidedContext {
    tinyModels: Record<(typeof TINY_TYPES)[number], string>;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const built = spawnSync(process.execPath, [path.join(REPO_ROOT, "uploader", "build.mjs")], { cwd: REPO_ROOT, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`building the uploader failed:\n${built.stderr}${built.stdout}`);

  fs.mkdirSync(MODELS_DIR, { recursive: true });
  const shape = findPreset("tiny").shape;
  const models = {} as Record<(typeof TINY_TYPES)[number], string>;
  for (const type of TINY_TYPES) {
    // Rewritten every run (they are under 1 MB): no stale model from an older writer.
    models[type] = synthModel(tinyModel(type), { shape, type, name: `edgebench tiny ${type}` }).file;
  }
  project.provide("tinyModels", models);
}
