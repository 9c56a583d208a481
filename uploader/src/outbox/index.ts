export * from "./atomic-write.js";
export * from "./outbox.js";
