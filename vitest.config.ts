import { defineConfig } from "vitest/config";

// Two worlds: the Worker runs inside workerd with a real local D1; the uploader,
// end-to-end and browser tests run in Node against real processes on 127.0.0.1.
export default defineConfig({
  test: {
    projects: ["test/workers/vitest.config.ts", "test/node/vitest.config.ts"],
  },
});
