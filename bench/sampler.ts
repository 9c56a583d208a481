/**
 * Power sampler figures:
 *  1. Sampler cost: CPU time of this process (and of the processes it starts)
 *     in % of one core while a power session samples at 10 Hz for N seconds,
 *     for fixture sysfs meters (RAPL, hwmon, Jetson INA3221) and a cmd: meter.
 *     Measured with process.cpuUsage() and /proc/self/stat (children's time);
 *     an idle baseline of the same length is shown for reference.
 *  2. Integration error: energy from 10 Hz jittered samples of a synthetic
 *     profile (sine + steps) vs its analytic integral, for sampled power
 *     (trapezoid) and for a cumulative counter (difference, interpolated edges),
 *     and the same at 1 Hz (a smart plug).
 * Usage: tsx bench/sampler.ts [seconds per cost run, default 20]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Config } from "../uploader/src/config.js";
import { type Series, windowEnergy } from "../uploader/src/power/energy.js";
import { openPowerSession } from "../uploader/src/power/index.js";
import { ThermalSampler } from "../uploader/src/runner/thermal.js";

const SECONDS = Number(process.argv[2] ?? 20);
// USER_HZ: clock ticks per second in /proc stat fields (100 on Linux).
const TICK = 100;

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-bench-"));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), `${content}\n`);
  }
  return root;
}

function config(root: string): Config {
  return { home: root, sysRoot: root, plainProgress: true, modelsDir: root, toolPath: path.join(root, "no-tools") };
}

/** CPU seconds of waited-for children (cutime + cstime in /proc/self/stat). */
function childCpuSeconds(): number {
  try {
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / TICK;
  } catch {
    return NaN;
  }
}

interface CostRow {
  name: string;
  readings: string;
  self: number;
  children: number;
}

async function cost(name: string, run: ((s: number) => Promise<string>) | null): Promise<CostRow> {
  const c0 = process.cpuUsage();
  const k0 = childCpuSeconds();
  const t0 = process.hrtime.bigint();
  let readings = "-";
  if (run) readings = await run(SECONDS);
  else await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  const k = childCpuSeconds() - k0;
  return { name, readings, self: ((c.user + c.system) / 1e6 / wall) * 100, children: (k / wall) * 100 };
}

async function sessionRun(files: Record<string, string>, specs: string[], scope?: "wall"): Promise<(s: number) => Promise<string>> {
  return async (seconds) => {
    const root = tree(files);
    const power = await openPowerSession({ meterSpecs: specs, scope, config: config(root), rateHz: 10 });
    if (!power.meters.length) throw new Error(`no meter: ${power.note}`);
    const startNs = process.hrtime.bigint();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const endNs = process.hrtime.bigint();
    const energy = power.testEnergy([{ startNs, endNs }]);
    await power.close();
    fs.rmSync(root, { recursive: true, force: true });
    return energy.map((e) => `${e.samples} @ ${e.achievedRateHz} Hz`).join(", ");
  };
}

const RAPL = {
  "sys/class/powercap/intel-rapl:0/name": "package-0",
  "sys/class/powercap/intel-rapl:0/energy_uj": "123456789",
  "sys/class/powercap/intel-rapl:0/max_energy_range_uj": "262143328850",
};
const HWMON = { "sys/class/hwmon/hwmon1/name": "ina226", "sys/class/hwmon/hwmon1/power1_input": "2450000" };
const JETSON: Record<string, string> = {};
for (const [k, label] of ["VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC"].entries()) {
  const d = "sys/bus/i2c/drivers/ina3221/1-0040/hwmon/hwmon3";
  JETSON[`${d}/in${k + 1}_label`] = label;
  JETSON[`${d}/in${k + 1}_input`] = "5000";
  JETSON[`${d}/curr${k + 1}_input`] = "800";
}

