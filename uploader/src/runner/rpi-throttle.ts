/**
 * The Raspberry Pi firmware's throttle word (under-voltage, ARM frequency
 * capped, throttled, soft temperature limit: bits 0-3 now, 16-19 since boot).
 * The Raspberry Pi kernel exposes it as the firmware device's `get_throttled`
 * attribute (hex, e.g. "50005"), a cheap file read on every sample. Without
 * it, `vcgencmd get_throttled` ("throttled=0x50005") is run instead, at most
 * once a second and never awaited by the sampler: spawning a process per
 * sample would cost more than the sampling itself. Only boards whose device
 * tree says Raspberry Pi try vcgencmd, so other machines never spawn it.
 */
import type { Config } from "../config.js";
import { listDir, readNulList, readText, type SysConfig } from "../detect/read.js";
import { resolveTool, runTool } from "../power/tools.js";

const SYSFS_PATHS = ["/sys/devices/platform/soc/soc:firmware/get_throttled"];
/** Every device the firmware driver bound (Pi 5 names its firmware node differently from Pi 4). */
const DRIVER_DIR = "/sys/bus/platform/drivers/raspberrypi-firmware";
const VCGENCMD_MIN_INTERVAL_MS = 1000;
const VCGENCMD_TIMEOUT_MS = 2000;

/** "50005", "0x50005" or "throttled=0x50005" -> 0x50005; undefined when it is not a throttle word. */
export function parseThrottleWord(text: string | undefined): number | undefined {
  const m = /^(?:throttled=)?(?:0x)?([0-9a-f]{1,8})$/i.exec(text?.trim() ?? "");
  if (!m) return undefined;
  const n = Number.parseInt(m[1]!, 16);
  return n <= 0xfffff ? n : undefined;
}

function findSysfsFile(config: SysConfig): string | undefined {
  const candidates = [...SYSFS_PATHS, ...listDir(config, DRIVER_DIR).map((d) => `${DRIVER_DIR}/${d}/get_throttled`)];
  return candidates.find((f) => parseThrottleWord(readText(config, f)) !== undefined);
}

function isRaspberryPi(config: SysConfig): boolean {
  const compatible = [...readNulList(config, "/proc/device-tree/compatible"), ...readNulList(config, "/sys/firmware/devicetree/base/compatible")];
  return compatible.some((c) => c.startsWith("raspberrypi,"));
}

export class ThrottleSource {
  private readonly file: string | undefined;
  private vcgencmd: string | undefined;
  private last: number | undefined;
  private lastSpawn = -Infinity;
  private inFlight = false;

  constructor(
    private readonly config: SysConfig & Pick<Config, "toolPath">,
    now = performance.now(),
  ) {
    this.file = findSysfsFile(config);
    if (!this.file && isRaspberryPi(config)) {
      this.vcgencmd = resolveTool(config, "vcgencmd");
      this.poll(now);
    }
  }

  get available(): boolean {
    return this.file !== undefined || this.vcgencmd !== undefined;
  }

  /** The word now (sysfs), or the latest vcgencmd answer (undefined until the first one arrives). */
  read(now = performance.now()): number | undefined {
    if (this.file) return parseThrottleWord(readText(this.config, this.file));
    this.poll(now);
    return this.last;
  }

  private poll(now: number): void {
    const tool = this.vcgencmd;
    if (!tool || this.inFlight || now - this.lastSpawn < VCGENCMD_MIN_INTERVAL_MS) return;
    this.inFlight = true;
    this.lastSpawn = now;
    runTool(tool, ["get_throttled"], VCGENCMD_TIMEOUT_MS)
      .then(({ stdout }) => {
        const word = parseThrottleWord(stdout);
        // An answer that is not a throttle word will not become one: stop asking.
        if (word === undefined) this.vcgencmd = undefined;
        else this.last = word;
      })
      .catch(() => {
        // No vcgencmd, or no access to the firmware (/dev/vcio): not measured.
        this.vcgencmd = undefined;
      })
      .finally(() => {
        this.inFlight = false;
      });
  }
}
