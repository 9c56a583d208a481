#!/usr/bin/env node
// `npm start`: the main job on this machine, end to end and offline.
//  1. applies the local D1 migrations and starts the registry Worker
//     (wrangler dev on 127.0.0.1, port 8787 when free; state in .wrangler/state),
//  2. builds the uploader and makes the tiny test model in .tmp/models if missing
//     (no model can be downloaded here; it has random weights, so its text is
//     garbage but its timings are honest),
//  3. runs the standard suite on this machine with whatever power meter it finds
//     (none: energy is recorded as not measured), a 5 s idle baseline to keep
//     the demo quick, signs with a demo key kept in .tmp/home (not your own
//     ~/.config/edgebench key) and submits to the local registry,
//  4. prints the result and leaderboard URLs and serves until Ctrl-C.
// Arguments after `--` go to `edgebench run`, e.g. `npm start -- --meter shelly:10.0.0.5`
// or `npm start -- --threads 1 --no-perplexity`.
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT, startLocalRegistry } from "./lib/local-registry.mjs";
import { ensureUploaderBuilt, runCli, stopGroup } from "./lib/uploader-cli.mjs";

// The e2e test points these elsewhere so it leaves the developer's state alone.
const STATE_DIR = path.resolve(process.env.EDGEBENCH_START_STATE || path.join(REPO_ROOT, ".wrangler/state"));
const MODEL = path.join(REPO_ROOT, ".tmp/models/tiny-q8_0.gguf");
const DEMO_HOME = path.resolve(process.env.EDGEBENCH_START_HOME || path.join(REPO_ROOT, ".tmp/home"));
const IDLE_SECONDS = 5;

const say = (line) => process.stdout.write(`[edgebench] ${line}\n`);

let registry;
/** The CLI process running now (synth-model, run, outbox), stopped with us. */
let current;
const track = (child) => {
  current = child;
};
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  if (current) await stopGroup(current);
  if (registry) {
    say("stopping the local registry…");
    await registry.stop();
  }
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function main() {
  say("applying local D1 migrations and starting the registry on 127.0.0.1…");
  registry = await startLocalRegistry({ persistDir: STATE_DIR, preferredPort: 8787 });
  say(`registry up at ${registry.url} (local D1 in ${path.relative(REPO_ROOT, STATE_DIR)})`);

  await ensureUploaderBuilt({ log: say });
  const env = { EDGEBENCH_HOME: DEMO_HOME };
  if (!(await stat(MODEL).catch(() => undefined))) {
    await mkdir(path.dirname(MODEL), { recursive: true });
    say(`making the tiny test model ${path.relative(REPO_ROOT, MODEL)}…`);
    const made = await runCli(["synth-model", "--preset", "tiny", "--out", MODEL], { env, inherit: true, onSpawn: track });
    if (made.code !== 0) throw new Error(`synth-model failed (exit ${made.code})`);
  }

  say(
    `running the standard suite on this machine (tiny model, meter auto, ${IDLE_SECONDS} s idle baseline); key and outbox in ${path.relative(REPO_ROOT, DEMO_HOME)}`,
  );
  const run = await runCli(
    // --submit-synthetic: the tiny model is one edgebench generated, which `run` otherwise keeps off every registry.
    [
      "run",
      "--model",
      MODEL,
      "--meter",
      "auto",
      "--idle-seconds",
      String(IDLE_SECONDS),
      "--submit-synthetic",
      "--server",
      registry.url,
      ...process.argv.slice(2),
    ],
    { env, inherit: true, onSpawn: track },
  );
  if (run.code !== 0) say(`edgebench run exited with ${run.code}; the registry keeps serving (see the output above)`);

  // The run signs, queues and submits through the outbox; the receipt for this
  // run's id (printed as "queued <id>") says where the registry stored it.
  const id = run.output.match(/queued ([0-9a-f]{64})/)?.[1];
  const listing = await runCli(["outbox", "--json"], { env, onSpawn: track });
  let receipt;
  try {
    receipt = id && (JSON.parse(listing.stdout).sent ?? []).find((r) => r.id === id);
  } catch {
    /* reported below */
  }
  if (receipt) {
    say(`result:      ${registry.url}/results/${receipt.id}`);
    say(`result JSON: ${receipt.url ?? `${registry.url}/api/v1/submissions/${receipt.id}`}`);
  } else {
    say("no result was delivered this time (see above; `EDGEBENCH_HOME=.tmp/home npx edgebench outbox`)");
  }
  // The run above is on a model edgebench generated: test data, which the rankings show only when asked.
  say(`leaderboard: ${registry.url}/?test=1`);
  say(`API:         ${registry.url}/api`);
  say("serving until Ctrl-C…");
}

main().catch(async (err) => {
  process.stderr.write(`[edgebench] npm start failed: ${err?.message ?? err}\n`);
  await shutdown(1);
});
