import { HELLASWAG_SUBSET } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { accuracyResultLine, accuracyTicker } from "../../../uploader/src/accuracy/report.js";

describe("the accuracy test's progress and closing line", () => {
  it("says how long is left at most once a second, and always at the end", () => {
    let t = 0;
    const tick = accuracyTicker(400, () => t);
    t = 2000;
    // 1 task in 2 s: 399 left take 798 s, about 13 min.
    expect(tick(1)).toBe("  accuracy: 1/400 HellaSwag tasks, about 13 min left …");
    t = 2500;
    expect(tick(2)).toBeUndefined();
    t = 80_000;
    // 40 tasks in 80 s: 360 left take 720 s.
    expect(tick(40)).toBe("  accuracy: 40/400 HellaSwag tasks, about 12 min left …");
    t = 80_100;
    expect(tick(400)).toBe("  accuracy: 400/400 HellaSwag tasks, about 0 s left …");
  });

  it("previews the registry's score from the contract's key", () => {
    const key = [...HELLASWAG_SUBSET.labels].map(Number);
    // 100 right of 400: 25 ± sqrt(0.25 * 0.75 / 400) = 2.165 points.
    const choices = key.map((label, i) => (i < 100 ? label : (label + 1) % 4));
    expect(accuracyResultLine(HELLASWAG_SUBSET, choices, 61_400)).toBe("  ✓ accuracy 25.0 ± 2.2 % over 400 HellaSwag tasks in 61 s");
    expect(accuracyResultLine({ id: "other", sha256: "0".repeat(64) }, [0, 1], 900)).toBe(
      "  ✓ accuracy chosen (no key for this subset) over 2 HellaSwag tasks in 1 s",
    );
  });
});
