/**
 * Phones and locked-down boards: the detectors, the meter listing and a run
 * must degrade to "not available" when sysfs paths are missing or unreadable,
 * never crash. Two trees under EDGEBENCH_SYSROOT: an empty one, and an
 * Android/Termux-like one (cpuinfo and meminfo readable; the battery's
 * current_now/voltage_now, thermal zones and the device tree permission-denied,
 * as SELinux leaves them for apps). Mode-000 files only deny a non-root user, so
 * as root these cases run the CLI as `nobody` through setpriv, and are skipped
 * with the reason when that is not possible.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, tinyModel } from "../helpers/models.js";
import { exec, QUICK_RUN_FLAGS, type Ran } from "./pack-helpers.js";

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
const canDrop = isRoot && spawnSync("setpriv", ["--reuid", String(NOBODY), "--regid", String(NOBODY), "--clear-groups", "true"]).status === 0;
/** Why the permission-denied cases cannot run here, or undefined when they can. */
const skipDenied = isRoot && !canDrop ? "running as root without a working setpriv: mode-000 files would still be readable" : undefined;

let work = "";
let empty = "";
let termux = "";
let home = "";

function write(root: string, rel: string, text: string, mode = 0o644): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
}

/** An Android phone as an app sees it (Snapdragon-style cpuinfo, a discharging battery whose readings are denied). */
function makeTermuxTree(root: string): void {
  const cpu = (n: number) =>
    `processor\t: ${n}\nBogoMIPS\t: 38.40\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x1\nCPU part\t: 0xd05\nCPU revision\t: 0\n\n`;
  write(root, "proc/cpuinfo", `${[0, 1, 2, 3].map(cpu).join("")}Hardware\t: Qualcomm Technologies, Inc SM7225\n`);
  write(root, "proc/meminfo", "MemTotal:        5767168 kB\nMemFree:          312000 kB\nMemAvailable:    2100000 kB\n");
  write(root, "proc/sys/kernel/osrelease", "4.19.157-perf+\n");
  write(root, "sys/devices/system/cpu/online", "0-3\n");
  for (const n of [0, 1, 2, 3]) fs.mkdirSync(path.join(root, `sys/devices/system/cpu/cpu${n}`), { recursive: true });
  // The device tree exists but an app may not read it.
  write(root, "proc/device-tree/model", "Qualcomm Technologies, Inc. Lito\0", 0o000);
  fs.chmodSync(path.join(root, "proc/device-tree"), 0o000);
  // Battery: type and status readable, the readings not.
  const bat = "sys/class/power_supply/battery";
  write(root, `${bat}/type`, "Battery\n");
  write(root, `${bat}/status`, "Discharging\n");
  write(root, `${bat}/capacity`, "81\n");
  write(root, `${bat}/current_now`, "-412000\n", 0o000);
  write(root, `${bat}/voltage_now`, "3987000\n", 0o000);
  // Thermal zones: one denied file, one denied directory.
  write(root, "sys/class/thermal/thermal_zone0/type", "cpu-0-0-usr\n");
  write(root, "sys/class/thermal/thermal_zone0/temp", "41200\n", 0o000);
  write(root, "sys/class/thermal/thermal_zone1/type", "battery\n");
  fs.chmodSync(path.join(root, "sys/class/thermal/thermal_zone1"), 0o000);
}

/** Runs the bundled CLI with EDGEBENCH_SYSROOT=root, as nobody when this process is root. */
function cli(root: string, args: string[], timeoutMs = 60_000): Promise<Ran> {
  const env = { PATH: process.env.PATH, HOME: home, EDGEBENCH_HOME: home, EDGEBENCH_SYSROOT: root, EDGEBENCH_SERVER: "", CI: "1" };
  const cmd = canDrop
    ? ["setpriv", "--reuid", String(NOBODY), "--regid", String(NOBODY), "--clear-groups", process.execPath, CLI, ...args]
    : [process.execPath, CLI, ...args];
  return exec(cmd[0]!, cmd.slice(1), { env, cwd: work, timeoutMs });
}

/** No stack trace, no "undefined"/"NaN" in what a person reads. */
function expectClean(r: Ran): void {
  expect(r.stderr).not.toMatch(/\n\s+at |TypeError|ReferenceError|EACCES|ENOENT|EPERM/);
  expect(r.stdout).not.toMatch(/undefined|NaN/);
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-hidden-"));
  fs.chmodSync(work, 0o755); // nobody must reach the trees and its home
  empty = path.join(work, "empty");
  fs.mkdirSync(empty);
  termux = path.join(work, "termux");
  makeTermuxTree(termux);
  home = path.join(work, "home");
  fs.mkdirSync(home);
  if (canDrop) fs.chownSync(home, NOBODY, NOBODY);
});

