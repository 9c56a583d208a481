/**
 * The closing table, generated from the contract's METRICS list (one source
 * for names, units and formulas): a column per metric that any run has.
 */
import { computeMetrics, declaredSize, METRICS, type ResultDocument } from "@edgebench/contract";

function fmt(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(3);
}

export function resultTable(doc: ResultDocument): string {
  const rows = doc.runs.map((run) => ({ run, m: computeMetrics({ run, doc, ...declaredSize(doc) }) }));
  const metrics = METRICS.filter((def) => rows.some((r) => r.m[def.id]));
  const header = ["model", "quant", "settings", "status", ...metrics.map((d) => `${d.label}${d.unit ? ` (${d.unit})` : ""}`)];
  const body = rows.map(({ run, m }) => [
    run.model.name,
    run.model.quantisation,
    `t${run.settings.threads} ngl${run.settings.gpuLayers} c${run.settings.contextSize} b${run.settings.batchSize}${run.settings.flashAttention ? " fa" : ""}`,
    run.status === "ok" ? "ok" : `FAILED: ${run.error ?? ""}`.slice(0, 60),
    ...metrics.map((d) => {
      const f = m[d.id];
      if (!f) return "–";
      return f.stddev !== undefined && f.stddev > 0 ? `${fmt(f.value)} ± ${fmt(f.stddev)}` : fmt(f.value);
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  const out = [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)];
  const energy = doc.power.meters.length
    ? `energy: ${doc.power.meters[0]!.kind} (${doc.power.meters[0]!.scope})`
    : `energy: not measured${doc.power.note ? ` (${doc.power.note})` : ""}`;
  return `${out.join("\n")}\n${energy}\n`;
}
