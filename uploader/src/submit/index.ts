export * from "./backoff.js";
export * from "./deliver.js";
export * from "./post.js";
export * from "./server.js";
export * from "./submit-pending.js";
