/**
 * The edgebench contract: the result document schema, the signing rule and the
 * metric definitions. Imported by the uploader and by the Worker alike.
 */

export * from "./base64url.js";
export * from "./battery.js";
export * from "./canonical.js";
export * from "./hellaswag.js";
export * from "./metrics.js";
export * from "./schema.js";
export * from "./serving.js";
export * from "./signing.js";
export * from "./stats.js";
export * from "./synthetic.js";
export * from "./thermal.js";
export * from "./token-times.js";
