/**
 * The only module of the uploader that reads the environment. Everything else
 * receives a Config (or parts of it), so tests can run several identities,
 * fake sysfs trees and servers side by side in one process.
 */
import os from "node:os";
import path from "node:path";

/** Where results go when no --server and no config value says otherwise. */
export const DEFAULT_SERVER = "https://edgebench.dev";

export interface Config {
  /** Holds the key pair, config.json and the outbox (EDGEBENCH_HOME, else XDG config dir). */
  home: string;
  /** Registry base URL from EDGEBENCH_SERVER, if set (a --server flag wins over it). */
  serverFromEnv?: string;
  /**
   * Prefix for /sys, /proc, /etc and /dev reads (EDGEBENCH_SYSROOT), so detectors
   * and meters can be pointed at recorded fixture trees. Empty on a real board.
   */
  sysRoot: string;
  /** Plain progress lines instead of bars/spinners (CI, not a TTY, NO_COLOR). */
  plainProgress: boolean;
  /** Directory for downloaded models (EDGEBENCH_MODELS, else <home>/models). */
  modelsDir: string;
  /**
   * Search path for external tools the power meters run (vcgencmd, nvidia-smi),
   * from PATH; tests put fake executables first. Absent: the OS default lookup.
   */
  toolPath?: string;
  /**
   * Test hook (EDGEBENCH_TEST_PAUSE_AFTER_QUEUE_MS): pause after a result is
   * written to the outbox and before any network attempt, so fault tests can
   * SIGKILL the uploader at exactly that stage. Unset in normal use.
   */
  testPauseAfterQueueMs?: number;
  /**
   * Smart plug password from EDGEBENCH_METER_PASSWORD, used when no
   * --meter-password is given: a flag's value is visible to every user in ps.
   */
  meterPasswordFromEnv?: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, isTty = Boolean(process.stderr.isTTY)): Config {
  const xdg = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), ".config");
  const home = path.resolve(env.EDGEBENCH_HOME || path.join(xdg, "edgebench"));
  return {
    home,
    serverFromEnv: env.EDGEBENCH_SERVER || undefined,
    sysRoot: env.EDGEBENCH_SYSROOT ? path.resolve(env.EDGEBENCH_SYSROOT) : "",
    plainProgress: !isTty || Boolean(env.CI) || Boolean(env.NO_COLOR),
    modelsDir: path.resolve(env.EDGEBENCH_MODELS || path.join(home, "models")),
    toolPath: env.PATH || undefined,
    testPauseAfterQueueMs: Number(env.EDGEBENCH_TEST_PAUSE_AFTER_QUEUE_MS) || undefined,
    meterPasswordFromEnv: env.EDGEBENCH_METER_PASSWORD || undefined,
  };
}

/** A path on the board (or under the fixture root in tests). */
export function sysPath(config: Pick<Config, "sysRoot">, absolute: string): string {
  return config.sysRoot ? path.join(config.sysRoot, absolute) : absolute;
}
