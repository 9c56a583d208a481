import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.join(import.meta.dirname, "../..");

export default defineConfig({
  test: {
    name: "node",
    root,
    include: ["test/node/**/*.test.ts"],
    globalSetup: ["test/node/global-setup.ts"],
    // Real inference and real wrangler processes: generous, but bounded.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two cores: running files one at a time keeps timings honest and ports free.
    fileParallelism: false,
    // Every `edgebench run` a test starts includes the sustained test: 2 s of it, not the suite's 120 s.
    // No cooldown between tests (up to 60 s each on a machine with thermal zones); the cooldown tests ask for it.
    // The accuracy test over the first 8 HellaSwag tasks (a quick check), not all 400.
    env: { EDGEBENCH_SUSTAINED_SECONDS: "2", EDGEBENCH_COOLDOWN: "0", EDGEBENCH_ACCURACY_TASKS: "8" },
  },
});
