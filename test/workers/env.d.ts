import type { D1Migration } from "@cloudflare/vitest-pool-workers";

declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      /** wrangler.toml [assets]: the site's static CSS and script. */
      ASSETS: Fetcher;
      /** Left without migrations by the setup: test/workers/migration-0006.test.ts migrates it step by step. */
      MIGRATION_DB: D1Database;
      TEST_MIGRATIONS: D1Migration[];
      RATE_LIMIT_PER_KEY?: string;
      RATE_LIMIT_PER_ADDRESS?: string;
      RATE_LIMIT_WINDOW_SECONDS?: string;
      ADMIN_TOKEN?: string;
      /** docs/scale.md, whose index table the query-plans test holds to the schema. */
      SCALE_DOC: string;
    }
  }
}
