/**
 * Log-probabilities of given next tokens from node-llama-cpp's evaluation,
 * as llama.cpp's llama-perplexity computes them over the full vocabulary:
 *   log p(t) = logit[t] - max(logit) - ln(sum_k exp(logit[k] - max(logit)))
 *
 * node-llama-cpp hands back `totalLogitWeight` (= sum_k exp(logit[k] - max))
 * and logits filtered to the tokens asked for, but its `includeMax` filter
 * adds the maximum only when it is already in the list, so the maximum is
 * taken here from the greedily selected token (`includeSelected` under
 * temperature 0 selects the arg max, unchanged by any other sampling step).
 * Asking for the full logits instead would copy the vocabulary (150k entries
 * on real models) to JavaScript at every scored position.
 */
import type { ControlledEvaluateIndexOutput, ControlledEvaluateInputItem, Token } from "node-llama-cpp";

/** The evaluation item that asks for what `logProbs` needs at this position. */
export function scored(token: Token, targets: readonly Token[]): ControlledEvaluateInputItem {
  return [
    token,
    {
      generateNext: {
        logits: { filter: { tokens: targets, includeSelected: true } },
        totalLogitWeight: true,
        options: { temperature: 0 },
      },
    },
  ];
}

/** log p of each target at one scored position; throws when the output lacks what was asked. */
export function logProbs(out: ControlledEvaluateIndexOutput | undefined, targets: readonly Token[], where: string): number[] {
  const next = out?.next;
  const logits = next?.logits;
  const total = next?.totalLogitWeight;
  if (!logits || !total || !Number.isFinite(total)) throw new Error(`no logits for ${where}`);
  let max = -Infinity;
  for (const v of logits.values()) if (v > max) max = v;
  const lnTotal = Math.log(total);
  return targets.map((t) => {
    const v = logits.get(t);
    if (v === undefined) throw new Error(`no logit for token ${t} at ${where}`);
    return v - max - lnTotal;
  });
}
