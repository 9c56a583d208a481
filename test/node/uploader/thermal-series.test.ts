/**
 * The per-test series beside the CPU clocks: every zone, devfreq devices, the
 * Raspberry Pi throttle word (sysfs, and vcgencmd when the kernel does not
 * expose it) and the battery, against fixture trees rewritten while the
 * sampler runs, as a board's files change under load.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { LIMITS, Thermal, throttleOnsetMs } from "@edgebench/contract";
import { afterEach, describe, expect, it } from "vitest";
import { parseThrottleWord } from "../../../uploader/src/runner/rpi-throttle.js";
import { bounded, boundedOr, ThermalSampler } from "../../../uploader/src/runner/thermal.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let roots: string[] = [];
afterEach(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  roots = [];
});

/** A temporary root with the given files; `write` rewrites them while a sampler reads. */
function tree(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-thermal-series-"));
  roots.push(root);
  const write = (more: Record<string, string>) => {
    for (const [rel, content] of Object.entries(more)) {
      const p = path.join(root, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
    }
  };
  write(files);
  return { root, write, bin: path.join(root, "bin") };
}

const cpus = (khz: number) => Object.fromEntries([0, 1, 2, 3].map((c) => [`sys/devices/system/cpu/cpu${c}/cpufreq/scaling_cur_freq`, `${khz}\n`]));

describe("parseThrottleWord", () => {
  it("reads the sysfs attribute and vcgencmd's answer alike", () => {
    expect(parseThrottleWord("50005\n")).toBe(0x50005);
    expect(parseThrottleWord("0x50005")).toBe(0x50005);
    expect(parseThrottleWord("throttled=0x80008\n")).toBe(0x80008);
    expect(parseThrottleWord("0")).toBe(0);
    expect(parseThrottleWord('error=1 error_msg="Command not registered"')).toBeUndefined();
    expect(parseThrottleWord(undefined)).toBeUndefined();
  });
});

describe("bounding a long series", () => {
  // 2,000 samples into the 600-point limit: each point stands for 3 or 4 samples.
  const n = 2000;
  const tMs = Array.from({ length: n }, (_, i) => i * 10);

  it("averages the samples a point stands for, so a step shows its mixed point", () => {
    const temps = tMs.map((_, i) => (i < 1001 ? 40 : 50));
    const c = bounded(tMs, temps, 1);
    expect(c).toHaveLength(LIMITS.maxTracePoints);
    expect([c[0], c.at(-1)]).toEqual([40, 50]);
    const mixed = c.filter((x) => x !== 40 && x !== 50);
    expect(mixed).toHaveLength(1);
    expect(mixed[0]).toBeGreaterThan(40);
    expect(mixed[0]).toBeLessThan(50);
  });

  it("OR-s flag words, so one sample's flag survives and stays one point wide", () => {
    const words = tMs.map((_, i) => (i === 1234 ? 4 : 0));
    const b = boundedOr(words);
    expect(b).toHaveLength(LIMITS.maxTracePoints);
    expect(b.filter((w) => w === 4)).toHaveLength(1);
    expect(b.filter((w) => w !== 0 && w !== 4)).toEqual([]);
    // Short series pass through untouched.
    expect(boundedOr([0, 4, 0])).toEqual([0, 4, 0]);
  });
});

describe("ThermalSampler series", () => {
  it("a Pi-like board heating up: zones, devfreq, throttle bits, battery and CPU clocks follow the files", async () => {
    const t = tree({
      "sys/class/thermal/thermal_zone0/type": "soc-thermal\n",
      "sys/class/thermal/thermal_zone0/temp": "45000\n",
      "sys/class/thermal/thermal_zone1/type": "gpu-thermal\n",
      "sys/class/thermal/thermal_zone1/temp": "40000\n",
      // A zone that stops reading mid-test (a sensor behind a suspended device) is left out of the series.
      "sys/class/thermal/thermal_zone2/type": "npu-thermal\n",
      "sys/class/thermal/thermal_zone2/temp": "41000\n",
      ...Object.fromEntries([0, 1, 2, 3].map((c) => [`sys/devices/system/cpu/cpu${c}/cpufreq/cpuinfo_max_freq`, "2400000\n"])),
      ...cpus(2400000),
      "sys/class/devfreq/fb000000.gpu/cur_freq": "1000000000\n",
      "sys/class/devfreq/fb000000.gpu/max_freq": "1000000000\n",
      "sys/class/devfreq/fb000000.gpu/governor": "simple_ondemand\n",
      "sys/class/devfreq/fdab0000.npu/cur_freq": "1000000000\n",
      "sys/class/devfreq/fdab0000.npu/max_freq": "1000000000\n",
      "sys/class/devfreq/fdab0000.npu/governor": "rknpu_ondemand\n",
      // A devfreq device without cur_freq (a bus with no readable clock) is not sampled.
      "sys/class/devfreq/dmc/governor": "dmc_ondemand\n",
      "sys/devices/platform/soc/soc:firmware/get_throttled": "0\n",
      "sys/class/power_supply/BAT0/type": "Battery\n",
      "sys/class/power_supply/BAT0/status": "Discharging\n",
      "sys/class/power_supply/BAT0/capacity": "80\n",
      "sys/class/power_supply/BAT0/energy_now": "40000000\n",
      "sys/class/power_supply/AC/type": "Mains\n",
    });
    const s = new ThermalSampler({ sysRoot: t.root, toolPath: t.bin }, 20);
    s.start();
    await sleep(120);
    // Hot: the soft temperature limit is reached, the firmware caps the CPU and the GPU clock falls.
    t.write({
      "sys/class/thermal/thermal_zone0/temp": "70000\n",
      ...cpus(2000000),
      "sys/class/devfreq/fb000000.gpu/cur_freq": "600000000\n",
      "sys/devices/platform/soc/soc:firmware/get_throttled": "80008\n",
      "sys/class/power_supply/BAT0/capacity": "79\n",
      "sys/class/power_supply/BAT0/energy_now": "39500000\n",
    });
    fs.rmSync(path.join(t.root, "sys/class/thermal/thermal_zone2/temp"));
    await sleep(120);
    t.write({
      "sys/class/thermal/thermal_zone0/temp": "80500\n",
      ...cpus(1500000),
      "sys/class/devfreq/fb000000.gpu/cur_freq": "300000000\n",
      "sys/devices/platform/soc/soc:firmware/get_throttled": "e000e\n",
      "sys/class/power_supply/BAT0/capacity": "78\n",
      "sys/class/power_supply/BAT0/energy_now": "39000000\n",
    });
    await sleep(120);
    const th = s.stop()!;
    expect(Thermal.parse(th)).toEqual(th);
    const series = th.series!;
    const n = series.tMs.length;
    expect(n).toBeGreaterThan(8);

    expect(series.zones!.map((z) => z.type)).toEqual(["soc-thermal", "gpu-thermal"]);
    const soc = series.zones![0]!.c;
    expect(soc.length).toBe(n);
    expect([soc[0], soc.at(-1)]).toEqual([45, 80.5]);
    expect(new Set(soc)).toEqual(new Set([45, 70, 80.5]));
    expect(new Set(series.zones![1]!.c)).toEqual(new Set([40]));
    expect(th.maxTempC).toBe(80.5);

    expect(series.devfreq!.map((d) => [d.name, d.maxMHz, d.governor])).toEqual([
      ["fb000000.gpu", 1000, "simple_ondemand"],
      ["fdab0000.npu", 1000, "rknpu_ondemand"],
    ]);
    const gpu = series.devfreq![0]!.mhz;
    expect([gpu[0], gpu.at(-1)]).toEqual([1000, 300]);
    expect(new Set(gpu)).toEqual(new Set([1000, 600, 300]));
    expect(new Set(series.devfreq![1]!.mhz)).toEqual(new Set([1000]));

    const bits = series.throttleBits!;
    expect(bits.length).toBe(n);
    expect([bits[0], bits.at(-1)]).toEqual([0, 0xe]);
    expect(new Set(bits)).toEqual(new Set([0, 0x8, 0xe]));
    expect(th.throttleWord).toBe(0xe000e);
    expect(th.throttled).toBe(true);

    // The onset is the first sample after the first rewrite: the throttle bit and the CPU drop arrived together.
    const first = bits.findIndex((b) => b !== 0);
    expect(series.clusters![0]!.mhz[first]).toBe(2000);
    expect(series.clusters![0]!.mhz[first - 1]).toBe(2400);
    expect(throttleOnsetMs(th)).toBe(series.tMs[first]);
    expect(throttleOnsetMs(th)).toBeGreaterThanOrEqual(100);

    expect(series.battery).toMatchObject({ name: "BAT0", status: "Discharging", capacityStepPct: 1 });
    const cap = series.battery!.capacityPct!;
    expect([cap[0], cap.at(-1)]).toEqual([80, 78]);
    expect(new Set(cap)).toEqual(new Set([80, 79, 78]));
    expect(series.battery!.energyUWh![0]).toBe(40000000);
    expect(series.battery!.energyUWh!.at(-1)).toBe(39000000);
    expect(series.battery!.chargeUAh).toBeUndefined();
  });

  it("a CPU clock falling below 90 % of its peak is the onset when no firmware flag says so", async () => {
    const t = tree({
      "sys/class/thermal/thermal_zone0/type": "cpu-thermal\n",
      "sys/class/thermal/thermal_zone0/temp": "60000\n",
      "sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq": "2000000\n",
      "sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq": "2000000\n",
      // A battery driver with charge_now and voltage_now instead of energy_now.
      "sys/class/power_supply/battery/type": "Battery\n",
      "sys/class/power_supply/battery/status": "Discharging\n",
      "sys/class/power_supply/battery/capacity": "55\n",
      "sys/class/power_supply/battery/charge_now": "2500000\n",
      "sys/class/power_supply/battery/voltage_now": "3900000\n",
    });
    const s = new ThermalSampler({ sysRoot: t.root, toolPath: t.bin }, 20);
    s.start();
    await sleep(100);
    // 1.85 GHz is 92.5 %: still not held back.
    t.write({ "sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq": "1850000\n" });
    await sleep(100);
    t.write({
      "sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq": "1700000\n",
      "sys/class/power_supply/battery/charge_now": "2490000\n",
      "sys/class/power_supply/battery/voltage_now": "3880000\n",
    });
    await sleep(100);
    const th = s.stop()!;
    expect(Thermal.parse(th)).toEqual(th);
    const mhz = th.series!.clusters![0]!.mhz;
    const drop = mhz.indexOf(1700);
    expect(drop).toBeGreaterThan(0);
    expect(mhz.slice(0, drop).every((f) => f >= 1850)).toBe(true);
    expect(throttleOnsetMs(th)).toBe(th.series!.tMs[drop]);
    expect(th.series!.throttleBits).toBeUndefined();
    expect(th.throttleWord).toBeUndefined();
    const bat = th.series!.battery!;
    expect(bat.energyUWh).toBeUndefined();
    expect([bat.chargeUAh![0], bat.chargeUAh!.at(-1)]).toEqual([2500000, 2490000]);
    expect([bat.voltageUV![0], bat.voltageUV!.at(-1)]).toEqual([3900000, 3880000]);
    expect(new Set(bat.capacityPct)).toEqual(new Set([55]));
  });

  it("a zone whose sensor reads a value no board reaches is left out: it sets no peak and no series", async () => {
    const t = tree({
      "sys/class/thermal/thermal_zone0/type": "cpu-thermal\n",
      "sys/class/thermal/thermal_zone0/temp": "52000\n",
      "sys/class/thermal/thermal_zone1/type": "off-sensor\n",
      "sys/class/thermal/thermal_zone1/temp": "-273150\n",
      "sys/class/thermal/thermal_zone2/type": "stuck-sensor\n",
      "sys/class/thermal/thermal_zone2/temp": "255000\n",
    });
    const s = new ThermalSampler({ sysRoot: t.root, toolPath: t.bin }, 20);
    s.start();
    await sleep(80);
    const th = s.stop()!;
    expect(th.maxTempC).toBe(52);
    expect(th.series!.zones!.map((z) => z.type)).toEqual(["cpu-thermal"]);
  });

  it("sticky bits set before the test began do not make it throttled", async () => {
    const t = tree({
      "sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq": "2400000\n",
      "sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq": "2400000\n",
      // Pi 5: the firmware device is found through the driver's directory.
      "sys/bus/platform/drivers/raspberrypi-firmware/soc@107c000000:firmware/get_throttled": "50000\n",
    });
    const s = new ThermalSampler({ sysRoot: t.root, toolPath: t.bin }, 20);
    s.start();
    await sleep(80);
    const th = s.stop()!;
    expect(th.throttleWord).toBe(0x50000);
    expect(new Set(th.series!.throttleBits)).toEqual(new Set([0]));
    expect(th.throttled).toBe(false);
    expect(throttleOnsetMs(th)).toBeNull();
  });

  it("without the sysfs attribute a Pi asks vcgencmd, at most once a second, without slowing the samples", async () => {
    const t = tree({
      "proc/device-tree/compatible": "raspberrypi,5-model-b\0brcm,bcm2712\0",
      "sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq": "2400000\n",
      "sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq": "2400000\n",
      "answer.txt": "throttled=0x0\n",
      // Recorded `vcgencmd get_throttled` output, served from answer.txt; each call is logged.
      "bin/vcgencmd": `#!/bin/sh\necho "$1" >> "${"$"}(dirname "$0")/../calls.txt"\n[ "$1" = get_throttled ] || exit 1\ncat "${"$"}(dirname "$0")/../answer.txt"\n`,
    });
    fs.chmodSync(path.join(t.bin, "vcgencmd"), 0o755);
    const s = new ThermalSampler({ sysRoot: t.root, toolPath: t.bin }, 20);
    await sleep(300); // the first answer arrives while the model loads
    s.start();
    await sleep(300);
    // Under-voltage and throttled now, both recorded as having occurred.
    t.write({ "answer.txt": "throttled=0x50005\n" });
    await sleep(1100);
    const th = s.stop()!;
    const calls = fs.readFileSync(path.join(t.root, "calls.txt"), "utf8").trim().split("\n");
    expect(calls.every((c) => c === "get_throttled")).toBe(true);
    // 1.7 s since the sampler was made: at most one call per started second.
    expect(calls.length).toBe(2);
    expect(th.series!.tMs.length).toBeGreaterThan(40);
    const bits = th.series!.throttleBits!;
    expect([bits[0], bits.at(-1)]).toEqual([0, 5]);
    expect(th.throttleWord).toBe(0x50005);
    expect(th.throttled).toBe(true);
    const onset = throttleOnsetMs(th)!;
    expect(onset).toBe(th.series!.tMs[bits.indexOf(5)]);
    expect(onset).toBeGreaterThan(300);
  });

  it("a long test's throttle bits are bounded by OR-ing, so a brief flag survives the downsampling", async () => {
    const t = tree({ "sys/devices/platform/soc/soc:firmware/get_throttled": "0\n" });
    const s = new ThermalSampler({ sysRoot: t.root, toolPath: t.bin }, 1);
    s.start();
    await sleep(700);
    t.write({ "sys/devices/platform/soc/soc:firmware/get_throttled": "4\n" });
    await sleep(10);
    t.write({ "sys/devices/platform/soc/soc:firmware/get_throttled": "40000\n" });
    await sleep(700);
    const th = s.stop()!;
    expect(Thermal.parse(th)).toEqual(th);
    const bits = th.series!.throttleBits!;
    expect(bits.length).toBe(th.series!.tMs.length);
    expect(bits.length).toBeLessThanOrEqual(LIMITS.maxTracePoints);
    expect(bits.length).toBeGreaterThan(100);
    expect(new Set(bits)).toEqual(new Set([0, 4]));
    expect(bits.at(-1)).toBe(0);
    expect(th.throttleWord).toBe(0x40000);
    expect(th.throttled).toBe(true);
  });

  it("a board that is not a Pi never runs vcgencmd, and a Pi without it records no throttle word", async () => {
    const script = `#!/bin/sh\necho "$1" >> "${"$"}(dirname "$0")/../calls.txt"\necho throttled=0x0\n`;
    const other = tree({
      "proc/device-tree/compatible": "rockchip,rk3588\0",
      "sys/class/thermal/thermal_zone0/temp": "50000\n",
      "bin/vcgencmd": script,
    });
    fs.chmodSync(path.join(other.bin, "vcgencmd"), 0o755);
    const pi = tree({ "proc/device-tree/compatible": "raspberrypi,4-model-b\0", "sys/class/thermal/thermal_zone0/temp": "50000\n" });
    const samplers = [
      new ThermalSampler({ sysRoot: other.root, toolPath: other.bin }, 20),
      new ThermalSampler({ sysRoot: pi.root, toolPath: pi.bin }, 20),
    ];
    for (const s of samplers) s.start();
    await sleep(100);
    for (const s of samplers) {
      const th = s.stop()!;
      expect(th.maxTempC).toBe(50);
      expect(th.throttleWord).toBeUndefined();
      expect(th.series!.throttleBits).toBeUndefined();
    }
    expect(fs.existsSync(path.join(other.root, "calls.txt"))).toBe(false);
  });
});
