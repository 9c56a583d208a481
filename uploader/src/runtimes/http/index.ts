/** Benchmarking runtimes reached over HTTP (OpenAI-compatible servers, Ollama). */

export { addHttpRuntimeOptions, type HttpCliOptions, httpRunOptions } from "./cli.js";
export { type HttpModel, type HttpRunOptions, type HttpRunResult, runHttpBenchmark } from "./run.js";
export { HTTP_APIS, type HttpApi, parseRuntimeSpec, type RuntimeSpec, RuntimeSpecError } from "./spec.js";
