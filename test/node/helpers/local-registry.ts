/**
 * The local registry for Node tests (e2e and browser): real `wrangler dev` on
 * 127.0.0.1 with a real local D1. The implementation is plain ESM in
 * scripts/lib/ because `npm start` uses it too; this re-export gives TS tests
 * one import path.
 */
export {
  applyLocalMigrations,
  freePort,
  type LocalRegistry,
  type LocalRegistryOptions,
  REPO_ROOT,
  runWrangler,
  startLocalRegistry,
} from "../../../scripts/lib/local-registry.mjs";
