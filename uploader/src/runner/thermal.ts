/**
 * Thermal and DVFS capture during a test, sampled in the parent (the child is
 * busy evaluating): thermal zone temperatures (millidegrees C) and per-CPU
 * cpufreq (kHz). Throttling is reported when the fastest CPU cluster never
 * reached 90 % of its maximum frequency during the test (the benchmark keeps
 * the cores busy, so a cluster stuck below its maximum is being held back by
 * heat or power limits), or when a zone reached a passive/critical trip point.
 * Boards without these files simply get no thermal block ("not measured").
 */
import type { Thermal } from "@edgebench/contract";
import { listDir, readInt, readText, type SysConfig } from "../detect/read.js";

interface Zone {
  type: string;
  tempPath: string;
  tripC?: number;
}

interface Cpu {
  id: string;
  curPath: string;
  maxKHz?: number;
}

export class ThermalSampler {
  private zones: Zone[];
  private cpus: Cpu[];
  private timer: NodeJS.Timeout | undefined;
  private temps: number[] = [];
  private startTemp: number | undefined;
  private freqs = new Map<string, number[]>();

  constructor(
    private readonly config: SysConfig,
    private readonly periodMs = 250,
  ) {
    this.zones = listDir(config, "/sys/class/thermal")
      .filter((d) => /^thermal_zone\d+$/.test(d))
      .map((d) => {
        const base = `/sys/class/thermal/${d}`;
        let tripC: number | undefined;
        for (let i = 0; i < 16; i++) {
          const type = readText(config, `${base}/trip_point_${i}_type`);
          if (!type) break;
          const t = readInt(config, `${base}/trip_point_${i}_temp`);
          if ((type === "passive" || type === "critical") && t !== undefined && t > 0) tripC = Math.min(tripC ?? Infinity, t / 1000);
        }
        return { type: readText(config, `${base}/type`) ?? d, tempPath: `${base}/temp`, tripC };
      })
      .filter((z) => readInt(config, z.tempPath) !== undefined);
    this.cpus = listDir(config, "/sys/devices/system/cpu")
      .filter((d) => /^cpu\d+$/.test(d))
      .map((d) => ({
        id: d,
        curPath: `/sys/devices/system/cpu/${d}/cpufreq/scaling_cur_freq`,
        maxKHz: readInt(config, `/sys/devices/system/cpu/${d}/cpufreq/cpuinfo_max_freq`),
      }))
      .filter((c) => readInt(config, c.curPath) !== undefined);
  }

  /** Whether this machine exposes anything to sample. */
  get available(): boolean {
    return this.zones.length > 0 || this.cpus.length > 0;
  }

  private sample(): void {
    let max: number | undefined;
    for (const z of this.zones) {
      const t = readInt(this.config, z.tempPath);
      if (t !== undefined) max = Math.max(max ?? -Infinity, t / 1000);
    }
    if (max !== undefined) {
      this.startTemp ??= max;
      this.temps.push(max);
    }
    for (const c of this.cpus) {
      const f = readInt(this.config, c.curPath);
      if (f === undefined) continue;
      const list = this.freqs.get(c.id) ?? [];
      list.push(f);
      this.freqs.set(c.id, list);
    }
  }

  start(): void {
    this.temps = [];
    this.startTemp = undefined;
    this.freqs.clear();
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
    if (throttled !== undefined) out.throttled = throttled;
    return Object.keys(out).length ? out : undefined;
  }
}
