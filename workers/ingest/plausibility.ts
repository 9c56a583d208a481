/**
 * Plausibility of a schema-valid, signed result document: pure functions, no
 * I/O, so every rule is unit-tested on its own (test/workers/hardening-plausibility.test.ts).
 *
 * Two outcomes beyond "fine":
 * - REFUSE (400, nothing stored) what cannot happen at all.
 * - FLAG (stored with status "flagged" and the reasons; kept out of every
 *   ranking and aggregate until a moderator restores it; the reasons are shown
 *   on the result page and in GET /api/v1/submissions/:id) what is physically
 *   implausible for the hardware, where an honest but odd setup is still
 *   conceivable and a human should look.
 *
 * Checked elsewhere already: NaN and Infinity cannot be written in JSON (and
 * 1e309 parses to Infinity, which zod's number() refuses); negative times,
 * counts and energies are refused by the schema (nonnegative / positive
 * fields); createdAt more than 10 minutes in the future is refused by the
 * submissions route.
 */

import type { MeterScope, ModelIdentity, ResultDocument } from "@edgebench/contract";
import { avgWattsFigure, type ComputedMetrics, findTest, rateFigure, repRates } from "@edgebench/contract";
import { bandwidthCeiling } from "./bandwidth.js";

export interface PlausibilityReason {
  rule: string;
  message: string;
  /** JSON path of the offending value in the document. */
  path: (string | number)[];
}

export interface PlausibilityVerdict {
  refuse: PlausibilityReason[];
  flag: PlausibilityReason[];
}

/**
 * No edgebench suite existed before this date (the suite and its v1 schema
 * were defined in 2026), so a document claiming an earlier createdAt is a
 * wrong clock or a fabrication.
 */
export const SUITE_EPOCH = "2026-01-01T00:00:00.000Z";

/**
 * Ten million tokens per second in one repetition: about a hundred times the
 * prompt-processing rate of a data-centre GPU on a tiny model. A sample that
 * short (e.g. 512 tokens in 1 ns) is a fabricated or broken timer.
 */
export const MAX_TOKENS_PER_SECOND = 1e7;

/**
 * No edge device (nor the largest workstation a contributor could plug in)
 * draws 100 kW: average power over a repetition or a peak above that is a
 * fabricated or corrupted energy figure. (It also keeps every derived figure
 * finite: 1e308 J per repetition would make sums overflow to Infinity.)
 */
export const MAX_WATTS = 100_000;

/**
 * Every number in a document is a count, a size, a time or a physical
 * quantity that fits a double exactly below 2^53; larger ones (1e308) only
 * appear in hostile input and would overflow sums and medians.
 */
export const MAX_NUMBER = Number.MAX_SAFE_INTEGER;

/**
 * Generation reads (about) every weight once per token, so
 * tokens/s <= bandwidth / bytes of weights (see bandwidth.ts).
 * Measured generation reaches 50-90 % of peak; above 1.5 x the theoretical
 * peak no honest run is possible (speculative decoding or batching would
 * break the suite's single-stream rule), so it is flagged, not refused: the
 * board may have been misidentified.
 */
export const ROOFLINE_MARGIN = 1.5;

/**
 * Lowest believable average power while generating, per meter scope. A
 * board running an LLM at the wall or at its input draws well over 0.5 W (the
 * lowest-power boards in the catalogue idle at 1.5 W or more; a Hailo-10H
 * module alone is quoted at about 2 W under load). Narrower scopes see less:
 * a module's input at least 0.3 W; SoC rails, a CPU package or one
 * accelerator at least 0.05 W.
 */
export const MIN_LOAD_WATTS: Readonly<Record<Exclude<MeterScope, "none">, number>> = {
  wall: 0.5,
  "board-input": 0.5,
  "module-input": 0.3,
  "soc-rails": 0.05,
  "cpu-package": 0.05,
  accelerator: 0.05,
};

