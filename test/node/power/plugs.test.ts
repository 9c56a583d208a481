/** Shelly Gen1/Gen2+ and Tasmota plugs served from 127.0.0.1 in their real JSON shapes. */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ResultDocument, TestEnergy } from "@edgebench/contract";
import { afterEach, describe, expect, it } from "vitest";
import { MIN_SAMPLES_PER_REP, openPowerSession } from "../../../uploader/src/power/index.js";
import { listMeters } from "../../../uploader/src/power/live.js";
import { tinyModel } from "../helpers/models.js";
import { runCli } from "../uploader/cli-helpers.js";
import { makeTree, now, rmTree, sleep, testConfig } from "./helpers.js";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const servers: http.Server[] = [];
let roots: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  roots.forEach(rmTree);
  roots = [];
});

async function serve(handler: Handler): Promise<string> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 100;
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const json = (res: http.ServerResponse, body: unknown, status = 200) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};
const config = () => {
  const root = makeTree({});
  roots.push(root);
  return testConfig(root, []);
};

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Shelly Gen2 digest auth check (RFC 7616, SHA-256, user admin), as the device does it. */
function digestOk(req: http.IncomingMessage, password: string, realm: string, nonce: string): boolean {
  const h = req.headers.authorization ?? "";
  const f = Object.fromEntries([...h.matchAll(/(\w+)=("([^"]*)"|[^,\s]+)/g)].map((m) => [m[1], m[3] ?? m[2]]));
  const ha1 = sha256(`admin:${realm}:${password}`);
  const ha2 = sha256(`GET:${f.uri}`);
  return f.username === "admin" && f.uri === req.url && f.response === sha256(`${ha1}:${nonce}:${f.nc}:${f.cnonce}:auth:${ha2}`);
}

describe("smart plugs", () => {
  it("Shelly Gen1: /meter/0 power with HTTP basic auth", async () => {
    const host = await serve((req, res) => {
      if (req.url === "/shelly")
        return json(res, { type: "SHPLG-S", mac: "A4CF12F3B2C1", auth: true, fw: "20230913-112003/v1.14.0-gcb84623", num_outputs: 1, num_meters: 1 });
      if (req.headers.authorization !== `Basic ${Buffer.from("admin:s3cret").toString("base64")}`) return json(res, { error: "unauthorized" }, 401);
      if (req.url === "/meter/0")
        return json(res, { power: 4.31, overpower: 0, is_valid: true, timestamp: 1763700000, counters: [71.2, 70.9, 71.5], total: 4567 });
      json(res, {}, 404);
    });
    const [m] = await listMeters(config(), { meterSpecs: [`shelly:${host}`], meterUser: "admin", meterPassword: "s3cret" });
    expect(m).toMatchObject({ spec: `shelly:${host}`, kind: "shelly", scope: "wall", method: "sampled", watts: 4.31 });
    expect(m!.label).toMatch(/Gen1 SHPLG-S .*\/meter\/0/);
    const [bad] = await listMeters(config(), { meterSpecs: [`shelly:${host}`] });
    expect(bad).toMatchObject({
      available: false,
      reason: expect.stringMatching(/401 unauthorised \(the device needs --meter-user\/--meter-password\)/),
    });
  });

  it("Shelly Gen2+: Switch.GetStatus apower behind digest auth; PM Mini through PM1.GetStatus", async () => {
    const realm = "shellyplusplugs-e86beae8a1b4";
    const nonce = "1763700123";
    const host = await serve((req, res) => {
      if (req.url === "/shelly")
        return json(res, { name: null, id: realm, model: "SNPL-00112EU", gen: 2, ver: "1.4.4", app: "PlusPlugS", auth_en: true, auth_domain: realm });
      if (!digestOk(req, "pa55", realm, nonce)) {
        res.writeHead(401, { "www-authenticate": `Digest qop="auth", realm="${realm}", nonce="${nonce}", algorithm=SHA-256` });
        return res.end();
      }
      if (req.url === "/rpc/Switch.GetStatus?id=0")
        return json(res, {
          id: 0,
          source: "init",
          output: true,
          apower: 5.2,
          voltage: 231.4,
          current: 0.043,
          aenergy: { total: 123.456, by_minute: [86.2, 87.1, 86.9], minute_ts: 1763700060 },
          temperature: { tC: 40.1, tF: 104.2 },
        });
      json(res, { code: 404, message: `No handler for ${req.url}` }, 404);
    });
    const [m] = await listMeters(config(), { meterSpecs: [`shelly:${host}`], meterPassword: "pa55" });
    expect(m).toMatchObject({ kind: "shelly", scope: "wall", watts: 5.2 });
    expect(m!.label).toMatch(/Gen2 SNPL-00112EU .*Switch\.GetStatus/);

    const pmHost = await serve((req, res) => {
      if (req.url === "/shelly") return json(res, { id: "shellypmmini-1", model: "S3PM-001PCEU16", gen: 3, app: "MiniPMG3", auth_en: false });
      if (req.url === "/rpc/PM1.GetStatus?id=0")
        return json(res, {
          id: 0,
          voltage: 229.9,
          current: 0.021,
          apower: 3.05,
          freq: 50,
          aenergy: { total: 12.3, by_minute: [0, 0, 0], minute_ts: 1763700060 },
        });
      json(res, { code: 404, message: "No handler" }, 404);
    });
    const [pm] = await listMeters(config(), { meterSpecs: [`shelly:${pmHost}`] });
    expect(pm).toMatchObject({ kind: "shelly", watts: 3.05 });
    expect(pm!.label).toMatch(/Gen3 .*PM1\.GetStatus/);
  });

  it("Tasmota: Status 8 ENERGY.Power with user/password in the query, never echoed in errors", async () => {
    const host = await serve((req, res) => {
      const u = new URL(req.url!, "http://x");
      if (u.pathname !== "/cm" || u.searchParams.get("cmnd") !== "Status 8") return json(res, {}, 404);
      if (u.searchParams.get("user") !== "admin" || u.searchParams.get("password") !== "tas")
        return json(res, { WARNING: "Need user=<username>&password=<password>" }, 401);
      json(res, {
        StatusSNS: {
          Time: "2026-11-21T06:00:00",
          ENERGY: {
            TotalStartTime: "2024-01-01T00:00:00",
            Total: 12.345,
            Yesterday: 0.1,
            Today: 0.05,
            Power: 6.5,
            ApparentPower: 9,
            ReactivePower: 7,
            Factor: 0.55,
            Voltage: 230,
            Current: 0.039,
          },
        },
      });
    });
    const [m] = await listMeters(config(), { meterSpecs: [`tasmota:${host}`], meterUser: "admin", meterPassword: "tas" });
    expect(m).toMatchObject({ kind: "tasmota", scope: "wall", method: "sampled", watts: 6.5 });
    const [bad] = await listMeters(config(), { meterSpecs: [`tasmota:${host}`], meterUser: "admin", meterPassword: "wrong" });
    expect(bad!.available).toBe(false);
    expect(bad!.reason).toMatch(/401/);
    expect(bad!.reason).not.toMatch(/wrong/);
  });

  it("an unreachable plug times out per request with a clear reason", async () => {
    const host = await serve(() => {
      /* never answers */
    });
    const t0 = Date.now();
    const power = await openPowerSession({ meterSpecs: [`tasmota:${host}`], config: config(), timeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(power.meters).toEqual([]);
    expect(power.note).toMatch(/tasmota:127\.0\.0\.1:\d+ could not be opened: .*no answer within 300 ms/);
    await power.close();
  });

  it("a 1 Hz plug: a 2 s repetition is flagged insufficient-samples, a 5 s one is measured; a plug that stops answering -> unavailable", async () => {
    let watts = 4;
    let failing = false;
    const host = await serve((req, res) => {
      if (req.url === "/shelly") return json(res, { type: "SHPLG-S", auth: false });
      if (failing) return json(res, { error: "relay overheated" }, 500);
      json(res, { power: watts, is_valid: true, total: 1 });
    });
    const power = await openPowerSession({ meterSpecs: [`shelly:${host}`], config: config() });
    try {
      expect(power.meters[0]).toMatchObject({ kind: "shelly", scope: "wall", sampleRateHz: 1 });
      await sleep(1100);
      const short = { startNs: now(), endNs: 0n };
      await sleep(2000);
      short.endNs = now();
      const long = { startNs: now(), endNs: 0n };
      await sleep(5000);
      long.endNs = now();
      await power.settle(long.endNs);
      const [s] = power.testEnergy([short]);
      TestEnergy.parse(s);
      expect(s).toMatchObject({
        status: "insufficient-samples",
        reason: expect.stringMatching(/holds [0-3] readings?; a sampled meter needs at least 4/),
      });
      expect(s!.joulesPerRep).toBeUndefined();
      expect(MIN_SAMPLES_PER_REP.sampled).toBe(4);
      const [l] = power.testEnergy([long]);
      expect(l!.status).toBe("measured");
      expect(l!.joulesPerRep![0]).toBeCloseTo(4 * (Number(long.endNs - long.startNs) / 1e9), 1);
      expect(Math.abs(l!.achievedRateHz! - 1)).toBeLessThan(0.15);

      failing = true;
      watts = 9;
      await sleep(3500); // three failed reads at 1 Hz: the meter is down
      const gone = { startNs: now(), endNs: 0n };
      await sleep(500);
      gone.endNs = now();
      const [g] = power.testEnergy([gone]);
      expect(g).toMatchObject({ status: "unavailable", reason: expect.stringMatching(/meter failed .*HTTP 500/) });
    } finally {
      await power.close();
    }
  }, 30_000);
});

describe("edgebench run with a plug behind credentials", () => {
  // A Tasmota plug that answers only with user=admin&password=tas (its real query-string auth).
  const tasmotaWithPassword = () =>
    serve((req, res) => {
      const u = new URL(req.url!, "http://x");
      if (u.pathname !== "/cm" || u.searchParams.get("cmnd") !== "Status 8") return json(res, {}, 404);
      if (u.searchParams.get("user") !== "admin" || u.searchParams.get("password") !== "tas")
        return json(res, { WARNING: "Need user=<username>&password=<password>" }, 401);
      json(res, { StatusSNS: { ENERGY: { Power: 6.5, Voltage: 230, Current: 0.039 } } });
    });
  const run = (host: string, extra: string[], env: NodeJS.ProcessEnv = {}) => {
    const root = makeTree({});
    roots.push(root);
    return runCli(
      [
        "run",
        "--model",
        tinyModel("q8_0"),
        "--meter",
        `tasmota:${host}`,
        ...extra,
        "--idle-seconds",
        "0",
        "--backend",
        "cpu",
        "--reps",
        "1",
        "--threads",
        "1",
        "--no-perplexity",
        "--no-submit",
        "--json",
      ],
      {
        EDGEBENCH_HOME: root,
        EDGEBENCH_SYSROOT: root,
        EDGEBENCH_METER_PASSWORD: "",
        ...env,
      },
    );
  };

  it("--meter-user/--meter-password, or EDGEBENCH_METER_PASSWORD, reach the plug; without them the run stops and says why", async () => {
    const host = await tasmotaWithPassword();
    for (const [extra, env] of [
      [["--meter-user", "admin", "--meter-password", "tas"], {}],
      [[], { EDGEBENCH_METER_PASSWORD: "tas" }],
    ] as const) {
      const r = await run(host, [...extra], env);
      expect(r.code, r.stderr).toBe(0);
      const doc = ResultDocument.parse(JSON.parse(r.stdout));
      expect(doc.power.meters.map((m) => m.kind)).toEqual(["tasmota"]);
      expect(r.stdout, "the password never lands in the document").not.toContain("password=");
    }
    // A named meter that cannot be opened stops the run before anything is measured (exit code 2) ...
    const none = await run(host, []);
    expect(none.code, none.stderr).toBe(2);
    expect(none.stderr).toMatch(/could not be opened: .*401/);
    // ... unless told to go on without it: energy not measured, with the reason.
    const allowed = await run(host, ["--allow-no-meter"]);
    expect(allowed.code, allowed.stderr).toBe(0);
    const doc = ResultDocument.parse(JSON.parse(allowed.stdout));
    expect(doc.power.meters).toEqual([]);
    expect(doc.power.note).toMatch(/401/);
  }, 300_000);
});
