/** Raspberry Pi 5 PMIC through a fake `vcgencmd pmic_read_adc` printing the real output shape. */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { detectMeters, openPowerSession } from "../../../uploader/src/power/index.js";
import { listMeters } from "../../../uploader/src/power/live.js";
import { parsePmic } from "../../../uploader/src/power/meters/rpi5-pmic.js";
import { FIXTURE_BIN, makeTree, now, rmTree, sleep, testConfig } from "./helpers.js";

let roots: string[] = [];
afterEach(() => {
  roots.forEach(rmTree);
  roots = [];
  delete process.env.FAKE_VCGENCMD_FAIL;
});

const output = () => execFileSync(path.join(FIXTURE_BIN, "vcgencmd"), ["pmic_read_adc"], { encoding: "utf8" });

// Hand sum of V * I over the 12 rails that have both (EXT5V_V and BATT_V have no current):
const RAILS: Array<[string, number, number]> = [
  ["3V7_WL_SW", 0.00390372, 3.710351],
  ["3V3_SYS", 0.05172399, 3.311427],
  ["1V8_SYS", 0.1629953, 1.8],
  ["DDR_VDD2", 0.02732688, 1.111068],
  ["DDR_VDDQ", 0, 0.6053796],
  ["1V1_SYS", 0.1883727, 1.105672],
  ["0V8_SYS", 0.3307909, 0.8021978],
  ["VDD_CORE", 0.8126299, 0.8606585],
  ["3V3_DAC", 0.0001221, 3.303603],
  ["3V3_ADC", 0.0004273, 3.30708],
  ["0V8_AON", 0.0025038, 0.7993727],
  ["HDMI", 0.0214701, 5.147554],
];
const EXPECTED_W = RAILS.reduce((s, [, a, v]) => s + a * v, 0);

describe("Raspberry Pi 5 PMIC", () => {
  it("parses pmic_read_adc: 12 rails, V*I summed, voltage-only channels ignored", () => {
    const r = parsePmic(output());
    expect(r.rails).toEqual(RAILS.map((x) => x[0]));
    expect(r.rails).not.toContain("EXT5V");
    expect(r.watts).toBeCloseTo(EXPECTED_W, 9);
    expect(EXPECTED_W).toBeCloseTo(1.7969, 4);
  });

  it("is detected through vcgencmd as a soc-rails meter and sampled in a session", async () => {
    const root = makeTree({});
    roots.push(root);
    const found = await detectMeters(testConfig(root, [FIXTURE_BIN]));
    const pmic = found.find((m) => m.spec === "rpi5-pmic");
    expect(pmic).toMatchObject({ kind: "rpi5-pmic", scope: "soc-rails", method: "sampled", available: true });
    const live = (await listMeters(testConfig(root, [FIXTURE_BIN]))).find((m) => m.spec === "rpi5-pmic");
    expect(live!.watts).toBeCloseTo(EXPECTED_W, 3);

    const power = await openPowerSession({ meterSpecs: ["rpi5-pmic"], config: testConfig(root, [FIXTURE_BIN]) });
    try {
      await sleep(150);
      const startNs = now();
      await sleep(1500);
      const endNs = now();
      await power.settle();
      const [e] = power.testEnergy([{ startNs, endNs }]);
      expect(e!.status).toBe("measured");
      expect(e!.joulesPerRep![0]).toBeCloseTo(EXPECTED_W * (Number(endNs - startNs) / 1e9), 3);
      // Each read spawns a process: the rate may fall short of 10 Hz but never piles up.
      expect(e!.achievedRateHz).toBeLessThanOrEqual(10.5);
      expect(e!.samples).toBeGreaterThanOrEqual(4);
    } finally {
      await power.close();
    }
  });

  it("a vcgencmd without access to /dev/vcio is listed with the reason", async () => {
    const root = makeTree({});
    roots.push(root);
    process.env.FAKE_VCGENCMD_FAIL = "1";
    const found = await detectMeters(testConfig(root, [FIXTURE_BIN]));
    expect(found.find((m) => m.spec === "rpi5-pmic")).toMatchObject({
      available: false,
      reason: expect.stringMatching(/VCHI initialization failed.*video group/),
    });
  });

  it("no vcgencmd: no Pi 5 meter", async () => {
    const root = makeTree({});
    roots.push(root);
    expect(await detectMeters(testConfig(root, []))).toEqual([]);
  });
});
