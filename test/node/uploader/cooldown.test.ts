/**
 * The cooldown before each test against a fixture sysfs tree whose zone cools
 * while the runner waits (the fake clock's sleep writes the next reading), and
 * the contract's cooldown and load records: optional, strict, bounded.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Cooldown, computeMetrics, ModelLoad, ResultDocument } from "@edgebench/contract";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BoardCooldown, type CooldownClock, readZoneTemps } from "../../../uploader/src/runner/cooldown.js";
import { sampleDocument } from "../outbox/sample-document.js";

let root: string;

function zone(n: number, milliC: number | string): void {
  const dir = path.join(root, `sys/class/thermal/thermal_zone${n}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "type"), `zone${n}\n`);
  fs.writeFileSync(path.join(dir, "temp"), `${milliC}\n`);
}

/** A clock that only moves when the code under test sleeps; each sleep runs `onSleep` (the board cooling meanwhile). */
function fakeClock(onSleep: (sleeps: number) => void = () => {}): CooldownClock & { sleeps: number[] } {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
      onSleep(sleeps.length);
    },
  };
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-cooldown-"));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("BoardCooldown", () => {
  it("waits, polling each second, until every zone is back within 2 °C of its start-of-run reading", async () => {
    zone(0, 45000);
    zone(1, 40000);
    // The board's hot spot cools 5 °C per second after a test; the other zone cools too.
    const readings = [
      [55000, 48000],
      [50000, 44000],
      [46500, 41500],
    ];
    const clock = fakeClock((n) => {
      const r = readings[n - 1];
      r?.forEach((t, z) => {
        zone(z, t);
      });
    });
    const c = new BoardCooldown({ sysRoot: root }, { maxSeconds: 60, clock });
    c.takeBaseline();
    expect(c.active).toBe(true);
    // The test before left the board hot.
    zone(0, 60000);
    zone(1, 52000);
    const rec = await c.wait();
    expect(rec).toEqual({ waitedMs: 3000, reached: true, baselineC: 45, startC: 60, endC: 46.5 });
    expect(clock.sleeps).toEqual([1000, 1000, 1000]);
    expect(Cooldown.parse(rec)).toEqual(rec);
  });

  it("gives up at the maximum wait and says the board did not cool", async () => {
    zone(0, 45000);
    const clock = fakeClock(() => zone(0, 70000));
    const c = new BoardCooldown({ sysRoot: root }, { maxSeconds: 2.5, clock });
    c.takeBaseline();
    zone(0, 71000);
    expect(await c.wait()).toEqual({ waitedMs: 2500, reached: false, baselineC: 45, startC: 71, endC: 70 });
    // The last pause is cut to the time left, not a whole poll past the maximum.
    expect(clock.sleeps).toEqual([1000, 1000, 500]);
  });

  it("does not wait when the board is already cool (a zone cooler than at the start counts as cooled)", async () => {
    zone(0, 45000);
    zone(1, 50000);
    const clock = fakeClock();
    const c = new BoardCooldown({ sysRoot: root }, { maxSeconds: 60, clock });
    c.takeBaseline();
    zone(0, 46900);
    zone(1, 30000);
    expect(await c.wait()).toEqual({ waitedMs: 0, reached: true, baselineC: 50, startC: 46.9, endC: 46.9 });
    expect(clock.sleeps).toEqual([]);
  });

  it("a board without thermal zones waits nothing and records nothing (not measured)", async () => {
    fs.mkdirSync(path.join(root, "sys/class/thermal/cooling_device0"), { recursive: true });
    const clock = fakeClock();
    const c = new BoardCooldown({ sysRoot: root }, { maxSeconds: 60, clock });
    c.takeBaseline();
    expect(c.active).toBe(false);
    expect(await c.wait()).toBeUndefined();
    expect(clock.sleeps).toEqual([]);
  });

  it("--cooldown 0 turns the waits off, even with zones", async () => {
    zone(0, 45000);
    const clock = fakeClock();
    const c = new BoardCooldown({ sysRoot: root }, { maxSeconds: 0, clock });
    c.takeBaseline();
    zone(0, 80000);
    expect(c.active).toBe(false);
    expect(await c.wait()).toBeUndefined();
    expect(clock.sleeps).toEqual([]);
  });

  it("reads zones in °C and leaves out a sensor that reports nonsense", () => {
    zone(0, 51234);
    zone(1, -273000);
    zone(2, "not a number");
    expect(readZoneTemps({ sysRoot: root })).toEqual(new Map([["thermal_zone0", 51.234]]));
  });

  it("a real wait (no injected clock) polls and returns as soon as the zone cools", async () => {
    zone(0, 45000);
    const c = new BoardCooldown({ sysRoot: root }, { maxSeconds: 10, pollMs: 20 });
    c.takeBaseline();
    zone(0, 60000);
    setTimeout(() => zone(0, 45500), 60);
    const rec = await c.wait();
    expect(rec?.reached).toBe(true);
    expect(rec?.endC).toBe(45.5);
    expect(rec!.waitedMs).toBeGreaterThanOrEqual(40);
    expect(rec!.waitedMs).toBeLessThan(2000);
  });
});

describe("the contract's cooldown and load records", () => {
  it("documents without them still validate; with them they validate and the load metrics compute", () => {
    const plain = sampleDocument();
    expect(plain.runs[0]!.load).toBeUndefined();
    expect(plain.runs[0]!.tests[0]!.cooldown).toBeUndefined();
    const m0 = computeMetrics({ run: plain.runs[0]!, doc: plain });
    expect(m0.load_ms).toBeUndefined();
    expect(m0.load_first_token_ms).toBeUndefined();

    const doc = structuredClone(plain);
    doc.runs[0]!.load = { coldMs: 812.5, warmMs: 95.25, firstTokenMs: 41.5 };
    doc.runs[0]!.tests[0]!.cooldown = { waitedMs: 12000, reached: true, baselineC: 45, startC: 58.2, endC: 46.9 };
    const parsed = ResultDocument.parse(doc);
    const m = computeMetrics({ run: parsed.runs[0]!, doc: parsed });
    expect(m.load_ms).toEqual({ value: 812.5 });
    expect(m.load_first_token_ms).toEqual({ value: 41.5 });

    // A later GPU-layers value of a sweep: only warm, no cold figure (so no ranked load time).
    const warmOnly = ModelLoad.parse({ warmMs: 90 });
    expect(computeMetrics({ run: { ...parsed.runs[0]!, load: warmOnly }, doc: parsed }).load_ms).toBeUndefined();
  });

  it("refuses unknown fields, an empty load record and out-of-range figures", () => {
    expect(ModelLoad.safeParse({}).success).toBe(false);
    expect(ModelLoad.safeParse({ coldMs: 0 }).success).toBe(false);
    expect(ModelLoad.safeParse({ coldMs: 5, hotMs: 1 }).success).toBe(false);
    expect(ModelLoad.safeParse({ coldMs: 4_000_000 }).success).toBe(false);
    expect(Cooldown.safeParse({ waitedMs: 0, reached: true }).success).toBe(true);
    expect(Cooldown.safeParse({ waitedMs: -1, reached: true }).success).toBe(false);
    expect(Cooldown.safeParse({ waitedMs: 1.5, reached: true }).success).toBe(false);
    expect(Cooldown.safeParse({ waitedMs: 10, reached: true, startC: 500 }).success).toBe(false);
    expect(Cooldown.safeParse({ waitedMs: 10, reached: true, extra: 1 }).success).toBe(false);
  });
});
