/** RAPL through a fake powercap tree: detection, energy with wraparound, root-only counters. */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { TestEnergy } from "@edgebench/contract";
import { afterEach, describe, expect, it } from "vitest";
import { detectMeters, openPowerSession } from "../../../uploader/src/power/index.js";
import { makeTree, now, rmTree, sleep, testConfig } from "./helpers.js";

const ZONE = "sys/class/powercap/intel-rapl:0";
let roots: string[] = [];
afterEach(() => {
  roots.forEach(rmTree);
  roots = [];
});

function raplTree(rangeUj: number, startUj: number): string {
  const root = makeTree({
    [`${ZONE}/name`]: "package-0",
    [`${ZONE}/energy_uj`]: String(startUj),
    [`${ZONE}/max_energy_range_uj`]: String(rangeUj),
    [`${ZONE}/intel-rapl:0:0/name`]: "core",
    [`${ZONE}/intel-rapl:0:0/energy_uj`]: "5",
    "sys/class/powercap/intel-rapl:1/name": "psys",
    "sys/class/powercap/intel-rapl:1/energy_uj": "7",
  });
  roots.push(root);
  return root;
}

/**
 * Drives energy_uj like a package drawing `watts`, wrapping at rangeUj, from a
 * separate process so the test's own event loop cannot stall the counter.
 * Written in place at a fixed width, as sysfs changes under an open descriptor.
 */
function driveCounter(root: string, watts: number, rangeUj: number, startUj: number): () => void {
  const file = path.join(root, ZONE, "energy_uj");
  const script = `
    const fs = require("node:fs");
    const fd = fs.openSync(${JSON.stringify(file)}, "r+");
    const t0 = process.hrtime.bigint();
    setInterval(() => {
      const uj = (${startUj} + Math.floor((Number(process.hrtime.bigint() - t0) / 1e3) * ${watts})) % ${rangeUj};
      fs.writeSync(fd, String(uj).padStart(12, "0") + "\\n", 0);
    }, 2);
    process.stdin.on("end", () => process.exit(0));
    process.stdin.resume();`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "ignore", "inherit"] });
  return () => child.stdin!.end();
}

describe("RAPL (powercap)", () => {
  it("finds the package zone, leaves out sub-zones and psys", async () => {
    const root = raplTree(262143328850, 1000);
    const found = await detectMeters(testConfig(root, []));
    expect(found).toEqual([
      expect.objectContaining({ spec: "rapl", kind: "rapl", scope: "cpu-package", method: "counter", available: true, rails: ["package-0"] }),
    ]);
  });

  it("measures a 2 W package across several counter wraps", async () => {
    // max_energy_range_uj of 0.5 J: at 2 W the counter wraps every 0.25 s, about 10 times in
    // the test, but never twice between two 100 ms reads (0.2 J < 0.5 J).
    const range = 500_000;
    const root = raplTree(range, 400_000);
    const stop = driveCounter(root, 2, range, 400_000);
    await sleep(200); // the writer process is up
    const power = await openPowerSession({ meterSpecs: ["rapl"], config: testConfig(root, []) });
    try {
      expect(power.meters).toEqual([expect.objectContaining({ kind: "rapl", scope: "cpu-package", method: "counter", sampleRateHz: 10 })]);
      await sleep(300);
      const reps = [];
      for (let i = 0; i < 2; i++) {
        const startNs = now();
        await sleep(1200);
        reps.push({ startNs, endNs: now() });
      }
      const [e] = power.testEnergy(reps);
      TestEnergy.parse(e);
      expect(e!.status).toBe("measured");
      reps.forEach((r, i) => {
        const seconds = Number(r.endNs - r.startNs) / 1e9;
        // 2 W * duration within 5 %: a wrap missed or counted twice would be off by 0.5 J (20 %).
        expect(Math.abs(e!.joulesPerRep![i]! / (2 * seconds) - 1)).toBeLessThan(0.05);
      });
      // The peak is the steepest 100 ms interval: read-time jitter on a loaded machine moves it a little.
      expect(e!.peakW).toBeGreaterThan(1.5);
      expect(e!.peakW).toBeLessThan(3.5);
      expect(e!.samples).toBeGreaterThanOrEqual(20);
      expect(e!.achievedRateHz).toBeGreaterThan(7);
      expect(e!.trace!.tMs.length).toBe(e!.trace!.w.length);
    } finally {
      stop();
      await power.close();
    }
  });

  it("a root-only energy_uj gives a clear message with the fix, not a crash or zero", async () => {
    const root = raplTree(262143328850, 1000);
    // The CVE-2020-8694 mode. Root reads it anyway, so the detector runs as nobody when we are root.
    fs.chmodSync(path.join(root, ZONE, "energy_uj"), process.getuid?.() === 0 ? 0o400 : 0o000);
    fs.chmodSync(root, 0o755);
    const script = path.join(import.meta.dirname, "../../fixtures/power/detect-meters.ts");
    const r = spawnSync(process.execPath, ["--import", "tsx", script], {
      env: { PATH: process.env.PATH, EDGEBENCH_SYSROOT: root, EDGEBENCH_HOME: path.join(root, "home") },
      encoding: "utf8",
      cwd: path.join(import.meta.dirname, "../../.."),
      ...(process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}),
    });
    expect(r.stderr).toBe("");
    const found = JSON.parse(r.stdout) as Array<{ spec: string; available: boolean; reason?: string }>;
    const rapl = found.find((m) => m.spec === "rapl")!;
    expect(rapl.available).toBe(false);
    expect(rapl.reason).toMatch(/readable by root only/);
    expect(rapl.reason).toMatch(/\/sys\/class\/powercap\/intel-rapl:0\/energy_uj/);
    expect(rapl.reason).toMatch(/chmod 0444/);
    expect(rapl.reason).toMatch(/udev rule/);
  });

  it("a session with only a root-only RAPL records no meter and says why", async () => {
    const root = raplTree(262143328850, 1000);
    fs.rmSync(path.join(root, ZONE, "energy_uj"));
    fs.mkdirSync(path.join(root, ZONE, "energy_uj")); // unreadable as a file (EISDIR)
    const power = await openPowerSession({ config: testConfig(root, []) });
    expect(power.meters).toEqual([]);
    expect(power.note).toMatch(/Energy not measured/);
    expect(power.note).toMatch(/rapl \(cpu-package\) not used: cannot read/);
    expect(power.testEnergy([{ startNs: now(), endNs: now() + 1000n }])).toEqual([]);
    await power.close();
  });
});