/**
 * Idle power above load power: a loaded board draws at least its idle power,
 * less meter noise. 10 % plus 0.2 W covers a coarse plug meter's rounding.
 */
export const IDLE_OVER_LOAD_TOLERANCE = { ratio: 1.1, watts: 0.2 };

/**
 * Smallest bytes per weight for a quantisation family (llama.cpp block
 * formats include their scales): the lower bound of the bytes read per token
 * when the document gives parameters but no file size. Unknown: no bound.
 */
const MIN_BYTES_PER_WEIGHT: readonly [RegExp, number][] = [
  [/^(F32|FP32)$/i, 4],
  [/^(F16|BF16|FP16)$/i, 2],
  [/^Q8/i, 1.0625],
  [/^Q6/i, 0.82],
  [/^Q5/i, 0.6875],
  [/^(Q4|IQ4)/i, 0.5],
  [/^(Q3|IQ3)/i, 0.375],
  [/^(Q2|IQ2)/i, 0.25],
  [/^(IQ1|TQ1|TQ2)/i, 0.2],
];

/** Bytes of weights read per generated token: the file size, else a lower bound from parameters. */
export function bytesPerToken(model: ModelIdentity): number | null {
  if (model.sizeBytes && model.sizeBytes > 0) return model.sizeBytes;
  if (!model.parameters) return null;
  const perWeight = MIN_BYTES_PER_WEIGHT.find(([re]) => re.test(model.quantisation))?.[1];
  return perWeight === undefined ? null : model.parameters * perWeight;
}

function firstNumberAbove(v: unknown, max: number, path: (string | number)[]): { value: number; path: (string | number)[] } | null {
  if (typeof v === "number") return Math.abs(v) > max ? { value: v, path } : null;
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) {
      const hit = firstNumberAbove(x, max, [...path, i]);
      if (hit) return hit;
    }
  } else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      const hit = firstNumberAbove(x, max, [...path, k]);
      if (hit) return hit;
    }
  }
  return null;
}

/**
 * Figures the server computed that are not finite (e.g. tokens per joule
 * from an energy of 5e-324 J): refused, since they cannot be ranked or stored.
 */
export function nonFiniteFigures(metrics: ComputedMetrics[]): PlausibilityReason[] {
  const out: PlausibilityReason[] = [];
  metrics.forEach((m, r) => {
    for (const [id, f] of Object.entries(m)) {
      if (f && (!Number.isFinite(f.value) || (f.stddev !== undefined && !Number.isFinite(f.stddev)))) {
        out.push({
          rule: "non_finite_figure",
          message: `${id} of run ${r} computes to ${f.value}: the raw figures are out of range`,
          path: ["runs", r],
        });
      }
    }
  });
  return out;
}

/** Refusals: what cannot happen. */
export function impossibilities(doc: ResultDocument, nowMs: number): PlausibilityReason[] {
  const out: PlausibilityReason[] = [];
  const created = Date.parse(doc.createdAt);
  if (created < Date.parse(SUITE_EPOCH)) {
    out.push({
      rule: "created_before_suite",
      message: `createdAt ${doc.createdAt} is before the edgebench suite existed (${SUITE_EPOCH})`,
      path: ["createdAt"],
    });
  }
  void nowMs; // the future bound lives in the route (MAX_CLOCK_SKEW_MS)
  const big = firstNumberAbove(doc, MAX_NUMBER, []);
  if (big)
    out.push({ rule: "number_out_of_range", message: `${big.value} is larger than any figure a result can hold (${MAX_NUMBER})`, path: big.path });
  doc.runs.forEach((run, r) => {
    run.tests.forEach((test, t) => {
      const path = ["runs", r, "tests", t];
      const fastest = Math.max(0, ...repRates(test));
      if (fastest > MAX_TOKENS_PER_SECOND) {
        out.push({
          rule: "sample_too_short",
          message: `${test.name}: a repetition ran at ${fastest.toExponential(2)} tokens/s, above the physical bound of ${MAX_TOKENS_PER_SECOND.toExponential(0)}`,
          path: [...path, "samplesNs"],
        });
      }
      test.energy?.forEach((e, k) => {
        const ePath = [...path, "energy", k];
        const worst = Math.max(e.peakW ?? 0, ...(e.joulesPerRep ?? []).map((j, i) => j / ((test.samplesNs[i] ?? Infinity) / 1e9)));
        if (worst > MAX_WATTS) {
          out.push({
            rule: "power_beyond_physical",
            message: `${test.name}: ${worst.toExponential(2)} W is beyond any device (limit ${MAX_WATTS} W)`,
            path: ePath,
          });
        }
        const tMs = e.trace?.tMs;
        if (tMs?.some((x, i) => i > 0 && x < tMs[i - 1]!)) {
          out.push({
            rule: "trace_out_of_order",
            message: `${test.name}: power trace timestamps go backwards`,
            path: [...path, "energy", k, "trace", "tMs"],
          });
        }
      });
    });
  });
  return out;
}

