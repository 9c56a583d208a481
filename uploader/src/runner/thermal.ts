/**
 * Thermal and DVFS capture during a test, sampled in the parent (the child is
 * busy evaluating): thermal zone temperatures (millidegrees C) and per-CPU
 * cpufreq (kHz). Throttling is reported when the fastest CPU cluster never
 * reached 90 % of its maximum frequency during the test (the benchmark keeps
 * the cores busy, so a cluster stuck below its maximum is being held back by
 * heat or power limits), when a zone reached a passive/critical trip point,
 * or when the Raspberry Pi firmware says it capped or throttled the clocks or
 * hit its soft temperature limit during the test.
 * Boards without these files simply get no thermal block ("not measured").
 *
 * Beside the extremes, a bounded time series on the test's own clock: the
 * hottest zone and, per CPU cluster (the CPUs of one maximum frequency: a
 * big.LITTLE board's clusters apart), its fastest core's current frequency,
 * with the cluster's cpufreq governor. A sustained test's slowdown can then
 * be read against its clocks and temperature. Alongside: every zone on its
 * own, the devfreq devices (GPU, NPU), the Raspberry Pi firmware's throttle
 * bits and the battery of a battery-powered device, each only where the
 * board has it.
 */
import { LIMITS, THROTTLE_NOW_MASK, type Thermal } from "@edgebench/contract";
import type { Config } from "../config.js";
import { listDir, readInt, readText, type SysConfig } from "../detect/read.js";
import { findThermalZones, readZoneC, type ThermalZone } from "../detect/thermal-zones.js";
import { downsample } from "../power/energy.js";
import { BatteryProbe, type BatteryReading } from "./battery-series.js";
import { type DevfreqDevice, findDevfreq } from "./devfreq.js";
import { ThrottleSource } from "./rpi-throttle.js";

/** A series bounded like the power trace (equal-count buckets averaged), rounded to `digits` decimals. */
export function bounded(tMs: number[], xs: number[], digits: number): number[] {
  const f = 10 ** digits;
  return downsample(tMs, xs, LIMITS.maxTracePoints).w.map((x) => Math.round(x * f) / f);
}

/** Bit flags bounded like downsample's buckets, OR-ed: a point shows every flag raised in the samples it stands for. */
export function boundedOr(xs: number[]): number[] {
  const n = xs.length;
  const max = LIMITS.maxTracePoints;
  if (n <= max) return xs;
  const out: number[] = [];
  for (let k = 0; k < max; k++) {
    let v = 0;
    for (let i = Math.floor((k * n) / max); i < Math.floor(((k + 1) * n) / max); i++) v |= xs[i]!;
    out.push(v);
  }
  return out;
}

/** Sticky "has occurred" bits 17-19 (frequency capped, throttled, soft temperature limit). */
const THROTTLE_STICKY_MASK = THROTTLE_NOW_MASK << 16;
/** Zones and devices kept in the series. */
const MAX_SERIES = 16;

interface Cpu {
  id: string;
  curPath: string;
  maxKHz?: number;
}

export class ThermalSampler {
  private zones: ThermalZone[];
  private cpus: Cpu[];
  private timer: NodeJS.Timeout | undefined;
  private temps: number[] = [];
  private startTemp: number | undefined;
  private freqs = new Map<string, number[]>();
  private t0 = 0;
  /** Per sample: ms since start, hottest zone (NaN: none read), each cluster's fastest core (kHz, NaN: none read). */
  private tMs: number[] = [];
  private hottest: number[] = [];
  private clusterKHz: number[][] = [];
  /** CPUs grouped by maximum frequency, slowest cluster first, with the governor in effect. */
  private clusters: { cpus: Cpu[]; maxKHz: number; governor?: string }[];
  private devfreq: DevfreqDevice[];
  private throttle: ThrottleSource;
  private battery: BatteryProbe | undefined;
  /** Per sample: each zone (°C), each devfreq device (Hz), the throttle word, the battery (NaN / undefined: not read). */
  private zoneC: number[][] = [];
  private devfreqHz: number[][] = [];
  private words: (number | undefined)[] = [];
  private batteryRows: BatteryReading[] = [];

