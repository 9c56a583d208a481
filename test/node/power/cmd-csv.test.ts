/** --meter cmd:"..." and --meter csv:FILE, and a meter failing mid-run beside one that keeps going. */
import fs from "node:fs";
import path from "node:path";
import { TestEnergy } from "@edgebench/contract";
import { describe, expect, it } from "vitest";
import { openPowerSession } from "../../../uploader/src/power/index.js";
import { CsvFollower, parseTimestamp } from "../../../uploader/src/power/meters/csv.js";
import { now, sleep, testConfig, useTrees } from "./helpers.js";

const tree = useTrees();
const secs = (r: { startNs: bigint; endNs: bigint }) => Number(r.endNs - r.startNs) / 1e9;

describe("cmd: meter", () => {
  it("needs --scope, and refuses output that is not a power", async () => {
    const root = tree();
    await expect(openPowerSession({ meterSpecs: ["cmd:echo 5"], config: testConfig(root, []) })).rejects.toThrow(/needs --scope/);
    await expect(openPowerSession({ meterSpecs: ["bogus:1"], config: testConfig(root, []) })).rejects.toThrow(/unknown --meter "bogus:1"/);
    const p = await openPowerSession({ meterSpecs: ["cmd:echo offline"], scope: "wall", config: testConfig(root, []) });
    expect(p.meters).toEqual([]);
    expect(p.note).toMatch(/printed "offline", not a power in watts/);
    await p.close();
  });

  it("is sampled at each tick; when it starts failing its tests become unavailable and the other meter goes on", async () => {
    const root = tree({
      watts: "3.5 W",
      "sys/class/hwmon/hwmon0/name": "ina219",
      "sys/class/hwmon/hwmon0/power1_input": "2000000",
    });
    const flag = path.join(root, "fail");
    const cmd = `if [ -e ${flag} ]; then echo "sensor unplugged" >&2; exit 3; fi; cat ${path.join(root, "watts")}`;
    const power = await openPowerSession({ meterSpecs: [`cmd:${cmd}`, "auto"], scope: "wall", config: testConfig(root, []) });
    try {
      // The wall meter is primary; the board-input INA219 found by auto comes second.
      expect(power.meters.map((m) => [m.kind, m.scope])).toEqual([
        ["cmd", "wall"],
        ["hwmon", "board-input"],
      ]);
      await sleep(300);
      const ok = { startNs: now(), endNs: 0n };
      await sleep(1200);
      ok.endNs = now();
      await power.settle(ok.endNs);
      const [c1, h1] = power.testEnergy([ok]);
      TestEnergy.parse(c1);
      expect(c1!.status).toBe("measured");
      expect(c1!.joulesPerRep![0]).toBeCloseTo(3.5 * secs(ok), 2);
      expect(h1!.joulesPerRep![0]).toBeCloseTo(2 * secs(ok), 2);

      fs.writeFileSync(flag, "");
      await sleep(600);
      const bad = { startNs: now(), endNs: 0n };
      await sleep(600);
      bad.endNs = now();
      const [c2, h2] = power.testEnergy([bad]);
      expect(c2).toMatchObject({
        meter: 0,
        status: "unavailable",
        reason: expect.stringMatching(/energy not measured: the meter failed .*exit 3.*sensor unplugged/),
      });
      expect(c2!.joulesPerRep).toBeUndefined();
      expect(h2).toMatchObject({ meter: 1, status: "measured" });
      expect(h2!.joulesPerRep![0]).toBeCloseTo(2 * secs(bad), 2);

      // It recovers: later tests are measured again.
      fs.rmSync(flag);
      await sleep(400);
      const back = { startNs: now(), endNs: 0n };
      await sleep(1200);
      back.endNs = now();
      await power.settle(back.endNs);
      expect(power.testEnergy([back])[0]!.status).toBe("measured");
    } finally {
      await power.close();
    }
  });
});

