/**
 * NPUs and TPUs found by their device nodes and sysfs entries (power-meters.md
 * section 8). These are usually driven by vendor runtimes, not llama.cpp, so
 * they are recorded as present; GPUs come from node-llama-cpp (runtime.ts).
 */
import type { Accelerator } from "@edgebench/contract";
import { exists, linkName, listDir, parseEnvFile, readText, type SysConfig } from "./read.js";

/** Coral Edge TPU USB ids: before firmware load (Global Unichip) and after (Google). */
const CORAL_USB = new Set(["1a6e:089a", "18d1:9302"]);

function rk3588Npu(config: SysConfig): Accelerator[] {
  const dir = "/sys/class/devfreq/fdab0000.npu";
  if (!exists(config, dir)) return [];
  const maxHz = Number(readText(config, `${dir}/max_freq`));
  const note = Number.isFinite(maxHz) && maxHz > 0 ? ` (max ${Math.round(maxHz / 1e6)} MHz)` : "";
  return [{ kind: "npu", name: `Rockchip RK3588 NPU${note}`, driver: "rknpu", detectedBy: "sysfs devfreq fdab0000.npu" }];
}

function hailo(config: SysConfig): Accelerator[] {
  return listDir(config, "/dev")
    .filter((d) => /^hailo\d+$/.test(d))
    .map((d) => ({ kind: "npu" as const, name: "Hailo-8/8L", driver: "hailo_pci", detectedBy: `/dev/${d}` }));
}

function coral(config: SysConfig): Accelerator[] {
  const out: Accelerator[] = [];
  if (exists(config, "/dev/apex_0")) out.push({ kind: "tpu", name: "Google Coral Edge TPU (PCIe)", driver: "apex", detectedBy: "/dev/apex_0" });
  for (const dev of listDir(config, "/sys/bus/usb/devices")) {
    const vendor = readText(config, `/sys/bus/usb/devices/${dev}/idVendor`);
    const product = readText(config, `/sys/bus/usb/devices/${dev}/idProduct`);
    if (vendor && product && CORAL_USB.has(`${vendor}:${product}`.toLowerCase())) {
      out.push({ kind: "tpu", name: "Google Coral Edge TPU (USB)", detectedBy: `usb ${vendor}:${product}` });
    }
  }
  return out;
}

/** Intel NPU: an accel node whose driver is intel_vpu (other drivers also create accel nodes). */
function intelNpu(config: SysConfig): Accelerator[] {
  const out: Accelerator[] = [];
  for (const node of listDir(config, "/dev/accel").filter((d) => /^accel\d+$/.test(d))) {
    const dev = `/sys/class/accel/${node}/device`;
    const driver = linkName(config, `${dev}/driver`) ?? parseEnvFile(readText(config, `${dev}/uevent`) ?? "").DRIVER;
    if (driver === "intel_vpu") out.push({ kind: "npu", name: "Intel NPU", driver, detectedBy: `/dev/accel/${node}` });
  }
  return out;
}

export function detectAccelerators(config: SysConfig): Accelerator[] {
  return [...rk3588Npu(config), ...hailo(config), ...coral(config), ...intelNpu(config)];
}
