import { readFileSync } from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const root = path.join(import.meta.dirname, "../..");

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, "db/migrations"));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: path.join(root, "wrangler.toml") },
        // Rate limits far above any test's upload count (test/workers/hardening-rate-limit.test.ts
        // passes its own low limits); a test-only admin token, never a real one.
        miniflare: {
          d1Databases: ["MIGRATION_DB"],
          bindings: {
            TEST_MIGRATIONS: migrations,
            RATE_LIMIT_PER_KEY: "1000000",
            RATE_LIMIT_PER_ADDRESS: "1000000",
            ADMIN_TOKEN: "test-admin-token-0123456789abcdef0123456789",
            // The aggregation pass after an upload starts at once (tests also wait for it themselves: helpers.ts settle).
            AGGREGATE_DELAY_MS: "0",
            // test/workers/query-plans.test.ts checks that the scaling notes list every index.
            SCALE_DOC: readFileSync(path.join(root, "docs/scale.md"), "utf8"),
          },
        },
      }),
    ],
    test: {
      name: "workers",
      root,
      include: ["test/workers/**/*.test.ts"],
      setupFiles: ["test/workers/apply-migrations.ts"],
    },
  };
});
