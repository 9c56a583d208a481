/**
 * The closing table, generated from the contract's METRICS list (one source
 * for ids, units and formulas). llama-bench's shape, so it fits 100 columns
 * however many metrics a run has: a row per figure (metric id, value, unit
 * once), the model on the first row of its run, and only the settings that
 * differ between runs as a column (the rest on one line below). Under it: the
 * energy source, tests the meter could not measure and why, failed runs.
 */
import { computeMetrics, declaredSize, METRICS, type ModelRun, type ResultDocument } from "@edgebench/contract";

export const TABLE_WIDTH = 100;

/** Decimals that keep three significant digits below 100 and one decimal above, never an exponent. */
function decimalsFor(v: number): number {
  const a = Math.abs(v);
  if (a >= 100) return 1;
  if (a >= 1 || a === 0) return 2;
  return Math.min(9, 2 - Math.floor(Math.log10(a)));
}

/** "12.35 ± 0.21": the spread at the value's precision, left out when it rounds to nothing. */
export function formatFigure(value: number, stddev?: number): string {
  const d = decimalsFor(value);
  const v = value.toFixed(d);
  if (stddev === undefined || !(stddev > 0)) return v;
  const s = stddev.toFixed(d);
  return Number(s) === 0 ? v : `${v} ± ${s}`;
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

type SettingKey = "threads" | "gpuLayers" | "contextSize" | "batchSize" | "ubatchSize" | "flashAttention";
/** Short names as llama-bench prints them (t, ngl, c, b, ub, fa), and words for the line under the table. */
const SETTINGS: Array<{ key: SettingKey; short: (v: number | boolean) => string; long: (v: number | boolean) => string }> = [
  { key: "threads", short: (v) => `t${v}`, long: (v) => `threads ${v}` },
  { key: "gpuLayers", short: (v) => `ngl${v}`, long: (v) => `gpu layers ${v}` },
  { key: "contextSize", short: (v) => `c${v}`, long: (v) => `ctx ${v}` },
  { key: "batchSize", short: (v) => `b${v}`, long: (v) => `batch ${v}` },
  { key: "ubatchSize", short: (v) => `ub${v}`, long: (v) => `ubatch ${v}` },
  { key: "flashAttention", short: (v) => (v ? "fa" : "nofa"), long: (v) => `fa ${v ? "on" : "off"}` },
];

/** Energy the primary meter could not give for a run's tests: one line per kind, the tests named, the first reason given. */
function energyGaps(run: ModelRun): string[] {
  const gaps = new Map<string, { tests: string[]; reason: string }>();
  for (const t of run.tests) {
    const e = t.energy?.find((x) => x.meter === 0);
    if (!e || e.status === "measured") continue;
    const gap = gaps.get(e.status) ?? { tests: [], reason: e.reason ?? "" };
    gap.tests.push(t.name);
    gaps.set(e.status, gap);
  }
  return [...gaps].map(
    ([status, { tests, reason }]) =>
      `energy ${status === "insufficient-samples" ? "not measured, tests too short for the meter" : "not measured"}: ${tests.join(", ")}${reason ? ` (${tests[0]}: ${reason})` : ""}`,
  );
}

export function resultTable(doc: ResultDocument): string {
  const runs = doc.runs.map((run) => ({ run, m: computeMetrics({ run, doc, ...declaredSize(doc) }) }));
  const varying = SETTINGS.filter((s) => new Set(doc.runs.map((r) => r.settings[s.key])).size > 1);
  const fixed = SETTINGS.filter((s) => !varying.includes(s));
  const settingsOf = (run: ModelRun) => varying.map((s) => s.short(run.settings[s.key])).join(" ");

  const header = ["model", "quant", ...(varying.length ? ["settings"] : []), "metric", "value", "unit"];
  const rows: string[][] = [];
  for (const { run, m } of runs) {
    const lead = [run.model.name, run.model.quantisation, ...(varying.length ? [settingsOf(run)] : [])];
    const blank = lead.map(() => "");
    const figures = METRICS.filter((d) => m[d.id]);
    if (run.status !== "ok" || figures.length === 0) {
      rows.push([...lead, run.status === "ok" ? "–" : "FAILED", "–", ""]);
      continue;
    }
    figures.forEach((d, i) => {
      const f = m[d.id]!;
      rows.push([...(i === 0 ? lead : blank), d.id, formatFigure(f.value, f.stddev), d.unit]);
    });
  }

  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // The model name is the one free-length column: it gives way so the table fits.
  const total = widths.reduce((a, w) => a + w, 0) + 3 * (widths.length - 1) + 4;
  if (total > TABLE_WIDTH) widths[0] = Math.max(8, widths[0]! - (total - TABLE_WIDTH));
  const valueCol = header.indexOf("value");
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === valueCol ? clip(c, widths[i]!).padStart(widths[i]!) : clip(c, widths[i]!).padEnd(widths[i]!))).join(" | ")} |`;
  const out = [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)];

  const notes: string[] = [];
  if (doc.runs.length) notes.push(`settings: ${fixed.map((s) => s.long(doc.runs[0]!.settings[s.key])).join(" · ")}`);
  notes.push(
    doc.power.meters.length
      ? `energy: ${doc.power.meters[0]!.kind} (${doc.power.meters[0]!.scope})`
      : `energy: not measured${doc.power.note ? ` (${doc.power.note.replace(/^Energy not measured:\s*/, "")})` : ""}`,
  );
  for (const { run } of runs) {
    const who = `${run.model.name}${varying.length ? ` (${settingsOf(run)})` : ""}`;
    for (const gap of energyGaps(run)) notes.push(`${who}: ${gap}`);
    if (run.status === "failed") notes.push(`✗ ${who}: ${run.error ?? "failed"}`);
  }
  return `${out.join("\n")}\n${notes.join("\n")}\n`;
}
