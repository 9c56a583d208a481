/**
 * Generic hwmon power and energy sensors (power-meters.md section 4; kernel
 * Documentation/hwmon/sysfs-interface): energy*_input in uJ (cumulative, preferred),
 * else power*_input / power*_average in uW. One meter per hwmon device, its
 * channels summed; a POWER-Z (powerz driver, no power file) as VBUS * IBUS. The INA3221 on Jetson has its own meter (jetson.ts).
 */
import { sysPath } from "../../config.js";
import { Unwrapper } from "../counter.js";
import { PowerError } from "../errors.js";
import { Attr, join, listDir, readTextOr } from "../sysfs.js";
import type { MeterCandidate, MeterContext, PolledSource, PowerScope } from "../types.js";

const HWMON = "/sys/class/hwmon";

/**
 * Scope by driver name. Shunt monitors (INA2xx) and POWER-Z are wired into
 * the board's supply lead by the people who fit them; GPU drivers report the
 * card. Other drivers are not auto-picked: their placement is unknown, so
 * they are used only when named (hwmon:NAME), with --scope if given.
 */
function scopeFor(name: string): PowerScope | undefined {
  if (/^ina(2\d\d|3\d\d)/.test(name) || name === "ina2xx" || name === "powerz") return "board-input";
  if (name === "acpi_power_meter") return "wall";
  if (name === "amdgpu" || name === "nouveau" || name === "xe" || name === "i915") return "accelerator";
  return undefined;
}

interface HwmonDevice {
  dir: string;
  id: string;
  name: string;
  method: "counter" | "sampled";
  files: string[];
  rails: string[];
  /** files are [mV, mA] to multiply rather than power values. */
  vi?: boolean;
}

async function busPair(dir: string, entries: string[]): Promise<string[] | undefined> {
  let v: string | undefined;
  let i: string | undefined;
  for (const e of entries) {
    const m = /^(in|curr)(\d+)_label$/.exec(e);
    if (!m) continue;
    const label = await readTextOr(join(dir, e));
    if (m[1] === "in" && label === "VBUS") v = join(dir, `in${m[2]}_input`);
    if (m[1] === "curr" && label === "IBUS") i = join(dir, `curr${m[2]}_input`);
  }
  return v && i ? [v, i] : undefined;
}

async function scan(ctx: MeterContext): Promise<HwmonDevice[]> {
  const root = sysPath(ctx.config, HWMON);
  const out: HwmonDevice[] = [];
  for (const id of await listDir(root)) {
    const dir = join(root, id);
    const name = (await readTextOr(join(dir, "name"))) ?? id;
    if (name === "ina3221") continue;
    const entries = await listDir(dir);
    const pick = (re: RegExp) => entries.filter((e) => re.test(e));
    let files = pick(/^energy\d+_input$/);
    let method: HwmonDevice["method"] = "counter";
    if (!files.length) {
      method = "sampled";
      files = pick(/^power\d+_input$/);
      // power*_average where a channel has no instantaneous input.
      for (const avg of pick(/^power\d+_average$/)) {
        if (!files.includes(avg.replace("_average", "_input"))) files.push(avg);
      }
    }
    if (!files.length) {
      // POWER-Z (powerz driver) has no power file: VBUS (in*_label) times IBUS (curr*_label).
      const vi = await busPair(dir, entries);
      if (vi) out.push({ dir, id, name, method: "sampled", files: vi, rails: ["VBUS*IBUS"], vi: true });
      continue;
    }
    const rails: string[] = [];
    for (const f of files) {
      const label = await readTextOr(join(dir, f.replace(/_(input|average)$/, "_label")));
      rails.push(label ?? f.replace(/_(input|average)$/, ""));
    }
    out.push({ dir, id, name, method, files: files.map((f) => join(dir, f)), rails });
  }
  return out;
}

function candidate(dev: HwmonDevice, scope: PowerScope, spec: string): MeterCandidate {
  const info = {
    spec,
    kind: "hwmon",
    scope,
    method: dev.method,
    label: `${dev.name} (${HWMON}/${dev.id})`,
    rails: dev.rails,
  };
  return { ...info, available: true, open: async () => openHwmon(dev, info) };
}

export async function detectHwmon(ctx: MeterContext): Promise<MeterCandidate[]> {
  const out: MeterCandidate[] = [];
  for (const dev of await scan(ctx)) {
    const scope = scopeFor(dev.name);
    if (!scope) continue;
    out.push(candidate(dev, scope, `hwmon:${dev.name}`));
  }
  return out;
}

/** hwmon:NAME, NAME being the driver name (name file) or the hwmonN directory. */
export async function hwmonFromSpec(ctx: MeterContext, arg: string): Promise<MeterCandidate> {
  const devs = await scan(ctx);
  const dev = devs.find((d) => d.name === arg) ?? devs.find((d) => d.id === arg);
  if (!dev) {
    const found = devs.map((d) => `${d.name} (${d.id})`).join(", ");
    throw new PowerError(`hwmon:${arg}: no hwmon device with power or energy readings by that name${found ? `; found: ${found}` : ""}`);
  }
  return candidate(dev, ctx.scope ?? scopeFor(dev.name) ?? "board-input", `hwmon:${arg}`);
}

function openHwmon(dev: HwmonDevice, info: Omit<PolledSource, "mode" | "read">): PolledSource {
  const attrs = dev.files.map((f) => new Attr(f));
  const readAll = async () => (attrs.length === 1 ? [await attrs[0]!.read()] : Promise.all(attrs.map((a) => a.read())));
  const close = async () => {
    for (const a of attrs) a.close();
  };
  if (dev.method === "counter") {
    // energy*_input has no documented wrap range: a decrease is a reset and is refused.
    const unwrap = dev.files.map((f) => new Unwrapper(undefined, f));
    const joules = (raws: number[]) => raws.reduce((s, r, i) => s + unwrap[i]!.next(r), 0) / 1e6;
    return { ...info, mode: "poll", read: async () => joules(await readAll()), readSync: () => joules(attrs.map((a) => a.readSync())), close };
  }
  // uW summed over channels, or mV * mA for a VBUS/IBUS pair.
  const watts = dev.vi ? (raws: number[]) => Math.abs(raws[0]! * raws[1]!) / 1e6 : (raws: number[]) => raws.reduce((s, r) => s + r, 0) / 1e6;
  return { ...info, mode: "poll", read: async () => watts(await readAll()), readSync: () => watts(attrs.map((a) => a.readSync())), close };
}
