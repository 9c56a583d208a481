/** Generic hwmon power/energy sensors against fake sysfs trees (kernel hwmon sysfs units). */
import { describe, expect, it } from "vitest";
import { detectMeters, openPowerSession, PowerError } from "../../../uploader/src/power/index.js";
import { listMeters } from "../../../uploader/src/power/live.js";
import { now, sleep, testConfig, useTrees } from "./helpers.js";

const tree = useTrees();

const HW = "sys/class/hwmon";
const BOARD = {
  // INA226 shunt monitor on the board's 5 V input: power1_input in microwatts.
  [`${HW}/hwmon2/name`]: "ina226",
  [`${HW}/hwmon2/in1_input`]: "5104",
  [`${HW}/hwmon2/curr1_input`]: "480",
  [`${HW}/hwmon2/power1_input`]: "2450000",
  // A CPU temperature sensor: no power, ignored.
  [`${HW}/hwmon0/name`]: "k10temp",
  [`${HW}/hwmon0/temp1_input`]: "45000",
  // The Jetson INA3221 is left to its own meter.
  [`${HW}/hwmon3/name`]: "ina3221",
  [`${HW}/hwmon3/in1_input`]: "5000",
};

describe("hwmon", () => {
  it("finds an INA226 as a board-input power meter and reads it in W", async () => {
    const root = tree(BOARD);
    expect(await detectMeters(testConfig(root, []))).toEqual([
      expect.objectContaining({ spec: "hwmon:ina226", kind: "hwmon", scope: "board-input", method: "sampled", rails: ["power1"], available: true }),
    ]);
    const [live] = await listMeters(testConfig(root, []));
    expect(live!.watts).toBe(2.45);
  });

  it("prefers an energy counter (uJ) over power and sums channels", async () => {
    const root = tree({
      [`${HW}/hwmon1/name`]: "ina238",
      [`${HW}/hwmon1/power1_input`]: "3000000",
      [`${HW}/hwmon1/energy1_input`]: "1000000",
    });
    const [m] = await detectMeters(testConfig(root, []));
    expect(m).toMatchObject({ spec: "hwmon:ina238", method: "counter", rails: ["energy1"] });
  });

  it("reads a POWER-Z (powerz driver) as VBUS * IBUS", async () => {
    const root = tree({
      [`${HW}/hwmon5/name`]: "powerz",
      [`${HW}/hwmon5/in0_label`]: "VBUS",
      [`${HW}/hwmon5/in0_input`]: "20012",
      [`${HW}/hwmon5/in1_label`]: "VCC1",
      [`${HW}/hwmon5/in1_input`]: "0",
      [`${HW}/hwmon5/curr1_label`]: "IBUS",
      [`${HW}/hwmon5/curr1_input`]: "1500",
    });
    const [live] = await listMeters(testConfig(root, []));
    expect(live).toMatchObject({ spec: "hwmon:powerz", scope: "board-input", method: "sampled" });
    // 20.012 V * 1.5 A
    expect(live!.watts).toBeCloseTo(30.018, 6);
  });

  it("hwmon:NAME with --scope, and a clear error for a name that is not there", async () => {
    const root = tree({ ...BOARD, [`${HW}/hwmon7/name`]: "mystery", [`${HW}/hwmon7/power1_average`]: "1500000" });
    // Unknown drivers are not auto-picked (placement unknown) but can be named.
    expect((await detectMeters(testConfig(root, []))).map((m) => m.spec)).toEqual(["hwmon:ina226"]);
    const power = await openPowerSession({ meterSpecs: ["hwmon:mystery"], scope: "soc-rails", config: testConfig(root, []) });
    try {
      expect(power.meters).toEqual([expect.objectContaining({ kind: "hwmon", scope: "soc-rails", method: "sampled" })]);
      await sleep(150);
      const startNs = now();
      await sleep(1000);
      const endNs = now();
      const [e] = power.testEnergy([{ startNs, endNs }]);
      // A constant 1.5 W: the trapezoid rule is exact.
      expect(e!.status).toBe("measured");
      expect(e!.joulesPerRep![0]).toBeCloseTo((1.5 * Number(endNs - startNs)) / 1e9, 6);
      expect(e!.peakW).toBe(1.5);
    } finally {
      await power.close();
    }
    await expect(openPowerSession({ meterSpecs: ["hwmon:nothere"], config: testConfig(root, []), strict: true })).rejects.toThrow(
      /hwmon:nothere: no hwmon device .* found: .*ina226/,
    );
    const lenient = await openPowerSession({ meterSpecs: ["hwmon:nothere"], config: testConfig(root, []) });
    expect(lenient.meters).toEqual([]);
    expect(lenient.note).toMatch(/none of the named meters/);
    await lenient.close();
    expect(PowerError).toBeDefined();
  });
});
