import { defineConfig } from "drizzle-kit";

// Flat SQL files in db/migrations: drizzle-kit's out, wrangler's migrations_dir
// and the folder the workerd tests read, all the same folder.
export default defineConfig({
  dialect: "sqlite",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
