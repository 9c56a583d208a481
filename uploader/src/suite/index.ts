export { loadSuite, suiteDir, DEFAULT_SUITE } from "./load.js";
export type { Suite, SuiteTest, SuiteModel, SuiteDefinition } from "./schema.js";
