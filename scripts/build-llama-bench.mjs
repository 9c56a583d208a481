#!/usr/bin/env node
/**
 * Builds llama.cpp's own llama-bench twice from the exact llama.cpp source the
 * installed node-llama-cpp was built from (it ships that source as a git
 * bundle: node_modules/node-llama-cpp/llama/gitRelease.bundle), so that
 * bench/suite.ts can put edgebench's figures next to llama-bench's on the same
 * machine, model and settings, and tell the harness's share of a gap from the
 * build's (scripts/lib/llama-bench.mjs says what each build is):
 *
 *   same-build  llama-bench's two source files compiled and linked against
 *               node-llama-cpp's prebuilt libraries for this platform: the
 *               same binaries, CPU variant picked at run time. Seconds.
 *   native      cmake with GGML_NATIVE=ON (this CPU's instruction set) and
 *               GGML_OPENMP=OFF (ggml's own thread pool, as the prebuilt).
 *               About 10 minutes on 2 cores; --same-build-only skips it.
 *
 * Each build also makes llama-batched-bench (bench/serving.ts compares the
 * concurrent tests with it), unpatched: it uses llama.cpp's common library,
 * which the prebuilt package ships and the native build compiles anyway.
 *
 * llama-perplexity is built too (bench/quality.ts and the quality test compare
 * edgebench's perplexity and HellaSwag choices with it), with one patch: with
 * LLAMA_HELLASWAG_IN_ORDER=1 it takes the tasks in the file's order and logs
 * each task's chosen ending.
 *
 * One patch to llama-bench.cpp, in both: with LLAMA_BENCH_NO_THREADPOOL=1 it
 * does not attach its persistent thread pool, so ggml creates and joins a
 * thread set around every decode, as under node-llama-cpp (whose addon
 * attaches none). Without the variable llama-bench runs unchanged.
 * Needs git and a C++ compiler (and cmake for native); no network.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  HELLASWAG_IN_ORDER_ENV,
  LLAMA_BATCHED_BENCH,
  LLAMA_BATCHED_BENCH_SAME_BUILD,
  LLAMA_BENCH,
  LLAMA_BENCH_SAME_BUILD,
  LLAMA_CPP_BUILD,
  LLAMA_CPP_SRC,
  LLAMA_PERPLEXITY,
  LLAMA_PERPLEXITY_SAME_BUILD,
  NO_THREADPOOL_ENV,
} from "./lib/llama-bench.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const BUNDLE = path.join(ROOT, "node_modules", "node-llama-cpp", "llama", "gitRelease.bundle");
const sameBuildOnly = process.argv.includes("--same-build-only");

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
for (const tool of ["git", "c++", ...(sameBuildOnly ? [] : ["cmake"])]) {
  if (!have(tool)) {
    console.error(`${tool} is needed to build llama-bench (Debian: apt-get install git cmake g++ ninja-build)`);
    process.exit(1);
  }
}
const info = JSON.parse(readFileSync(path.join(ROOT, "node_modules", "node-llama-cpp", "llama", "llama.cpp.info.json"), "utf8"));
if (!existsSync(path.join(LLAMA_CPP_SRC, "CMakeLists.txt"))) run("git", ["clone", "--quiet", BUNDLE, LLAMA_CPP_SRC]);

// The patch: llama-bench attaches its thread pool unless the variable is set.
const benchSource = path.join(LLAMA_CPP_SRC, "tools", "llama-bench", "llama-bench.cpp");
const ATTACH = "llama_attach_threadpool(ctx, threadpool, NULL);";
const PATCHED = `{ const char * no_tp = getenv("${NO_THREADPOOL_ENV}"); if (!no_tp || strcmp(no_tp, "1") != 0) { ${ATTACH} } }`;
let src = readFileSync(benchSource, "utf8");
// An earlier form of the patch, undone first, so a rebuild always carries this one.
src = src.replace(`if (!getenv("${NO_THREADPOOL_ENV}")) { ${ATTACH} }`, ATTACH);
if (!src.includes(PATCHED)) {
  if (!src.includes(ATTACH)) throw new Error(`${benchSource} no longer attaches its thread pool as expected; update the patch`);
  writeFileSync(benchSource, src.replace(ATTACH, PATCHED));
}

// The perplexity tool's patch: with the variable set, --hellaswag takes the tasks in the file's order
// (instead of a random draw) and prints each task's chosen ending, so bench/quality.ts can compare
// choices task by task. The scoring code is untouched; without the variable it runs unchanged.
const pplSource = path.join(LLAMA_CPP_SRC, "tools", "perplexity", "perplexity.cpp");
const RANDOMIZE = "bool randomize_tasks = true;";
const GOLD = "// If the gold ending got the maximum logprobe add one accuracy point";
let ppl = readFileSync(pplSource, "utf8");
if (!ppl.includes(HELLASWAG_IN_ORDER_ENV)) {
  if (!ppl.includes(RANDOMIZE) || !ppl.includes(GOLD)) throw new Error(`${pplSource} no longer reads as expected; update the patch`);
  ppl = ppl
    .replace(RANDOMIZE, `bool randomize_tasks = getenv("${HELLASWAG_IN_ORDER_ENV}") == nullptr;`)
    .replace(GOLD, `if (!randomize_tasks) { LOG("choice\\t%zu\\t%zu\\n", i, ending_logprob_max_idx); }\n            ${GOLD}`);
  writeFileSync(pplSource, ppl);
}

// same-build: against the prebuilt package of this platform.
const platformDir = `${process.platform}-${process.arch === "arm" ? "armv7l" : process.arch}`;
const bins = path.join(ROOT, "node_modules", "@node-llama-cpp", platformDir, "bins", platformDir);
if (!existsSync(bins)) {
  console.error(`no prebuilt node-llama-cpp binaries at ${bins}: the same-build llama-bench needs them`);
  process.exit(1);
}
const libs = readdirSync(bins).filter((f) => /\.so$/.test(f));
const linkWith = libs.filter((f) => /^libllama/.test(f) || /^libggml(\.|-base\.)/.test(f));
const outDir = path.dirname(LLAMA_BENCH_SAME_BUILD);
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
/** Compiles one llama.cpp tool against the prebuilt libraries (they ship llama.cpp's common library too). */
function sameBuild(toolDir, sources, out) {
  run("c++", [
    "-O2",
    "-std=c++17",
    "-DNDEBUG",
    ...["include", "ggml/include", "common", "vendor", toolDir].flatMap((d) => ["-I", path.join(LLAMA_CPP_SRC, d)]),
    ...sources.map((f) => path.join(LLAMA_CPP_SRC, toolDir, f)),
    "-o",
    out,
    `-L${bins}`,
    ...linkWith.map((f) => `-l:${f}`),
    "-Wl,-rpath,$ORIGIN",
    "-lpthread",
  ]);
}
sameBuild("tools/llama-bench", ["main.cpp", "llama-bench.cpp"], LLAMA_BENCH_SAME_BUILD);
sameBuild("tools/batched-bench", ["main.cpp", "batched-bench.cpp"], LLAMA_BATCHED_BENCH_SAME_BUILD);
sameBuild("tools/perplexity", ["main.cpp", "perplexity.cpp"], LLAMA_PERPLEXITY_SAME_BUILD);
// ggml looks for its CPU variants beside the executable: the prebuilt's libraries, linked in place.
for (const f of libs) symlinkSync(path.join(bins, f), path.join(outDir, f));
console.log(`${LLAMA_BENCH_SAME_BUILD} (node-llama-cpp's prebuilt ${platformDir} libraries, llama.cpp ${info.tag})`);
console.log(`${LLAMA_BATCHED_BENCH_SAME_BUILD} and ${LLAMA_PERPLEXITY_SAME_BUILD} (the same libraries)`);

if (!sameBuildOnly) {
  const generator = have("ninja") ? ["-G", "Ninja"] : [];
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
  run("cmake", [
    "--build",
    LLAMA_CPP_BUILD,
    "--target",
    "llama-bench",
    "llama-batched-bench",
    "llama-perplexity",
    "-j",
    String(os.availableParallelism()),
  ]);
  console.log(`${LLAMA_BENCH} (native for this CPU, llama.cpp ${info.tag} as bundled with node-llama-cpp)`);
  console.log(`${LLAMA_BATCHED_BENCH} and ${LLAMA_PERPLEXITY} (the same build; bench/serving.ts, bench/quality.ts)`);
}
