/** `edgebench meters`: what was found, with scope, method and a live reading. */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { metersCommand, metersCommandAction } from "../../../uploader/src/cli/commands/meters.js";
import { FIXTURE_BIN, makeTree, rmTree, testConfig } from "./helpers.js";

let roots: string[] = [];
afterEach(() => {
  roots.forEach(rmTree);
  roots = [];
});

describe("edgebench meters", () => {
  it("lists each meter with scope, method and a live reading, widest scope first", async () => {
    const root = makeTree({
      "sys/class/hwmon/hwmon1/name": "ina226",
      "sys/class/hwmon/hwmon1/power1_input": "2450000",
      "sys/class/powercap/intel-rapl:0/name": "package-0",
      "sys/class/powercap/intel-rapl:0/energy_uj": "1000",
      "sys/class/powercap/intel-rapl:0/max_energy_range_uj": "262143328850",
    });
    roots.push(root);
    let text = "";
    const list = await metersCommandAction({ meter: ["cmd:echo 7.25"], scope: "wall" }, testConfig(root, [FIXTURE_BIN]), (s) => (text += s));
    expect(list.map((m) => m.spec)).toEqual(["cmd:echo 7.25", "hwmon:ina226", "rpi5-pmic", "nvml", "rapl"]);
    expect(text).toMatch(/primary \(widest scope\): cmd:echo 7\.25/);
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^meter\s+scope\s+method\s+reading\s+what$/);
    expect(lines.find((l) => l.startsWith("hwmon:ina226"))).toMatch(/board-input\s+sampled\s+2\.45 W/);
    expect(lines.find((l) => l.startsWith("nvml"))).toMatch(/accelerator\s+counter\s+\d+\.\d\d W/);
    // The fixture counter does not move: a true 0 W reading from a live counter, not a placeholder.
    expect(lines.find((l) => l.startsWith("rapl"))).toMatch(/cpu-package\s+counter\s+0\.00 W/);
    expect(lines.find((l) => l.startsWith("cmd:echo 7.25"))).toMatch(/wall\s+sampled\s+7\.25 W/);
    expect(text).toMatch(/rpi5-pmic rails: 3V7_WL_SW, 3V3_SYS/);
    const nvml = list.find((m) => m.spec === "nvml")!;
    // 70 W + 30 W from the fake's counter over half a second.
    expect(nvml.watts).toBeGreaterThan(80);
    expect(nvml.watts).toBeLessThan(120);
  });

  it("says so when nothing is found, and --json gives the listing", async () => {
    const root = makeTree({});
    roots.push(root);
    let text = "";
    await metersCommandAction({}, testConfig(root, []), (s) => (text += s));
    expect(text).toMatch(/^no power meter found on this machine; name one with --meter/);
    // A port nothing listens on.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    let json = "";
    await metersCommandAction({ json: true, meter: [`tasmota:127.0.0.1:${port}`] }, testConfig(root, []), (s) => (json += s));
    expect(JSON.parse(json)).toEqual([
      expect.objectContaining({ spec: `tasmota:127.0.0.1:${port}`, available: false, reason: expect.stringMatching(/ECONNREFUSED/) }),
    ]);
    expect(metersCommand().name()).toBe("meters");
  });
});
