/**
 * The shape of a suite definition (uploader/suite/*.json). The suite is data:
 * changing a test or the corpus means a new suite version, so results stay
 * comparable within one (id, version).
 */

import { LIMITS, ServiceObjective, TestKind } from "@edgebench/contract";
import { z } from "zod";
import type { HellaswagTask } from "../accuracy/hellaswag.js";

export const SuiteTest = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9+@_.-]{1,64}$/),
    kind: TestKind,
    nPrompt: z.number().int().nonnegative(),
    nGen: z.number().int().nonnegative(),
    depth: z.number().int().nonnegative(),
    /** Sustained tests: how long to generate without pause (`--sustained-seconds` overrides it). */
    seconds: z.number().int().positive().max(3600).optional(),
    /**
     * Sustained tests: tokens generated before the sequence starts again from
     * empty (default: when the context fills). A short cycle keeps every window
     * at the same small KV depth, so a falling rate is heat or power limits, not
     * attention over a growing context.
     */
    cycleTokens: z.number().int().positive().optional(),
    /** Concurrent tests: streams served at once (nPrompt and nGen are per stream). */
    concurrency: z.number().int().positive().max(LIMITS.maxStreams).optional(),
    /** Concurrent tests: the service objective goodput is counted against. */
    slo: ServiceObjective.optional(),
  })
  .superRefine((t, ctx) => {
    // The result document refuses a concurrent test without these (contract/src/schema.ts): say so when the suite loads, not after a run.
    if (t.kind !== "concurrent") return;
    if (t.concurrency === undefined) ctx.addIssue({ code: "custom", path: ["concurrency"], message: "a concurrent test names its concurrency" });
    if (t.nPrompt < 1 || t.nGen < 1) ctx.addIssue({ code: "custom", path: ["nGen"], message: "a concurrent test has a prompt and generates" });
    if (t.depth !== 0) ctx.addIssue({ code: "custom", path: ["depth"], message: "a concurrent test starts from an empty context" });
  });

export const SuiteModel = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  quantisation: z.string().min(1),
  /** A node-llama-cpp model URI (hf:owner/repo/file.gguf) or an https URL. */
  uri: z.string().min(1),
  /**
   * The file's sha256 and size as published (Hugging Face shows both on the
   * file's page): a download that differs is refused, and the registry marks
   * results of this exact file "standard file". Absent until a maintainer
   * fills them in (README, "Pinning a standard model file").
   */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  sizeBytes: z.number().int().positive().optional(),
});

/** The suite's task accuracy: a fixed subset of a public task set, pinned by hash (contract/src/hellaswag.ts holds its key). */
export const SuiteAccuracy = z.strictObject({
  benchmark: z.literal("hellaswag"),
  id: z.string().min(1),
  file: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  tasks: z.number().int().positive(),
  source: z.string(),
  licence: z.string(),
});

export const SuiteDefinition = z.strictObject({
  id: z.string().min(1),
  version: z.string().min(1),
  description: z.string(),
  warmup: z.number().int().nonnegative(),
  reps: z.number().int().positive(),
  defaults: z.strictObject({
    contextSize: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    ubatchSize: z.number().int().positive(),
    flashAttention: z.boolean(),
  }),
  tests: z.array(SuiteTest).min(1),
  /** TTFT prompt: formatted with the model's own chat template before tokenising. */
  chatPrompt: z.strictObject({ system: z.string(), user: z.string().min(1) }),
  perplexity: z.strictObject({
    id: z.string().min(1),
    file: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    source: z.string(),
    chunkTokens: z.number().int().min(16),
    maxChunks: z.number().int().positive(),
  }),
  accuracy: SuiteAccuracy.optional(),
  models: z.array(SuiteModel),
});

export type SuiteTest = z.infer<typeof SuiteTest>;
export type SuiteModel = z.infer<typeof SuiteModel>;
export type SuiteDefinition = z.infer<typeof SuiteDefinition>;
export type SuiteAccuracy = z.infer<typeof SuiteAccuracy>;

/** A loaded suite: the definition plus the corpus text and accuracy tasks it names (hashes verified). */
export interface Suite extends SuiteDefinition {
  corpusText: string;
  accuracyTasks?: HellaswagTask[];
}
