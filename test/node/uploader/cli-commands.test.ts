/** The other commands through the bundled CLI: synth-model, detect, models, import. */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { ResultDocument, System, verifySubmission } from "@edgebench/contract";
import { readGgufFileInfo } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Outbox } from "../../../uploader/src/outbox/index.js";
import { REPO_ROOT } from "../helpers/models.js";
import { runCli } from "./cli-helpers.js";

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-cmds-"));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe("edgebench synth-model", () => {
  it("writes a loadable GGUF of the chosen type and lists presets", async () => {
    const out = path.join(work, "t.gguf");
    const r = await runCli(["synth-model", "--preset", "tiny", "--type", "f16", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("170,432 parameters");
    const info = await readGgufFileInfo(out, { logWarnings: false });
    expect(info.metadata.general.file_type).toBe(1);
    const list = await runCli(["synth-model", "--list"]);
    expect(list.stdout).toMatch(/qwen2\.5-0\.5b .*151936/);
    const bad = await runCli(["synth-model", "--preset", "gpt-5", "--out", out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown preset "gpt-5"/);
  });
});

describe("edgebench detect", () => {
  it("reads a fixture board through EDGEBENCH_SYSROOT", async () => {
    const r = await runCli(["detect", "--json", "--no-llama"], { EDGEBENCH_SYSROOT: path.join(REPO_ROOT, "test/fixtures/sysfs/jetson-orin-nano") });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { system: unknown; thermalSensors: boolean };
    const system = System.parse(out.system);
    expect(system.board.name).toMatch(/Jetson Orin Nano/);
    expect(system.os.release).toBe("L4T 36.4.3");
    expect(out.thermalSensors).toBe(true);
  });

  it("on this machine, with node-llama-cpp's view of the backend", async () => {
    const r = await runCli(["detect", "--backend", "cpu"]);
    expect(r.code, r.stderr).toBe(0);
    // The release, then what the loaded libraries say: commit and CPU variant (prebuilt x86-64 here).
    expect(r.stdout).toMatch(/llama\.cpp +\S+ \(commit [0-9a-f]{7,40}, prebuilt, CPU variant [\w.]+\) via node-llama-cpp 3\.22\.1 · backend cpu/);
  });
});

describe("edgebench models", () => {
  it("lists the suite's standard models (not downloaded here) and local GGUFs with their metadata", async () => {
    const modelsDir = path.join(work, "models");
    fs.mkdirSync(modelsDir, { recursive: true });
    fs.copyFileSync(inject("tinyModels").q8_0, path.join(modelsDir, "mine.gguf"));
    const r = await runCli(["models", "--json"], { EDGEBENCH_MODELS: modelsDir, EDGEBENCH_HOME: path.join(work, "home") });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { models: Array<{ name: string; quantisation: string; uri?: string; file?: string; standard: boolean }> };
    const standard = out.models.filter((m) => m.standard);
    expect(standard.map((m) => m.uri)).toEqual([
      "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf",
      "hf:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf",
      "hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf",
      "hf:bartowski/Llama-3.2-3B-Instruct-GGUF/Llama-3.2-3B-Instruct-Q4_K_M.gguf",
    ]);
    expect(standard.every((m) => m.file === undefined && m.quantisation === "Q4_K_M")).toBe(true);
    expect(out.models.filter((m) => !m.standard)).toEqual([
      { name: "edgebench tiny q8_0", quantisation: "Q8_0", file: path.join(modelsDir, "mine.gguf"), standard: false },
    ]);
  });
});

describe("edgebench import", () => {
  it("turns llama-bench JSON into a contract-valid imported document", async () => {
    const file = path.join(REPO_ROOT, "test/fixtures/llama-bench/pi5-qwen2.5-0.5b-q4_k_m.json");
    const r = await runCli(["import", file, "--json", "--board-name", "Raspberry Pi 5 (8 GB)"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = ResultDocument.parse(JSON.parse(r.stdout));
    expect(doc.origin.kind).toBe("imported");
    expect(doc.system.board).toEqual({ name: "Raspberry Pi 5 (8 GB)", identifiedBy: "declared" });
    expect(doc.runs[0]!.tests.map((t) => t.name)).toEqual(["pp512", "tg128", "tg128@d2048"]);
    const bad = await runCli(["import", path.join(work, "nothing.json")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cannot read/);
  });

  it("--offline signs the imported document and queues it in the outbox; without a flag nothing is queued", async () => {
    const file = path.join(REPO_ROOT, "test/fixtures/llama-bench/pi5-qwen2.5-0.5b-q4_k_m.json");
    const home = path.join(work, "import-home");
    const plain = await runCli(["import", file, "--board-name", "Raspberry Pi 5 (8 GB)"], { EDGEBENCH_HOME: home });
    expect(plain.code, plain.stderr).toBe(0);
    expect((await new Outbox(home).readPending()).items).toEqual([]);

    const r = await runCli(["import", file, "--board-name", "Raspberry Pi 5 (8 GB)", "--offline"], { EDGEBENCH_HOME: home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/signed and queued [0-9a-f]{64}/);
    const { items, corrupt } = await new Outbox(home).readPending();
    expect(corrupt).toEqual([]);
    expect(items).toHaveLength(1);
    const [item] = items;
    expect(r.stderr).toContain(item!.id);
    expect(await verifySubmission(item!.submission)).toBe(true);
    const doc = ResultDocument.parse(item!.submission.document);
    expect(doc.origin).toEqual({ kind: "imported", tool: "llama-bench" });
    expect(doc.power.meters).toEqual([]);
    expect(doc.system.board.name).toBe("Raspberry Pi 5 (8 GB)");
    // Tampering breaks the signature: the check above is not vacuous.
    expect(await verifySubmission({ ...item!.submission, document: { ...doc, createdAt: "2020-01-01T00:00:00.000Z" } })).toBe(false);
  });

  it("--submit sends the signed document to the registry (a 127.0.0.1 stand-in that checks the signature)", async () => {
    const file = path.join(REPO_ROOT, "test/fixtures/llama-bench/pi5-qwen2.5-0.5b-q4_k_m.json");
    const received: Array<{ url?: string; verified: boolean; origin: unknown }> = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        void (async () => {
          const submission = JSON.parse(body) as { document: { origin: unknown }; signature: string; publicKey: string };
          received.push({ url: req.url, verified: await verifySubmission(submission), origin: submission.document.origin });
          res.writeHead(201, { "content-type": "application/json" });
          res.end(JSON.stringify({ id: "x", url: "/results/x" }));
        })();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const home = path.join(work, "import-submit-home");
      const r = await runCli(["import", file, "--board-name", "Raspberry Pi 5 (8 GB)", "--submit", "--server", url], { EDGEBENCH_HOME: home });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/submitted [0-9a-f]{64}/);
      expect(received).toEqual([{ url: "/api/v1/submissions", verified: true, origin: { kind: "imported", tool: "llama-bench" } }]);
      expect((await new Outbox(home).readPending()).items).toEqual([]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe("start-up: commands that never run llama.cpp never load node-llama-cpp", () => {
  // A module-resolution hook (loaded through NODE_OPTIONS=--import) that makes
  // node-llama-cpp unresolvable: a command that imports it, statically or not,
  // fails; one that loads it lazily and does not need it runs as usual.
  const hookEnv = () => {
    const hook = path.join(work, "no-llama-hook.mjs");
    const resolver = `export async function resolve(s, c, next) { if (s === "node-llama-cpp" || s.startsWith("node-llama-cpp/")) throw new Error("node-llama-cpp loaded at start-up"); return next(s, c); }`;
    fs.writeFileSync(
      hook,
      `import { register } from "node:module";\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(resolver)}`)});\n`,
    );
    return { NODE_OPTIONS: `--import=${hook}`, EDGEBENCH_HOME: path.join(work, "startup-home"), EDGEBENCH_SYSROOT: path.join(work, "empty-sysroot") };
  };

  it("--version, keygen, whoami, config, outbox, submit, meters, detect --no-llama and import run without it", async () => {
    const env = hookEnv();
    // config set first: detect and import then read the envelope from config.json, still without node-llama-cpp.
    for (const args of [
      ["--version"],
      ["keygen"],
      ["whoami"],
      ["config", "set", "envelope", "85x56x25"],
      ["config", "list"],
      ["outbox"],
      ["submit", "--server", "http://127.0.0.1:9"],
      ["meters"],
      ["detect", "--no-llama", "--json"],
      ["import", path.join(REPO_ROOT, "test/fixtures/llama-bench/pi5-qwen2.5-0.5b-q4_k_m.json"), "--json"],
    ]) {
      const r = await runCli(args, env);
      expect(r.stderr, args.join(" ")).not.toMatch(/node-llama-cpp loaded at start-up/);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
    }
  });

  it("the hook does catch a command that needs it (models reads GGUF headers with it)", async () => {
    const r = await runCli(["models"], hookEnv());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/node-llama-cpp loaded at start-up/);
  });
});
