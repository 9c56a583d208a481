/** Jetson power state: nvpmodel's mode from recorded `nvpmodel -q` output, and jetson_clocks read off min = max. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Conditions } from "@edgebench/contract";
import { afterEach, describe, expect, it, vi } from "vitest";
import { detectSystem } from "../../../uploader/src/detect/index.js";
import { clocksLocked, detectJetsonPower, parseNvpmodel } from "../../../uploader/src/detect/jetson.js";
import { REPO_ROOT } from "../helpers/models.js";

let roots: string[] = [];
afterEach(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  roots = [];
});

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-jetson-"));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

/** An Orin Nano: two CPU policies and the GPU, at the given min/max (kHz for CPUs, Hz for the GPU). */
function orin(cpuMin: number, gpuMin: number, nvpmodel?: string): string {
  const root = tree({
    "etc/nv_tegra_release": "# R36 (release), REVISION: 4.3, GCID: 38968081, BOARD: generic, EABI: aarch64, DATE: Wed Jan  8 01:49:37 UTC 2025\n",
    "proc/device-tree/compatible": "nvidia,p3768-0000+p3767-0005-super\0nvidia,p3767-0005\0nvidia,tegra234\0",
    "sys/devices/system/cpu/cpufreq/policy0/scaling_min_freq": `${cpuMin}\n`,
    "sys/devices/system/cpu/cpufreq/policy0/scaling_max_freq": "1728000\n",
    "sys/devices/system/cpu/cpufreq/policy4/scaling_min_freq": `${cpuMin}\n`,
    "sys/devices/system/cpu/cpufreq/policy4/scaling_max_freq": "1728000\n",
    "sys/class/devfreq/17000000.gpu/min_freq": `${gpuMin}\n`,
    "sys/class/devfreq/17000000.gpu/max_freq": "1020000000\n",
    "sys/class/devfreq/17000000.gpu/cur_freq": `${gpuMin}\n`,
    ...(nvpmodel !== undefined ? { "bin/nvpmodel": `#!/bin/sh\n[ "$1" = -q ] || exit 1\nprintf '%s' '${nvpmodel}'\n` } : {}),
  });
  if (nvpmodel !== undefined) fs.chmodSync(path.join(root, "bin/nvpmodel"), 0o755);
  return root;
}

describe("parseNvpmodel", () => {
  it("reads the mode name and id, with or without the fan line", () => {
    expect(parseNvpmodel("NV Power Mode: MAXN\n0\n")).toEqual({ powerMode: "MAXN", powerModeId: 0 });
    expect(parseNvpmodel("NV Fan Mode:quiet\nNV Power Mode: 15W\n2\n")).toEqual({ powerMode: "15W", powerModeId: 2 });
    expect(parseNvpmodel("NVPM WARN: power mode is not set!\n")).toEqual({});
    expect(parseNvpmodel(undefined)).toEqual({});
  });
});

describe("detectJetsonPower", () => {
  it("jetson_clocks: every CPU policy and the GPU pinned at their maximum, with nvpmodel's mode", () => {
    const root = orin(1728000, 1020000000, "NV Fan Mode:quiet\nNV Power Mode: MAXN_SUPER\n2\n");
    const j = detectJetsonPower({ sysRoot: root, toolPath: path.join(root, "bin") });
    expect(j).toEqual({ powerMode: "MAXN_SUPER", powerModeId: 2, clocksLocked: true });
    expect(Conditions.parse({ jetson: j })).toEqual({ jetson: j });
  });

  it("clocks left to the governor: not locked, whether the CPUs or only the GPU float", () => {
    expect(clocksLocked({ sysRoot: orin(729600, 1020000000) })).toBe(false);
    expect(clocksLocked({ sysRoot: orin(1728000, 306000000) })).toBe(false);
  });

  it("without nvpmodel the mode is absent, not guessed", () => {
    const root = orin(729600, 306000000);
    fs.mkdirSync(path.join(root, "bin"));
    const run = vi.fn(() => undefined);
    expect(detectJetsonPower({ sysRoot: root, toolPath: path.join(root, "bin") }, run)).toEqual({ clocksLocked: false });
    expect(run).toHaveBeenCalledWith("nvpmodel", ["-q"], expect.any(Number));
  });

  it("off a Jetson nothing is run and nothing recorded", () => {
    const run = vi.fn(() => "NV Power Mode: MAXN\n0\n");
    expect(detectJetsonPower({ sysRoot: path.join(REPO_ROOT, "test/fixtures/sysfs/pi5") }, run)).toBeUndefined();
    expect(run).not.toHaveBeenCalled();
  });

  it("lands in the document's conditions", () => {
    const root = orin(1728000, 1020000000, "NV Power Mode: 15W\n0\n");
    const { system } = detectSystem({ sysRoot: root, toolPath: path.join(root, "bin") });
    expect(system.conditions).toEqual({ jetson: { powerMode: "15W", powerModeId: 0, clocksLocked: true } });
  });
});
