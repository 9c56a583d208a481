/**
 * A standard model pinned by sha256: the real download path (node-llama-cpp's
 * resolver, from a URL the suite names) on a model served from 127.0.0.1,
 * refused when the file's hash is not the pin and run when it is.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { ResultDocument } from "@edgebench/contract";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { suiteDir } from "../../../uploader/src/suite/index.js";
import { runCli } from "./cli-helpers.js";

let server: http.Server;
let base: string;
let dir: string;
const model = () => inject("tinyModels").q8_0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-pin-"));
  const bytes = fs.readFileSync(model());
  // A file server as Hugging Face's CDN answers: length, ranges.
  server = http.createServer((req, res) => {
    if (req.url !== "/models/tiny-q8_0.gguf") {
      res.writeHead(404).end();
      return;
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Number(range[2]) : bytes.length - 1;
    res.writeHead(range ? 206 : 200, {
      "content-type": "application/octet-stream",
      "content-length": String(end - start + 1),
      "accept-ranges": "bytes",
      ...(range ? { "content-range": `bytes ${start}-${end}/${bytes.length}` } : {}),
    });
    res.end(req.method === "HEAD" ? undefined : bytes.subarray(start, end + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The standard suite with one short test and one standard model served from 127.0.0.1 under `pin`. */
function suiteWith(name: string, pin: { sha256: string; sizeBytes: number }): string {
  const def = JSON.parse(fs.readFileSync(path.join(suiteDir(), "edge-llm-v1.json"), "utf8"));
  def.tests = def.tests.filter((t: { name: string }) => t.name === "tg128");
  def.perplexity.file = path.join(suiteDir(), def.perplexity.file);
  def.accuracy.file = path.join(suiteDir(), def.accuracy.file);
  def.models = [{ id: "tiny", name: "edgebench tiny", quantisation: "Q8_0", uri: `${base}/models/tiny-q8_0.gguf`, ...pin }];
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(def));
  return file;
}

describe("a suite model pinned by sha256", () => {
  const bytes = () => fs.readFileSync(model());
  const sha256 = () => createHash("sha256").update(bytes()).digest("hex");
  const flags = ["--no-submit", "--json", "--reps", "1", "--warmup", "0", "--no-perplexity", "--no-accuracy", "--threads", "1"];

  it("refuses a downloaded file whose hash is not the pin, saying both, and runs nothing on it", async () => {
    const wrong = "0".repeat(64);
    const env = { EDGEBENCH_HOME: path.join(dir, "home-a"), EDGEBENCH_MODELS: path.join(dir, "models-a") };
    const r = await runCli(["run", "--suite", suiteWith("wrong", { sha256: wrong, sizeBytes: bytes().length }), ...flags], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`has sha256 ${sha256()}, the suite pins ${base}/models/tiny-q8_0.gguf to ${wrong}: refusing a different file`);
    const doc = ResultDocument.parse(JSON.parse(r.stdout));
    expect(doc.runs).toHaveLength(1);
    expect(doc.runs[0]!.status).toBe("failed");
    expect(doc.runs[0]!.tests).toEqual([]);
    // It was downloaded through the real resolver: the refusal is of the bytes, not of a missing file.
    const downloaded = fs.readdirSync(env.EDGEBENCH_MODELS).filter((f) => f.endsWith(".gguf"));
    expect(downloaded).toHaveLength(1);
  });

  it("refuses a file whose size is not the pinned size", async () => {
    const env = { EDGEBENCH_HOME: path.join(dir, "home-b"), EDGEBENCH_MODELS: path.join(dir, "models-b") };
    const r = await runCli(["run", "--suite", suiteWith("size", { sha256: sha256(), sizeBytes: bytes().length + 1 }), ...flags], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`is ${bytes().length} bytes, the suite pins ${base}/models/tiny-q8_0.gguf at ${bytes().length + 1} bytes`);
  });

  it("runs the file that matches its pin, recorded under its hash and URL", async () => {
    const env = { EDGEBENCH_HOME: path.join(dir, "home-c"), EDGEBENCH_MODELS: path.join(dir, "models-c") };
    const r = await runCli(["run", "--suite", suiteWith("right", { sha256: sha256(), sizeBytes: bytes().length }), ...flags], env);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const run = ResultDocument.parse(JSON.parse(r.stdout)).runs[0]!;
    expect(run.status).toBe("ok");
    expect(run.model.sha256).toBe(sha256());
    expect(run.model.source).toBe(`${base}/models/tiny-q8_0.gguf`);
  });
});
