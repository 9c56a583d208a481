export * from "./backoff.js";
export * from "./server.js";
export * from "./post.js";
export * from "./submit-pending.js";
export * from "./deliver.js";
