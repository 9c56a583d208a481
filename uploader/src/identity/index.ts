export * from "./key-store.js";
export * from "./user-config.js";
