// Where `npm run build:llama-bench` puts llama.cpp's own llama-bench (built from
// node-llama-cpp's bundled source) and where bench/suite.ts looks for it.
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** The llama.cpp checkout the build uses. */
export const LLAMA_CPP_SRC = path.join(ROOT, ".tmp", "llama.cpp");
/** Its build directory. */
export const LLAMA_CPP_BUILD = path.join(LLAMA_CPP_SRC, "build");
/** The llama-bench binary. */
export const LLAMA_BENCH = path.join(LLAMA_CPP_BUILD, "bin", "llama-bench");
