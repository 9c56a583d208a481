/** Jetson INA3221 in the JetPack 5/6 hwmon layout and the JetPack 4 iio layout. */
import { describe, expect, it } from "vitest";
import { detectMeters } from "../../../uploader/src/power/index.js";
import { listMeters } from "../../../uploader/src/power/live.js";
import { testConfig, useTrees } from "./helpers.js";

const tree = useTrees();

const JP6 = "sys/bus/i2c/drivers/ina3221";
function channel(dev: string, hw: string, k: number, label: string, mv: number, ma: number): Record<string, string> {
  const d = `${JP6}/${dev}/hwmon/${hw}`;
  return { [`${d}/in${k}_label`]: label, [`${d}/in${k}_input`]: String(mv), [`${d}/curr${k}_input`]: String(ma), [`${d}/name`]: "ina3221" };
}

describe("Jetson INA3221", () => {
  it("Orin Nano (JetPack 6): VDD_IN is the total, scope module-input, in7 ignored", async () => {
    const root = tree({
      ...channel("1-0040", "hwmon3", 1, "VDD_IN", 5072, 1208),
      ...channel("1-0040", "hwmon3", 2, "VDD_CPU_GPU_CV", 5072, 320),
      ...channel("1-0040", "hwmon3", 3, "VDD_SOC", 5072, 480),
      [`${JP6}/1-0040/hwmon/hwmon3/in7_label`]: "sum of shunt voltages",
      [`${JP6}/1-0040/hwmon/hwmon3/in7_input`]: "9999",
    });
    const [m] = await detectMeters(testConfig(root, []));
    expect(m).toMatchObject({
      spec: "jetson",
      kind: "jetson-ina3221",
      scope: "module-input",
      method: "sampled",
      rails: ["VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC"],
    });
    expect(m!.label).toMatch(/total = VDD_IN/);
    const [live] = await listMeters(testConfig(root, []));
    // 5072 mV * 1208 mA / 1000 = 6126.976 mW
    expect(live!.watts).toBeCloseTo(6.127, 3);
  });

  it("AGX Orin (no VDD_IN): the sum of rails over both monitors, NC skipped, scope soc-rails", async () => {
    const root = tree({
      ...channel("1-0040", "hwmon1", 1, "VDD_GPU_SOC", 5000, 800),
      ...channel("1-0040", "hwmon1", 2, "VDD_CPU_CV", 5000, 400),
      ...channel("1-0040", "hwmon1", 3, "VIN_SYS_5V0", 5000, 600),
      ...channel("1-0041", "hwmon2", 1, "NC", 5000, 9000),
      ...channel("1-0041", "hwmon2", 2, "VDDQ_VDD2_1V8AO", 5000, 100),
      ...channel("1-0041", "hwmon2", 3, "NC", 5000, 9000),
    });
    const [m] = await detectMeters(testConfig(root, []));
    expect(m).toMatchObject({ scope: "soc-rails", rails: ["VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0", "VDDQ_VDD2_1V8AO"] });
    const [live] = await listMeters(testConfig(root, []));
    // 4000 + 2000 + 3000 + 500 mW
    expect(live!.watts).toBeCloseTo(9.5, 6);
  });

  it("JetPack 4 iio layout: POM_5V_IN in mW is the module input", async () => {
    const d = "sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0";
    const root = tree({
      [`${d}/rail_name_0`]: "POM_5V_IN",
      [`${d}/in_power0_input`]: "2345",
      [`${d}/rail_name_1`]: "POM_5V_GPU",
      [`${d}/in_power1_input`]: "120",
      [`${d}/rail_name_2`]: "POM_5V_CPU",
      [`${d}/in_power2_input`]: "560",
    });
    const [m] = await detectMeters(testConfig(root, []));
    expect(m).toMatchObject({ spec: "jetson", scope: "module-input", rails: ["POM_5V_IN", "POM_5V_GPU", "POM_5V_CPU"] });
    expect(m!.label).toMatch(/JetPack 4/);
    const [live] = await listMeters(testConfig(root, []));
    expect(live!.watts).toBeCloseTo(2.345, 6);
  });
});
