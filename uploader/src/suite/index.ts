export { DEFAULT_SUITE, loadSuite, suiteDir } from "./load.js";
export type { Suite, SuiteDefinition, SuiteModel, SuiteTest } from "./schema.js";
