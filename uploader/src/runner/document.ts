/**
 * The last step of every runtime's pipeline (node-llama-cpp runner and HTTP
 * runtimes alike): model runs plus what was detected become one result
 * document. Kept in one place so both runtimes fill the envelope the same way.
 */

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Envelope,
  LIMITS,
  type MeterScope,
  type ModelRun,
  RESULT_SCHEMA_ID,
  type ResultDocument,
  type Runtime,
  type System,
} from "@edgebench/contract";
import type { DeclaredConditions } from "../detect/conditions.js";
import type { PowerSession } from "../power/index.js";
import type { Suite } from "../suite/index.js";
import { UPLOADER_NAME, UPLOADER_VERSION } from "../version.js";
import type { Progress } from "./progress.js";

/** What every runtime's run records around the benchmark itself: power, board identity, fleet. */
export interface CaptureOptions {
  /** Seconds of idle power measured after the first model load (0: skip). */
  idleSeconds?: number;
  meterSpecs?: string[];
  /** Smart plug credentials (--meter-user, --meter-password or EDGEBENCH_METER_PASSWORD). */
  meterUser?: string;
  meterPassword?: string;
  scope?: MeterScope;
  boardName?: string;
  envelope?: Envelope;
  /** Declared cooling and room temperature (--cooling, --ambient). */
  declared?: DeclaredConditions;
  fleet?: { label?: string; node?: string; nodes?: string[] };
  progress?: Progress;
}

/** A test that did not apply (e.g. a depth the context cannot hold) is recorded with this prefix and is not a failure. */
export const SKIPPED_PREFIX = "skipped:";

/** Marks a run failed when any of its tests failed for a reason other than being skipped. */
export function markRunFailures(run: ModelRun): void {
  if (run.tests.some((t) => t.status === "failed" && !t.error?.startsWith(SKIPPED_PREFIX))) {
    run.status = "failed";
    run.error ??= "one or more tests failed";
  }
}

export interface DocumentParts {
  suite: Suite;
  system: System;
  runtime: Runtime;
  power: Pick<PowerSession, "meters" | "note">;
  runs: ModelRun[];
  fleet?: { label?: string; node?: string; nodes?: string[] };
}

/** The file a release archive ships beside the bundle (written by scripts/lib/release-build.mjs). */
export const RELEASE_MARKER = "release.json";

export type InstallKind = NonNullable<ResultDocument["uploader"]["install"]>;

/**
 * How the running uploader was installed, from where its code lies: a release
 * archive ships RELEASE_MARKER beside the bundle, npm puts the package under a
 * node_modules directory, and anything else is a repository checkout (the
 * TypeScript sources, or uploader/dist/ built there).
 */
export function installKind(moduleUrl: string = import.meta.url): InstallKind {
  const file = fileURLToPath(moduleUrl);
  if (fs.existsSync(path.join(path.dirname(file), RELEASE_MARKER))) return "release-archive";
  return file.split(path.sep).includes("node_modules") ? "npm" : "source";
}

/** The document's `uploader` object: name, version, how it was installed and the Node.js it runs on. */
export function uploaderIdentity(): ResultDocument["uploader"] {
  return { name: UPLOADER_NAME, version: UPLOADER_VERSION, install: installKind(), node: process.versions.node };
}

export function assembleDocument(parts: DocumentParts): ResultDocument {
  const { suite, system, runtime, power, runs, fleet } = parts;
  const document: ResultDocument = {
    schema: RESULT_SCHEMA_ID,
    suite: { id: suite.id, version: suite.version },
    uploader: uploaderIdentity(),
    createdAt: new Date().toISOString(),
    origin: { kind: "measured", tool: UPLOADER_NAME },
    system,
    runtime,
    power: { meters: power.meters, ...(power.note ? { note: power.note } : {}) },
    runs: runs.slice(0, LIMITS.maxRuns),
  };
  if (fleet && (fleet.label || fleet.node)) document.fleet = fleet;
  return document;
}
