/**
 * Thermal and DVFS capture during a test, sampled in the parent (the child is
 * busy evaluating): thermal zone temperatures (millidegrees C) and per-CPU
 * cpufreq (kHz). Throttling is reported when the fastest CPU cluster never
 * reached 90 % of its maximum frequency during the test (the benchmark keeps
 * the cores busy, so a cluster stuck below its maximum is being held back by
 * heat or power limits), or when a zone reached a passive/critical trip point.
 * Boards without these files simply get no thermal block ("not measured").
 *
 * Beside the extremes, a bounded time series on the test's own clock: the
 * hottest zone and, per CPU cluster (the CPUs of one maximum frequency: a
 * big.LITTLE board's clusters apart), its fastest core's current frequency,
 * with the cluster's cpufreq governor. A sustained test's slowdown can then
 * be read against its clocks and temperature.
 */
import { LIMITS, type Thermal } from "@edgebench/contract";
import { listDir, readInt, readText, type SysConfig } from "../detect/read.js";
import { downsample } from "../power/energy.js";

/** A series bounded like the power trace (equal-count buckets averaged), rounded to `digits` decimals. */
function bounded(tMs: number[], xs: number[], digits: number): number[] {
  const f = 10 ** digits;
  return downsample(tMs, xs, LIMITS.maxTracePoints).w.map((x) => Math.round(x * f) / f);
}

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
  private t0 = 0;
  /** Per sample: ms since start, hottest zone (NaN: none read), each cluster's fastest core (kHz, NaN: none read). */
  private tMs: number[] = [];
  private hottest: number[] = [];
  private clusterKHz: number[][] = [];
  /** CPUs grouped by maximum frequency, slowest cluster first, with the governor in effect. */
  private clusters: { cpus: Cpu[]; maxKHz: number; governor?: string }[];

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
    const byMax = new Map<number, Cpu[]>();
    for (const c of this.cpus) byMax.set(c.maxKHz ?? 0, [...(byMax.get(c.maxKHz ?? 0) ?? []), c]);
    this.clusters = [...byMax.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([maxKHz, cpus]) => ({
        cpus,
        maxKHz,
        governor: readText(config, `/sys/devices/system/cpu/${cpus[0]!.id}/cpufreq/scaling_governor`),
      }));
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
    if (throttled !== undefined) out.throttled = throttled;
    const series = this.series();
    if (series) out.series = series;
    return Object.keys(out).length ? out : undefined;
  }

  /** The samples of this test, bounded to LIMITS.maxTracePoints (samples missing a reading are left out of that series). */
  private series(): Thermal["series"] {
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
    return out;
  }
}
