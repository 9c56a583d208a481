/** Benchmarking runtimes reached over HTTP (OpenAI-compatible servers, Ollama). */
export { runHttpBenchmark, type HttpModel, type HttpRunOptions, type HttpRunResult } from "./run.js";
export { parseRuntimeSpec, RuntimeSpecError, HTTP_APIS, type HttpApi, type RuntimeSpec } from "./spec.js";
export { addHttpRuntimeOptions, httpRunOptions, type HttpCliOptions } from "./cli.js";