  constructor(
    private readonly config: SysConfig & Pick<Config, "toolPath">,
    private readonly periodMs = 250,
  ) {
    this.zones = findThermalZones(config);
    this.cpus = listDir(config, "/sys/devices/system/cpu")
      .filter((d) => /^cpu\d+$/.test(d))
      .map((d) => ({
        id: d,
        curPath: `/sys/devices/system/cpu/${d}/cpufreq/scaling_cur_freq`,
        maxKHz: readInt(config, `/sys/devices/system/cpu/${d}/cpufreq/cpuinfo_max_freq`),
      }))
      .filter((c) => readInt(config, c.curPath) !== undefined);
    const byMax = new Map<number, Cpu[]>();
    for (const c of this.cpus) byMax.set(c.maxKHz ?? 0, [...(byMax.get(c.maxKHz ?? 0) ?? []), c]);
    this.clusters = [...byMax.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([maxKHz, cpus]) => ({
        cpus,
        maxKHz,
        governor: readText(config, `/sys/devices/system/cpu/${cpus[0]!.id}/cpufreq/scaling_governor`),
      }));
    this.devfreq = findDevfreq(config);
    this.throttle = new ThrottleSource(config);
    this.battery = BatteryProbe.find(config);
  }

  /** Whether this machine exposes anything to sample. */
  get available(): boolean {
    return this.zones.length > 0 || this.cpus.length > 0 || this.devfreq.length > 0 || this.throttle.available || this.battery !== undefined;
  }

  private sample(): void {
    let max: number | undefined;
    const zoneRow: number[] = [];
    for (const z of this.zones) {
      const c = readZoneC(this.config, z);
      zoneRow.push(c ?? Number.NaN);
      if (c !== undefined) max = Math.max(max ?? -Infinity, c);
    }
    this.zoneC.push(zoneRow);
    this.devfreqHz.push(this.devfreq.map((d) => readInt(this.config, d.curPath) ?? Number.NaN));
    this.words.push(this.throttle.read());
    if (this.battery) this.batteryRows.push(this.battery.read());
    if (max !== undefined) {
      this.startTemp ??= max;
      this.temps.push(max);
    }
    const now = new Map<string, number>();
    for (const c of this.cpus) {
      const f = readInt(this.config, c.curPath);
      if (f === undefined) continue;
      now.set(c.id, f);
      const list = this.freqs.get(c.id) ?? [];
      list.push(f);
      this.freqs.set(c.id, list);
    }
    this.tMs.push(performance.now() - this.t0);
    this.hottest.push(max ?? Number.NaN);
    this.clusterKHz.push(
      this.clusters.map((cl) => {
        const read = cl.cpus.flatMap((c) => now.get(c.id) ?? []);
        return read.length ? Math.max(...read) : Number.NaN;
      }),
    );
  }