// ---------- 2. integration error on a synthetic profile ----------
const PERIOD = 7; // s
const STEPS: Array<[number, number, number]> = [
  [10, 20, 3],
  [30, 33, 6],
  [45, 45.4, 8], // a 0.4 s burst, shorter than a 1 Hz plug's period
];
const power = (t: number) => 5 + 2 * Math.sin((2 * Math.PI * t) / PERIOD) + STEPS.reduce((s, [a, b, h]) => s + (t >= a && t < b ? h : 0), 0);
const integral = (a: number, b: number) =>
  5 * (b - a) -
  ((2 * PERIOD) / (2 * Math.PI)) * (Math.cos((2 * Math.PI * b) / PERIOD) - Math.cos((2 * Math.PI * a) / PERIOD)) +
  STEPS.reduce((s, [x, y, h]) => s + Math.max(0, Math.min(b, y) - Math.max(a, x)) * h, 0);

/** Deterministic PRNG (mulberry32) so the table is reproducible. */
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function samples(rateHz: number, jitterS: number, seed: number, kind: "sampled" | "counter"): Series {
  const r = rng(seed);
  const t: number[] = [];
  const v: number[] = [];
  for (let k = 0; k * (1 / rateHz) <= 60; k++) {
    const ts = Math.max(0, k / rateHz + (r() * 2 - 1) * jitterS);
    if (t.length && ts * 1e9 <= t[t.length - 1]!) continue;
    t.push(ts * 1e9);
    // counter: the exact integral since 0, quantised to 1 uJ like energy_uj
    v.push(kind === "sampled" ? power(ts) : Math.floor(integral(0, ts) * 1e6) / 1e6);
  }
  return { t, v, n: t.length };
}

const WINDOWS: Array<[string, number, number]> = [
  ["sine only, 7.9 s", 2.03, 9.97],
  ["+3 W step inside, 11 s", 9.5, 20.5],
  ["+6 W step, 3.1 s", 29.95, 33.05],
  ["0.4 s burst in 2 s", 44.3, 46.3],
  ["whole trace, 59 s", 0.5, 59.5],
];

function errorTable(): string[] {
  const lines: string[] = [];
  const cases: Array<[string, number, number, "sampled" | "counter"]> = [
    ["sampled 10 Hz, +-20 ms jitter", 10, 0.02, "sampled"],
    ["counter 10 Hz, +-20 ms jitter", 10, 0.02, "counter"],
    ["sampled 1 Hz (plug), +-100 ms", 1, 0.1, "sampled"],
  ];
  lines.push(`| window | exact J | ${cases.map((c) => c[0]).join(" | ")} |`);
  lines.push(`|---|---|${cases.map(() => "---").join("|")}|`);
  const worst = cases.map(() => 0);
  for (const [name, a, b] of WINDOWS) {
    const exact = integral(a, b);
    const cells = cases.map(([, rate, jitter, kind], i) => {
      // Mean |error| over 20 jitter seeds.
      let sum = 0;
      let max = 0;
      for (let seed = 1; seed <= 20; seed++) {
        const s = samples(rate, jitter, seed, kind);
        const res = windowEnergy(s, kind, a * 1e9, b * 1e9, 1.5e9 / rate);
        if (!res.ok) return "not covered";
        const err = Math.abs(res.joules - exact) / exact;
        sum += err;
        max = Math.max(max, err);
      }
      worst[i] = Math.max(worst[i]!, max);
      return `${((sum / 20) * 100).toFixed(3)} % (max ${(max * 100).toFixed(3)} %)`;
    });
    lines.push(`| ${name} | ${exact.toFixed(3)} | ${cells.join(" | ")} |`);
  }
  return lines;
}

