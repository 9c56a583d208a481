// Where `npm run build:llama-bench` puts llama.cpp's own llama-bench and where
// bench/suite.ts looks for it. Two builds, so a gap can be put down to the
// harness or to the build:
//   same-build: llama-bench compiled against the very libraries the uploader
//     loads (node-llama-cpp's prebuilt release binaries, with their CPU
//     variants chosen at run time);
//   native: llama.cpp built from the same source on this machine for this
//     CPU (GGML_NATIVE), as a user who compiles llama.cpp gets it.
// Both accept LLAMA_BENCH_NO_THREADPOOL=1, which skips llama-bench's
// persistent thread pool, so ggml starts a fresh thread set for every decode
// as it does under node-llama-cpp (which attaches none).
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** The llama.cpp checkout the builds use. */
export const LLAMA_CPP_SRC = path.join(ROOT, ".tmp", "llama.cpp");
/** The native build's directory. */
export const LLAMA_CPP_BUILD = path.join(LLAMA_CPP_SRC, "build");
/** llama-bench built natively for this CPU. */
export const LLAMA_BENCH = path.join(LLAMA_CPP_BUILD, "bin", "llama-bench");
/** llama-batched-bench (several sequences decoded in one batch), both builds: bench/serving.ts compares with it. */
export const LLAMA_BATCHED_BENCH = path.join(LLAMA_CPP_BUILD, "bin", "llama-batched-bench");
/** llama-bench linked against the installed prebuilt libraries (the libraries sit beside it, where ggml looks for its CPU variants). */
export const LLAMA_BENCH_SAME_BUILD = path.join(ROOT, ".tmp", "llama-bench-same-build", "llama-bench");
/** llama-batched-bench linked against the installed prebuilt libraries (they ship llama.cpp's common library too). */
export const LLAMA_BATCHED_BENCH_SAME_BUILD = path.join(ROOT, ".tmp", "llama-bench-same-build", "llama-batched-bench");
/** llama-perplexity (perplexity and HellaSwag scoring), both builds: bench/quality.ts and the quality test compare with it. */
export const LLAMA_PERPLEXITY = path.join(LLAMA_CPP_BUILD, "bin", "llama-perplexity");
export const LLAMA_PERPLEXITY_SAME_BUILD = path.join(ROOT, ".tmp", "llama-bench-same-build", "llama-perplexity");
/** With it set to 1 the patched llama-perplexity --hellaswag takes the tasks in order and logs each choice. */
export const HELLASWAG_IN_ORDER_ENV = "LLAMA_HELLASWAG_IN_ORDER";
/** The environment variable the patched llama-bench reads. */
export const NO_THREADPOOL_ENV = "LLAMA_BENCH_NO_THREADPOOL";
