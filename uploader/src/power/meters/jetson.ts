/**
 * NVIDIA Jetson on-module INA3221 (power-meters.md section 2).
 * JetPack 5/6: /sys/bus/i2c/drivers/ina3221/<bus-addr>/hwmon/hwmonN/ with
 *   in[1-3]_label, in[1-3]_input (mV), curr[1-3]_input (mA); found by the
 *   driver name because N changes between boots. in7 (sum of shunt voltages)
 *   and rails labelled NC are skipped.
 * JetPack 4: /sys/bus/i2c/drivers/ina3221x/<bus-addr>/iio:deviceN/ with
 *   rail_name_K and in_power{K}_input (mW).
 * Total as jtop computes it: VDD_IN (Orin Nano/NX) or POM_5V_IN (JetPack 4
 * modules), the module input; else (AGX Orin) the sum of the rails, which
 * misses what is not on a monitored rail: scope soc-rails.
 */
import { sysPath } from "../../config.js";
import { Attr, join, listDir, readTextOr } from "../sysfs.js";
import type { MeterCandidate, MeterContext, PolledSource, PowerScope } from "../types.js";

interface Rail {
  name: string;
  /** mW = read(files) */
  files: string[];
  kind: "mv-ma" | "mw";
}

const TOTAL_RAILS = ["VDD_IN", "POM_5V_IN"];

async function scanJetPack5(root: string): Promise<Rail[]> {
  const drv = join(root, "/sys/bus/i2c/drivers/ina3221");
  const rails: Rail[] = [];
  for (const dev of await listDir(drv)) {
    for (const hw of await listDir(join(drv, dev, "hwmon"))) {
      const dir = join(drv, dev, "hwmon", hw);
      for (const k of [1, 2, 3]) {
        const label = await readTextOr(join(dir, `in${k}_label`));
        if (!label || /\bNC\b|^NC/.test(label) || /sum of shunt/i.test(label)) continue;
        const mv = join(dir, `in${k}_input`);
        const ma = join(dir, `curr${k}_input`);
        if ((await readTextOr(mv)) === undefined || (await readTextOr(ma)) === undefined) continue;
        rails.push({ name: label, files: [mv, ma], kind: "mv-ma" });
      }
    }
  }
  return rails;
}

async function scanJetPack4(root: string): Promise<Rail[]> {
  const drv = join(root, "/sys/bus/i2c/drivers/ina3221x");
  const rails: Rail[] = [];
  for (const dev of await listDir(drv)) {
    for (const iio of (await listDir(join(drv, dev))).filter((e) => e.startsWith("iio:device"))) {
      const dir = join(drv, dev, iio);
      for (const k of [0, 1, 2]) {
        const name = await readTextOr(join(dir, `rail_name_${k}`));
        if (!name || /\bNC\b|^NC/.test(name)) continue;
        const file = join(dir, `in_power${k}_input`);
        if ((await readTextOr(file)) === undefined) continue;
        rails.push({ name, files: [file], kind: "mw" });
      }
    }
  }
  return rails;
}

export async function detectJetson(ctx: MeterContext): Promise<MeterCandidate[]> {
  const root = sysPath(ctx.config, "/");
  const jp5 = await scanJetPack5(root);
  const rails = jp5.length ? jp5 : await scanJetPack4(root);
  if (!rails.length) return [];
  const total = rails.find((r) => TOTAL_RAILS.includes(r.name));
  const used = total ? [total] : rails;
  const scope: PowerScope = ctx.scope ?? (total ? "module-input" : "soc-rails");
  const info = {
    spec: "jetson",
    kind: "jetson-ina3221",
    scope,
    method: "sampled" as const,
    label: `INA3221 ${jp5.length ? "hwmon (JetPack 5/6)" : "iio (JetPack 4)"}: ${total ? `total = ${total.name}` : "total = sum of rails"}`,
    rails: rails.map((r) => r.name),
  };
  return [{ ...info, available: true, open: async () => openJetson(used, info) }];
}

function railMilliwatts(rail: Rail, values: number[]): number {
  // mV * mA / 1000 = mW; JetPack 4 reports mW directly.
  return rail.kind === "mv-ma" ? (values[0]! * values[1]!) / 1000 : values[0]!;
}

function openJetson(rails: Rail[], info: Omit<PolledSource, "mode" | "read">): PolledSource {
  const files = rails.flatMap((r) => r.files);
  const watts = (values: number[]) => {
    let mw = 0;
    let i = 0;
    for (const r of rails) {
      mw += railMilliwatts(r, values.slice(i, i + r.files.length));
      i += r.files.length;
    }
    return mw / 1000;
  };
  const attrs = files.map((f) => new Attr(f));
  return {
    ...info,
    mode: "poll",
    read: async () => watts(await Promise.all(attrs.map((a) => a.read()))),
    readSync: () => watts(attrs.map((a) => a.readSync())),
    close: async () => {
      for (const a of attrs) a.close();
    },
  };
}