/** Flags: what is implausible for this hardware. `boardId` is the catalogue id the registry resolved. */
export function implausibilities(doc: ResultDocument, boardId: string): PlausibilityReason[] {
  const out: PlausibilityReason[] = [];
  const meter = doc.power.meters[0];
  doc.runs.forEach((run, r) => {
    if (run.status !== "ok") return;
    const bytes = bytesPerToken(run.model);
    const ceiling = bandwidthCeiling(boardId, doc.runtime.backend);
    for (const atDepth of [false, true]) {
      const tg = findTest(run, "tg", atDepth);
      const rate = tg && rateFigure(tg)?.value;
      if (!tg || !rate || !bytes) continue;
      const bound = (ceiling.bytesPerSecond / bytes) * ROOFLINE_MARGIN;
      if (rate > bound) {
        out.push({
          rule: "above_bandwidth_roofline",
          message:
            `${run.model.name} ${run.model.quantisation} ${tg.name}: ${rate.toFixed(1)} tokens/s needs ${((rate * bytes) / 1e9).toFixed(1)} GB/s, ` +
            `above ${ROOFLINE_MARGIN} x the ${(ceiling.bytesPerSecond / 1e9).toFixed(1)} GB/s memory bandwidth (${ceiling.source})`,
          path: ["runs", r, "tests", run.tests.indexOf(tg)],
        });
      }
    }
    if (!meter) return;
    const tg = findTest(run, "tg", false);
    const watts = tg && avgWattsFigure(tg)?.value;
    if (!tg || watts === undefined || watts === null) return;
    const floor = MIN_LOAD_WATTS[meter.scope];
    const path = ["runs", r, "tests", run.tests.indexOf(tg), "energy"];
    if (watts < floor) {
      out.push({
        rule: "power_below_scope_floor",
        message: `${tg.name}: ${watts.toFixed(3)} W average while generating is below the ${floor} W a "${meter.scope}" meter sees on a board running an LLM`,
        path,
      });
    }
    if (meter.idle && meter.idle.watts > watts * IDLE_OVER_LOAD_TOLERANCE.ratio + IDLE_OVER_LOAD_TOLERANCE.watts) {
      out.push({
        rule: "idle_above_load",
        message: `idle power ${meter.idle.watts} W is above the ${watts.toFixed(2)} W measured while generating (${tg.name})`,
        path: ["power", "meters", 0, "idle", "watts"],
      });
    }
  });
  return out;
}

export function assessPlausibility(doc: ResultDocument, boardId: string, nowMs: number): PlausibilityVerdict {
  return { refuse: impossibilities(doc, nowMs), flag: implausibilities(doc, boardId) };
}

/** The status reason stored with a flagged submission (shown on the result page and in the API). */
export function flagReason(flags: PlausibilityReason[]): string {
  return `flagged for review: ${flags.map((f) => f.message).join("; ")}`.slice(0, 2000);
}