  start(): void {
    this.temps = [];
    this.startTemp = undefined;
    this.freqs.clear();
    this.tMs = [];
    this.hottest = [];
    this.clusterKHz = [];
    this.zoneC = [];
    this.devfreqHz = [];
    this.words = [];
    this.batteryRows = [];
    this.t0 = performance.now();
    if (!this.available) return;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.periodMs);
    this.timer.unref();
  }

  stop(): Thermal | undefined {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.available) return undefined;
    this.sample();
    const out: Thermal = {};
    if (this.temps.length) {
      out.maxTempC = Math.round(Math.max(...this.temps) * 10) / 10;
      out.startTempC = this.startTemp;
      out.zones = this.zones.map((z) => z.type.slice(0, 128)).slice(0, 64);
    }
    const all = [...this.freqs.values()].flat();
    if (all.length) {
      out.minCpuFreqMHz = Math.min(...all) / 1000;
      out.maxCpuFreqMHz = Math.max(...all) / 1000;
    }
    let throttled: boolean | undefined;
    const clusterMax = Math.max(0, ...this.cpus.map((c) => c.maxKHz ?? 0));
    if (clusterMax > 0 && this.freqs.size) {
      const fastest = this.cpus.filter((c) => c.maxKHz === clusterMax);
      const reached = Math.max(0, ...fastest.flatMap((c) => this.freqs.get(c.id) ?? []));
      throttled = reached < 0.9 * clusterMax;
    }
    const trip = Math.min(...this.zones.map((z) => z.tripC ?? Infinity));
    if (out.maxTempC !== undefined && Number.isFinite(trip) && out.maxTempC >= trip) throttled = true;
    const words = this.throttleWords();
    if (words.length) {
      const first = words[0]!;
      const last = words.at(-1)!;
      out.throttleWord = last;
      // Sticky bits already set when the test began may date from any time since boot: only new ones count.
      const newSticky = last & THROTTLE_STICKY_MASK & ~first;
      if (words.some((w) => (w & THROTTLE_NOW_MASK) !== 0) || newSticky !== 0) throttled = true;
      else throttled ??= false;
    }
    if (throttled !== undefined) out.throttled = throttled;
    const series = this.series(words);
    if (series) out.series = series;
    return Object.keys(out).length ? out : undefined;
  }

  /** The samples of this test, bounded to LIMITS.maxTracePoints (samples missing a reading are left out of that series). */
  private series(words: number[]): Thermal["series"] {
    const keep = (xs: number[]) => xs.every((x) => Number.isFinite(x));
    if (this.tMs.length < 2) return undefined;
    const out: NonNullable<Thermal["series"]> = { tMs: downsample(this.tMs, this.tMs, LIMITS.maxTracePoints).t.map(Math.round) };
    if (this.zones.length && keep(this.hottest)) out.maxTempC = bounded(this.tMs, this.hottest, 1);
    const clusters = this.clusters.flatMap((cl, k) => {
      const khz = this.clusterKHz.map((row) => row[k]!);
      if (!keep(khz)) return [];
      return [
        {
          cpus: cl.cpus.map((c) => Number(c.id.slice(3))),
          ...(cl.maxKHz ? { maxMHz: cl.maxKHz / 1000 } : {}),
          ...(cl.governor ? { governor: cl.governor.slice(0, 64) } : {}),
          mhz: bounded(
            this.tMs,
            khz.map((f) => f / 1000),
            0,
          ),
        },
      ];
    });
    if (clusters.length) out.clusters = clusters.slice(0, 16);
    const zones = this.zones.flatMap((z, k) => {
      const c = this.zoneC.map((row) => row[k]!);
      return keep(c) ? [{ type: z.type.slice(0, 128), c: bounded(this.tMs, c, 1) }] : [];
    });
    if (zones.length) out.zones = zones.slice(0, MAX_SERIES);
    const devfreq = this.devfreq.flatMap((d, k) => {
      const hz = this.devfreqHz.map((row) => row[k]!);
      if (!keep(hz)) return [];
      return [
        {
          name: d.name.slice(0, 128),
          ...(d.maxHz ? { maxMHz: Math.round(d.maxHz / 1e3) / 1e3 } : {}),
          ...(d.governor ? { governor: d.governor.slice(0, 64) } : {}),
          mhz: bounded(
            this.tMs,
            hz.map((f) => f / 1e6),
            1,
          ),
        },
      ];
    });
    if (devfreq.length) out.devfreq = devfreq.slice(0, MAX_SERIES);
    if (words.length === this.tMs.length) out.throttleBits = boundedOr(words.map((w) => w & 0xf));
    const battery = this.batterySeries();
    if (battery) out.battery = battery;
    return out;
  }

  /**
   * The throttle word of every sample, or none when it was never read. vcgencmd
   * answers after the first samples and then once a second: the first answer
   * stands for the samples before it, and each answer for those until the next.
   */
  private throttleWords(): number[] {
    const first = this.words.find((w) => w !== undefined);
    if (first === undefined) return [];
    let last = first;
    return this.words.map((w) => {
      last = w ?? last;
      return last;
    });
  }

  private batterySeries(): NonNullable<Thermal["series"]>["battery"] {
    if (!this.battery || this.batteryRows.length !== this.tMs.length) return undefined;
    const field = (k: keyof BatteryReading, digits: number) => {
      const xs = this.batteryRows.map((r) => r[k] ?? Number.NaN);
      return xs.every((x) => Number.isFinite(x)) ? bounded(this.tMs, xs, digits) : undefined;
    };
    const capacityPct = field("capacityPct", 1);
    const energyUWh = field("energyUWh", 0);
    const chargeUAh = energyUWh ? undefined : field("chargeUAh", 0);
    const voltageUV = chargeUAh ? field("voltageUV", 0) : undefined;
    if (!capacityPct && !energyUWh && !chargeUAh) return undefined;
    const status = this.battery.status();
    return {
      name: this.battery.name.slice(0, 128),
      ...(status ? { status: status.slice(0, 64) } : {}),
      // The kernel reports capacity in whole percent: a 1 % step hides smaller drains.
      ...(capacityPct ? { capacityPct, capacityStepPct: 1 } : {}),
      ...(energyUWh ? { energyUWh } : {}),
      ...(chargeUAh ? { chargeUAh } : {}),
      ...(voltageUV ? { voltageUV } : {}),
    };
  }
}