async function main(): Promise<void> {
  console.log(`Power sampler benchmark (node ${process.version}, ${os.cpus().length} CPUs, ${SECONDS} s per cost run)\n`);
  console.log("## Integration error vs the analytic integral (P = 5 + 2 sin(2 pi t / 7) W + steps)\n");
  for (const l of errorTable()) console.log(l);

  console.log("\n## Sampler cost at 10 Hz (CPU % of one core)\n");
  // Warm-up (JIT, first thread-pool use, fetch of the fixture pages), not reported.
  await (await sessionRun({ ...RAPL, ...HWMON, ...JETSON }, ["auto"]))(Math.min(3, SECONDS));
  const rows: CostRow[] = [];
  rows.push(await cost("idle baseline (no session)", null));
  rows.push(await cost("rapl (1 package zone)", await sessionRun(RAPL, ["rapl"])));
  rows.push(await cost("hwmon ina226 (1 file)", await sessionRun(HWMON, ["hwmon:ina226"])));
  rows.push(await cost("jetson INA3221 (3 rails, 6 files)", await sessionRun(JETSON, ["jetson"])));
  rows.push(await cost("rapl + hwmon + jetson together", await sessionRun({ ...RAPL, ...HWMON, ...JETSON }, ["auto"])));
  const wattsFile = path.join(os.tmpdir(), `edgebench-bench-watts-${process.pid}`);
  fs.writeFileSync(wattsFile, "4.2\n");
  rows.push(await cost("cmd: meter (`cat FILE` via /bin/sh each sample)", await sessionRun({}, [`cmd:cat ${wattsFile}`], "wall")));
  const rk3588 = path.join(import.meta.dirname, "..", "test", "fixtures", "sysfs", "orangepi5-rk3588");
  rows.push(await cost("thermal series (RK3588 fixture: 4 zones, 8 CPUs, NPU devfreq)", (s) => thermalRun(rk3588, s)));
  const pi = piWithBattery();
  rows.push(await cost("thermal series (Pi 5 fixture + firmware throttle word + battery)", (s) => thermalRun(pi, s)));
  fs.rmSync(pi, { recursive: true, force: true });
  fs.rmSync(wattsFile, { force: true });
  console.log("| meter | readings in window | this process | child processes | total |");
  console.log("|---|---|---|---|---|");
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.readings} | ${r.self.toFixed(3)} % | ${r.children.toFixed(3)} % | ${(r.self + r.children).toFixed(3)} % |`);
  }
  const base = rows[0]!.self;
  const sysfs = rows.slice(1, 5).map((r) => r.self - base);
  console.log(`\nsysfs meters above the idle baseline: ${sysfs.map((x) => x.toFixed(3)).join(", ")} % of one core (target < 1 %)`);
}

await main();

/** The thermal/clock sampler of every test (runner/thermal.ts) at 10 Hz on a fixture tree, every series included. */
async function thermalRun(sysRoot: string, seconds: number): Promise<string> {
  const s = new ThermalSampler({ sysRoot }, 100);
  s.start();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const t = s.stop();
  const x = t?.series;
  return `${x?.tMs.length ?? 0} points: ${x?.zones?.length ?? 0} zones, ${x?.clusters?.length ?? 0} clusters, ${x?.devfreq?.length ?? 0} devfreq, throttle word ${x?.throttleBits ? "yes" : "no"}, battery ${x?.battery ? "yes" : "no"}`;
}

/** The Pi 5 fixture tree copied, with the firmware's throttle word (sysfs, no vcgencmd spawned) and a battery HAT's fuel gauge. */
function piWithBattery(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-bench-pi-"));
  fs.cpSync(path.join(import.meta.dirname, "..", "test", "fixtures", "sysfs", "pi5"), root, { recursive: true });
  const firmware = path.join(root, "sys", "devices", "platform", "soc", "soc:firmware");
  fs.mkdirSync(firmware, { recursive: true });
  fs.writeFileSync(path.join(firmware, "get_throttled"), "50005\n");
  const bat = path.join(root, "sys", "class", "power_supply", "BAT0");
  fs.mkdirSync(bat, { recursive: true });
  for (const [f, v] of [
    ["type", "Battery"],
    ["status", "Discharging"],
    ["capacity", "87"],
    ["energy_now", "41230000"],
  ])
    fs.writeFileSync(path.join(bat, f!), `${v}\n`);
  return root;
}