describe("csv: meter", () => {
  it("accepts ISO 8601 and unix seconds", () => {
    expect(parseTimestamp("2026-11-21T06:00:00.250Z")).toBe(Date.UTC(2026, 10, 21, 6, 0, 0, 250));
    expect(parseTimestamp("1763704800.25")).toBe(1763704800250);
    expect(parseTimestamp("1763704800250")).toBe(1763704800250);
    expect(parseTimestamp("watts")).toBeNull();
  });

  it("reads quoted fields (RFC 4180): a separator or a doubled quote inside a label does not shift the columns", () => {
    const root = tree();
    const file = path.join(root, "rails.csv");
    const t0 = Date.UTC(2026, 10, 21, 6, 0, 0);
    const iso = (s: number) => new Date(t0 + s * 1000).toISOString();
    fs.writeFileSync(
      file,
      [
        'time,"rail, label",watts',
        `${iso(0)},"rail, 5V",3.5`,
        `${iso(1)},"the ""main"" rail, 12V","4.25"`,
        `${iso(2)},plain,5`,
        `${iso(3)},"unclosed, 5V,6`,
        `${iso(4)},empty,`,
        "",
      ].join("\n"),
    );
    const rows: [number, number][] = [];
    const bad: string[] = [];
    new CsvFollower(
      file,
      (wall, w) => rows.push([wall, w]),
      (msg) => bad.push(msg),
    ).pull();
    expect(rows).toEqual([
      [t0, 3.5],
      [t0 + 1000, 4.25],
      [t0 + 2000, 5],
    ]);
    // A broken quote and an empty watts cell are reported by line, never read as 0 W.
    expect(bad).toEqual([
      expect.stringMatching(/rails\.csv line 5: not "timestamp,watts": .*unclosed/),
      expect.stringMatching(/rails\.csv line 6: not "timestamp,watts": .*empty/),
    ]);
  });

  it("aligns a logger's rows by wall clock and integrates them (hand-computed ramp), following the file as it grows", async () => {
    const root = tree();
    const file = path.join(root, "power.csv");
    // P = 2 + 2t W, one row every 0.5 s from the session start: rows k = 0..8, t = k/2.
    const wall0 = Date.now();
    const hr0 = now();
    const row = (k: number, iso: boolean) =>
      `${iso ? new Date(wall0 + k * 500).toISOString() : ((wall0 + k * 500) / 1000).toFixed(3)},${(2 + k).toFixed(2)}`;
    fs.writeFileSync(file, `${["time,watts", ...[0, 1, 2, 3, 4].map((k) => row(k, true))].join("\n")}\n`);
    const power = await openPowerSession({ meterSpecs: [`csv:${file}`], scope: "wall", config: testConfig(root, []) });
    try {
      expect(power.meters).toEqual([expect.objectContaining({ kind: "csv", scope: "wall", method: "sampled", label: file })]);
      expect(power.meters[0]!.sampleRateHz).toBeUndefined();
      // The logger appends the rest later (unix seconds this time, and one garbled line).
      fs.appendFileSync(file, `${["garbage line", ...[5, 6, 7, 8].map((k) => row(k, false))].join("\n")}\n`);
      const at = (s: number) => hr0 + BigInt(Math.round(s * 1e9));
      // Window [1 s, 3.25 s]: integral of 2 + 2t = [2t + t^2] = (6.5 + 10.5625) - (2 + 1) = 14.0625 J
      // Window [0.55 s, 3.6 s], rows 2..7 inside: (7.2 + 12.96) - (1.1 + 0.3025) = 18.7575 J
      const [e] = power.testEnergy([
        { startNs: at(1), endNs: at(3.25) },
        { startNs: at(0.55), endNs: at(3.6) },
      ]);
      expect(e!.status).toBe("measured");
      expect(e!.joulesPerRep![0]).toBeCloseTo(14.0625, 1);
      expect(e!.joulesPerRep![1]).toBeCloseTo(18.7575, 1);
      expect(e!.peakW).toBe(9);
      expect(e!.achievedRateHz).toBeCloseTo(2, 1);
    } finally {
      await power.close();
    }
  });
});