afterAll(() => {
  if (!work) return;
  // Give the owner back the permission to remove what was made unreadable.
  for (const p of ["proc/device-tree", "sys/class/thermal/thermal_zone1"]) fs.chmodSync(path.join(termux, p), 0o755);
  fs.rmSync(work, { recursive: true, force: true });
});

describe("an empty sysroot: nothing exposed", () => {
  it("detect reports unknown / not available and exits 0", async () => {
    const r = await cli(empty, ["detect", "--no-llama"]);
    expect(r.code, r.stderr).toBe(0);
    expectClean(r);
    expect(r.stdout).toMatch(/soc\s+not available/);
    expect(r.stdout).toMatch(/thermal\s+.*not measured/);
    const j = await cli(empty, ["detect", "--no-llama", "--json"]);
    expect(j.code, j.stderr).toBe(0);
    const found = JSON.parse(j.stdout) as {
      system: { board: { identifiedBy: string }; cpu: { cores: number; threads: number }; memory: { totalBytes: number }; accelerators: unknown[] };
      sources: { memory: string; cpu: { threads: string } };
      thermalSensors: boolean;
    };
    expect(found.system.board.identifiedBy).toBe("unknown");
    // /proc/meminfo and /proc/cpuinfo hidden: the kernel's figures (sysinfo(2), sched_getaffinity(2)), not 1-byte / 1-core placeholders.
    expect(found.system.memory.totalBytes).toBe(os.totalmem());
    expect(found.system.cpu.threads).toBe(os.availableParallelism());
    expect(found.sources).toMatchObject({ memory: "sysinfo(2)", cpu: { threads: "sched_getaffinity(2)" } });
    expect(r.stdout).toMatch(/memory\s+\d+\.\d GiB\s+\[sysinfo\(2\)\]/);
    expect(found.system.accelerators).toEqual([]);
    expect(found.thermalSensors).toBe(false);
  });

  it("meters finds no sysfs meter and says so, exit 0", async () => {
    const r = await cli(empty, ["meters", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const meters = JSON.parse(r.stdout) as { kind: string }[];
    expect(meters.filter((m) => ["battery", "rapl", "hwmon", "jetson"].includes(m.kind))).toEqual([]);
  });
});

describe.skipIf(Boolean(skipDenied))(`a Termux-like tree with permission-denied files${skipDenied ? ` (skipped: ${skipDenied})` : ""}`, () => {
  it("detect reads what is readable (4 cores, memory, kernel) and degrades the rest", async () => {
    const r = await cli(termux, ["detect", "--no-llama", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expectClean(r);
    const found = JSON.parse(r.stdout) as {
      system: { cpu: { arch: string; cores: number }; memory: { totalBytes: number }; os: { kernel: string }; soc?: unknown };
      thermalSensors: boolean;
    };
    expect(found.system.cpu.cores).toBe(4);
    expect(found.system.memory.totalBytes).toBe(5767168 * 1024);
    expect(found.system.os.kernel).toBe("4.19.157-perf+");
    // The device tree is denied: no SoC from it, and no crash.
    expect(found.system.soc).toBeUndefined();
    const text = await cli(termux, ["detect", "--no-llama"]);
    expect(text.code, text.stderr).toBe(0);
    expectClean(text);
  });

  it("meters: a battery whose readings are denied is not offered as a meter", async () => {
    const r = await cli(termux, ["meters", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expectClean(r);
    const meters = JSON.parse(r.stdout) as { kind: string; available?: boolean }[];
    expect(meters.filter((m) => m.kind === "battery" && m.available)).toEqual([]);
  });

  it("a tiny-model run completes with energy and thermals recorded as not measured", async () => {
    const r = await cli(termux, ["run", "--model", tinyModel("q8_0"), ...QUICK_RUN_FLAGS], 180_000);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      power: { meters: unknown[]; note?: string };
      runs: { status: string; tests: { energy?: unknown; thermal?: unknown }[] }[];
    };
    expect(doc.runs[0]!.status).toBe("ok");
    expect(doc.power.meters).toEqual([]);
    expect(doc.power.note).toMatch(/not measured/i);
    for (const t of doc.runs[0]!.tests) expect(t.energy).toBeUndefined();
  }, 200_000);
});
