/**
 * What the released uploader costs on a board: installed size and start-up time.
 *
 * Packs uploader/ (npm pack), installs the tarball into temp directories from
 * this machine's npm cache with npm offline, and prints:
 *  1. installed size on linux-x64 (lean: --omit=optional + @node-llama-cpp/linux-x64;
 *     default: what plain `npm i` pulls, CUDA and Vulkan builds included) and on
 *     linux-arm64 (npm --cpu=arm64 --os=linux --libc=glibc --ignore-scripts: the
 *     tree a Raspberry Pi gets; its binary cannot run here, only be measured),
 *     split into the edgebench package, node-llama-cpp with its JS dependencies,
 *     and the prebuilt llama.cpp binaries;
 *  2. start-up time of the installed CLI, hyperfine-style: W warm-up runs, then N
 *     timed runs of `edgebench --version`, `edgebench detect --no-llama` and
 *     `edgebench detect` (loads node-llama-cpp and probes the backends), with the
 *     median and p90 wall time.
 *
 *   npm run bench -- startup        (or: node --import tsx bench/startup.ts)
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const UPLOADER = path.join(ROOT, "uploader");
const pkg = JSON.parse(fs.readFileSync(path.join(UPLOADER, "package.json"), "utf8")) as { version: string; dependencies: Record<string, string> };
const LLAMA_VERSION = pkg.dependencies["node-llama-cpp"]!;
const RUNS = { version: 20, detectNoLlama: 15, detect: 10 };
const WARMUP = 2;

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${(r.stdout + r.stderr).slice(-3000)}`);
  return r.stdout;
}

/** Apparent size in bytes of every file under dir (symlinks not followed). */
function bytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += fs.lstatSync(path.join(e.parentPath, e.name)).size;
  }
  return total;
}

const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

const work = fs.mkdtempSync(path.join(os.tmpdir(), "edgebench-bench-startup-"));
try {
  const packed = sh("npm", ["pack", "--json", "--pack-destination", work], UPLOADER);
  const tarball = path.join(work, (JSON.parse(packed.slice(packed.indexOf("["))) as [{ filename: string }])[0].filename);
  const npmEnv = { ...process.env, npm_config_update_notifier: "false", NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" };

  function install(name: string, extraArgs: string[], extraPkgs: string[] = []): string {
    const dir = path.join(work, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `bench-${name}`, private: true }));
    sh("npm", ["install", "--offline", "--no-audit", "--no-fund", "--no-package-lock", ...extraArgs, tarball, ...extraPkgs], dir, npmEnv);
    return dir;
  }

  const installs = [
    {
      label: "linux-x64, lean (--omit=optional + linux-x64)",
      dir: install("x64-lean", ["--omit=optional"], [`@node-llama-cpp/linux-x64@${LLAMA_VERSION}`]),
    },
    { label: "linux-x64, plain npm i (all x64 builds)", dir: install("x64-default", []) },
    {
      label: "linux-arm64 (what a Pi gets from plain npm i)",
      dir: install("arm64", ["--cpu=arm64", "--os=linux", "--libc=glibc", "--ignore-scripts"]),
    },
  ];

  console.log(
    `edgebench ${pkg.version}, node-llama-cpp ${LLAMA_VERSION}, Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()})`,
  );
  console.log("\nInstalled size (apparent bytes of files under node_modules)");
  console.log("| install | edgebench itself | node-llama-cpp + JS deps | llama.cpp binaries | total without binaries | total | binary packages |");
  console.log("|---|---|---|---|---|---|---|");
  for (const { label, dir } of installs) {
    const nm = path.join(dir, "node_modules");
    const own = bytes(path.join(nm, "edgebench"));
    const binDir = path.join(nm, "@node-llama-cpp");
    const binaries = bytes(binDir);
    const total = bytes(nm);
    const names = fs.existsSync(binDir) ? fs.readdirSync(binDir).join(", ") : "none";
    console.log(
      `| ${label} | ${mib(own)} | ${mib(total - own - binaries)} | ${mib(binaries)} | ${mib(total - binaries)} | ${mib(total)} | ${names} |`,
    );
  }

  function time(bin: string, args: string[], runs: number): number[] {
    const env = { ...process.env, HOME: work, EDGEBENCH_HOME: path.join(work, "home"), CI: "1" };
    const once = () => {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(bin, args, { env, stdio: ["ignore", "ignore", "pipe"] });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed: ${r.stderr}`);
      return ms;
    };
    for (let i = 0; i < WARMUP; i++) once();
    return Array.from({ length: runs }, once).sort((a, b) => a - b);
  }
  const q = (s: number[], p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;

  console.log(`\nStart-up time of the installed CLI (${WARMUP} warm-up runs, then N timed; wall clock, ms)`);
  console.log("| install | command | N | median | p90 | min | max |");
  console.log("|---|---|---|---|---|---|---|");
  for (const { label, dir } of installs.slice(0, 2)) {
    const bin = path.join(dir, "node_modules", ".bin", "edgebench");
    for (const [args, n] of [
      [["--version"], RUNS.version],
      [["detect", "--no-llama"], RUNS.detectNoLlama],
      [["detect"], RUNS.detect],
    ] as const) {
      const s = time(bin, [...args], n);
      console.log(
        `| ${label} | edgebench ${args.join(" ")} | ${n} | ${q(s, 0.5).toFixed(0)} | ${q(s, 0.9).toFixed(0)} | ${s[0]!.toFixed(0)} | ${s[s.length - 1]!.toFixed(0)} |`,
      );
    }
  }
  const bare = time(process.execPath, ["-e", "0"], RUNS.version);
  console.log(
    `| (reference) | node -e 0 | ${RUNS.version} | ${q(bare, 0.5).toFixed(0)} | ${q(bare, 0.9).toFixed(0)} | ${bare[0]!.toFixed(0)} | ${bare[bare.length - 1]!.toFixed(0)} |`,
  );
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
