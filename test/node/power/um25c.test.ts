/** RDTech UM24C/UM25C/UM34C: real 130-byte frames, served over a pseudo-terminal by a fake meter. */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { openPowerSession } from "../../../uploader/src/power/index.js";
import { listMeters } from "../../../uploader/src/power/live.js";
import { buildUmFrame, parseUmFrame } from "../../../uploader/src/power/meters/um25c.js";
import { makeTree, now, rmTree, sleep, testConfig } from "./helpers.js";

const FAKE = path.join(import.meta.dirname, "../../fixtures/power/fake-um25c.py");
const hasPython = spawnSync("python3", ["-c", "import pty, tty"]).status === 0;
let children: ChildProcess[] = [];
let roots: string[] = [];
afterEach(() => {
  for (const c of children) c.stdin?.end();
  children = [];
  roots.forEach(rmTree);
  roots = [];
});

async function fakeMeter(frameFile: string): Promise<string> {
  const child = spawn("python3", [FAKE, frameFile], { stdio: ["pipe", "pipe", "inherit"] });
  children.push(child);
  const rl = createInterface({ input: child.stdout! });
  const [line] = await Promise.race([new Promise<string[]>((r) => rl.once("line", (l) => r([l]))), sleep(5000).then(() => [""])]);
  rl.close();
  if (!line) throw new Error("fake meter did not start");
  return line.trim();
}

describe("USB meter frames", () => {
  it("parses each model's scaling (UM25C has one more decimal for V and A)", () => {
    const f25 = buildUmFrame("um25c", 5.123, 0.8123);
    expect(f25.length).toBe(130);
    expect(f25.readUInt16BE(2)).toBe(5123); // mV
    expect(f25.readUInt16BE(4)).toBe(8123); // 0.1 mA
    expect(parseUmFrame(f25, "um25c")).toMatchObject({ model: "um25c", volts: 5.123, amps: 0.8123, watts: 4.161 });
    const f24 = buildUmFrame("um24c", 5.12, 0.812);
    expect(f24.readUInt16BE(2)).toBe(512); // 10 mV
    expect(parseUmFrame(f24, "um25c")).toMatchObject({ model: "um24c", volts: 5.12, amps: 0.812, watts: 4.157 });
    expect(parseUmFrame(buildUmFrame("um34c", 9.01, 1.5), "um34c")).toMatchObject({ model: "um34c", watts: 13.515 });
  });

  it("refuses a short or out-of-step frame", () => {
    expect(() => parseUmFrame(Buffer.alloc(64), "um25c")).toThrow(/64 bytes, expected 130/);
    const f = buildUmFrame("um25c", 5, 1);
    const shifted = Buffer.concat([f.subarray(3), Buffer.alloc(3)]);
    expect(() => parseUmFrame(shifted, "um25c")).toThrow(/inconsistent/);
  });
});

describe.skipIf(!hasPython)("USB meter over a pseudo-terminal (python3 pty)", () => {
  it("configures the tty, sends 0xF0, reads frames; a silent meter becomes unavailable", async () => {
    const root = makeTree({});
    roots.push(root);
    const frameFile = path.join(root, "frame.bin");
    fs.writeFileSync(frameFile, buildUmFrame("um25c", 5.1, 0.9));
    const dev = await fakeMeter(frameFile);
    const [m] = await listMeters(testConfig(root, []), { meterSpecs: [`um25c:${dev}`] });
    expect(m).toMatchObject({ spec: `um25c:${dev}`, kind: "um25c", scope: "board-input", method: "sampled", watts: 4.59 });

    const power = await openPowerSession({ meterSpecs: [`um25c:${dev}`], config: testConfig(root, []), timeoutMs: 400 });
    try {
      expect(power.meters[0]).toMatchObject({ kind: "um25c", scope: "board-input", sampleRateHz: 5 });
      await sleep(300);
      const rep = { startNs: now(), endNs: 0n };
      await sleep(1500);
      rep.endNs = now();
      await power.settle();
      const [e] = power.testEnergy([rep]);
      expect(e!.status).toBe("measured");
      expect(e!.joulesPerRep![0]).toBeCloseTo(4.59 * (Number(rep.endNs - rep.startNs) / 1e9), 1);

      fs.writeFileSync(frameFile, ""); // the meter stops answering (Bluetooth dropped)
      await sleep(2000);
      const gone = { startNs: now(), endNs: 0n };
      await sleep(400);
      gone.endNs = now();
      const [g] = power.testEnergy([gone]);
      expect(g).toMatchObject({ status: "unavailable", reason: expect.stringMatching(/0 of 130 bytes within 400 ms/) });
    } finally {
      await power.close();
    }
  });
});
