/**
 * devfreq devices (Mali and Jetson GPUs, the RK3588 NPU): each one's current
 * frequency is sampled beside the CPU clocks, because an accelerator that is
 * thermally held back slows a test just as a CPU cluster does.
 */
import { listDir, readInt, readText, type SysConfig } from "../detect/read.js";

const DEVFREQ = "/sys/class/devfreq";
const MAX_DEVICES = 16;

export interface DevfreqDevice {
  name: string;
  curPath: string;
  maxHz?: number;
  governor?: string;
}

/** Devices whose cur_freq (Hz) reads, in name order, at most 16. */
export function findDevfreq(config: SysConfig): DevfreqDevice[] {
  return listDir(config, DEVFREQ)
    .map((name) => {
      const base = `${DEVFREQ}/${name}`;
      return { name, curPath: `${base}/cur_freq`, maxHz: readInt(config, `${base}/max_freq`), governor: readText(config, `${base}/governor`) };
    })
    .filter((d) => readInt(config, d.curPath) !== undefined)
    .slice(0, MAX_DEVICES);
}
