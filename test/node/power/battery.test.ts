/** Battery through /sys/class/power_supply: only while discharging. */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { detectMeters, openPowerSession } from "../../../uploader/src/power/index.js";
import { listMeters } from "../../../uploader/src/power/live.js";
import { makeTree, now, rmTree, sleep, testConfig } from "./helpers.js";

let roots: string[] = [];
afterEach(() => {
  roots.forEach(rmTree);
  roots = [];
});
const PS = "sys/class/power_supply";

describe("battery", () => {
  it("reads power_now (uW) while discharging; AC adapters are not batteries", async () => {
    const root = makeTree({
      [`${PS}/AC/type`]: "Mains",
      [`${PS}/AC/online`]: "0",
      [`${PS}/BAT0/type`]: "Battery",
      [`${PS}/BAT0/status`]: "Discharging",
      [`${PS}/BAT0/power_now`]: "7350000",
    });
    roots.push(root);
    const [live] = await listMeters(testConfig(root, []));
    expect(live).toMatchObject({ spec: "battery", kind: "battery", scope: "board-input", available: true, watts: 7.35 });
  });

  it("uses |current_now| * voltage_now when power_now is absent (negative current on discharge)", async () => {
    const root = makeTree({
      [`${PS}/battery/type`]: "Battery",
      [`${PS}/battery/status`]: "Discharging",
      [`${PS}/battery/current_now`]: "-812000",
      [`${PS}/battery/voltage_now`]: "3850000",
    });
    roots.push(root);
    const [live] = await listMeters(testConfig(root, []));
    // 0.812 A * 3.85 V
    expect(live!.watts).toBeCloseTo(3.1262, 4);
  });

  it("on the charger it is listed as unavailable with the reason; if it starts charging mid-run the tests say so", async () => {
    const root = makeTree({
      [`${PS}/BAT0/type`]: "Battery",
      [`${PS}/BAT0/status`]: "Charging",
      [`${PS}/BAT0/power_now`]: "5000000",
    });
    roots.push(root);
    const [m] = await detectMeters(testConfig(root, []));
    expect(m).toMatchObject({ available: false, reason: expect.stringMatching(/not discharging \(status: Charging\)/) });
    const auto = await openPowerSession({ config: testConfig(root, []) });
    expect(auto.meters).toEqual([]);
    expect(auto.note).toMatch(/battery \(board-input\) not used: battery BAT0 is not discharging/);
    await auto.close();

    fs.writeFileSync(path.join(root, PS, "BAT0/status"), "Discharging\n");
    const power = await openPowerSession({ meterSpecs: ["battery"], config: testConfig(root, []) });
    try {
      await sleep(100);
      const s1 = now();
      await sleep(800);
      const first = { startNs: s1, endNs: now() };
      await power.settle(first.endNs); // as the runner does after each test
      fs.writeFileSync(path.join(root, PS, "BAT0/status"), "Charging\n");
      await sleep(500);
      const s2 = now();
      await sleep(500);
      const second = { startNs: s2, endNs: now() };
      const [a] = power.testEnergy([first]);
      const [b] = power.testEnergy([second]);
      expect(a!.status).toBe("measured");
      expect(a!.joulesPerRep![0]).toBeCloseTo((5 * Number(first.endNs - first.startNs)) / 1e9, 6);
      expect(b).toMatchObject({ status: "unavailable", reason: expect.stringMatching(/meter failed .*not discharging \(status: Charging\)/) });
      expect(b!.joulesPerRep).toBeUndefined();
    } finally {
      await power.close();
    }
  });
});
