/** The site's pure parts: Pareto membership and the URL state round trip. */

import type { MetricId } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { DEFAULT_STATE, effectiveSort, parseState, shownColumns, toQuery } from "../../leaderboard/state.js";
import { paretoFront } from "../../workers/ranking/pareto.js";

type P = { name: string; m: Partial<Record<MetricId, number>> };
const front = (ps: P[], axes: MetricId[]) => [...paretoFront(ps, axes, (p, id) => p.m[id])].map((p) => p.name).sort();

describe("paretoFront", () => {
  it("keeps what nothing beats on every axis, honouring each metric's direction", () => {
    const ps: P[] = [
      { name: "fast", m: { tg_tps: 100, tokens_per_j: 1, tps_per_litre: 10 } },
      { name: "frugal", m: { tg_tps: 10, tokens_per_j: 9, tps_per_litre: 10 } },
      { name: "small", m: { tg_tps: 10, tokens_per_j: 1, tps_per_litre: 90 } },
      { name: "beaten", m: { tg_tps: 9, tokens_per_j: 1, tps_per_litre: 10 } },
      { name: "twin", m: { tg_tps: 100, tokens_per_j: 1, tps_per_litre: 10 } },
      { name: "unmeasured", m: { tg_tps: 1000 } },
    ];
    expect(front(ps, ["tg_tps", "tokens_per_j", "tps_per_litre"])).toEqual(["fast", "frugal", "small", "twin"]);
    // ttft_ms is lower-is-better in METRICS: the quicker first token wins.
    const lat: P[] = [
      { name: "a", m: { tg_tps: 10, ttft_ms: 100 } },
      { name: "b", m: { tg_tps: 10, ttft_ms: 50 } },
    ];
    expect(front(lat, ["tg_tps", "ttft_ms"])).toEqual(["b"]);
  });
});

describe("URL state", () => {
  it("round-trips every field and writes nothing for the defaults", () => {
    expect(toQuery(DEFAULT_STATE)).toBe("");
    // The filters, sort and order are the API's own parameter names, in the ranking's fixed order.
    const q =
      "?view=energy&model=qwen&quantisation=Q4_K_M&board=rock&accelerator=npu&backend=http&scope=wall&suite=edge-llm&sort=avg_w&order=desc&page=3";
    expect(toQuery(parseState(new URLSearchParams(q)))).toBe(q);
  });

  it("ignores values it does not know and empty form fields", () => {
    const s = parseState(new URLSearchParams("view=bogus&scope=moon&accelerator=fpga&sort=drop%20table&order=up&page=-4&model="));
    expect(s).toEqual(DEFAULT_STATE);
  });

  it("sorts by any metric of the list, showing its column when the view does not", () => {
    const energySort = parseState(new URLSearchParams("sort=tokens_per_j"));
    expect(effectiveSort(energySort)).toEqual({ key: "tokens_per_j", dir: "desc" });
    expect(shownColumns(energySort)).toEqual(["tg_tps", "pp_tps", "ttft_ms", "sustained_tps", "sustained_ratio", "hellaswag_acc", "tokens_per_j"]);
    expect(effectiveSort(parseState(new URLSearchParams("view=energy&sort=avg_w")))).toEqual({ key: "avg_w", dir: "asc" });
    expect(effectiveSort(parseState(new URLSearchParams("view=size")))).toEqual({ key: "tps_per_cm2", dir: "desc" });
  });
});
