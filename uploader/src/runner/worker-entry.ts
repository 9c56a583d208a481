/** Entry point of the per-model child process (bundled as dist/worker.mjs). */
import { childMain } from "./child.js";

childMain().catch((err: unknown) => {
  process.stderr.write(`edgebench worker: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(70);
});
