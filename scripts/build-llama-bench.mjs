#!/usr/bin/env node
/**
 * Builds llama.cpp's own llama-bench from the exact llama.cpp source that the
 * installed node-llama-cpp was built from (it ships that source as a git
 * bundle: node_modules/node-llama-cpp/llama/gitRelease.bundle), so that
 * bench/suite.ts can put edgebench's figures next to llama-bench's on the same
 * machine, model and settings. Needs git, cmake, a C++ compiler and ninja or
 * make; no network. Output: .tmp/llama.cpp/build/bin/llama-bench.
 *
 *   node scripts/build-llama-bench.mjs        (about 10 minutes on 2 cores)
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { LLAMA_BENCH, LLAMA_CPP_BUILD, LLAMA_CPP_SRC } from "./lib/llama-bench.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const BUNDLE = path.join(ROOT, "node_modules", "node-llama-cpp", "llama", "gitRelease.bundle");

function run(cmd, args, cwd = ROOT) {
  console.error(`$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { cwd, stdio: "inherit" });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} exited with ${r.status}`);
}

const have = (cmd) => spawnSync(cmd, ["--version"], { stdio: "ignore" }).status === 0;

if (!existsSync(BUNDLE)) {
  console.error(`no llama.cpp source bundle at ${BUNDLE}: run npm install first`);
  process.exit(1);
}
for (const tool of ["git", "cmake", "c++"]) {
  if (!have(tool)) {
    console.error(`${tool} is needed to build llama-bench (Debian: apt-get install git cmake g++ ninja-build)`);
    process.exit(1);
  }
}
const info = JSON.parse(readFileSync(path.join(ROOT, "node_modules", "node-llama-cpp", "llama", "llama.cpp.info.json"), "utf8"));
if (!existsSync(path.join(LLAMA_CPP_SRC, "CMakeLists.txt"))) run("git", ["clone", "--quiet", BUNDLE, LLAMA_CPP_SRC]);
const generator = have("ninja") ? ["-G", "Ninja"] : [];
// Built like node-llama-cpp's prebuilt binaries, so the comparison is of the
// harness, not the build: GGML_NATIVE for this CPU's instruction set (the
// prebuilt picks its best CPU variant at run time) and GGML_OPENMP=OFF (the
// prebuilt does not link libgomp; it uses ggml's own thread pool, and the two
// differ in speed: bench/suite.ts can be pointed at either build).
// Nothing but llama-bench and its libraries.
run("cmake", [
  "-S",
  LLAMA_CPP_SRC,
  "-B",
  LLAMA_CPP_BUILD,
  ...generator,
  "-DCMAKE_BUILD_TYPE=Release",
  "-DGGML_NATIVE=ON",
  "-DGGML_OPENMP=OFF",
  "-DLLAMA_CURL=OFF",
  "-DLLAMA_OPENSSL=OFF",
  "-DLLAMA_BUILD_TESTS=OFF",
  "-DLLAMA_BUILD_EXAMPLES=OFF",
  "-DLLAMA_BUILD_SERVER=OFF",
]);
run("cmake", ["--build", LLAMA_CPP_BUILD, "--target", "llama-bench", "-j", String(os.availableParallelism())]);
console.log(`${LLAMA_BENCH} (llama.cpp ${info.tag} as bundled with node-llama-cpp)`);
