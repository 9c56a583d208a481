/**
 * Running external tools (vcgencmd, nvidia-smi, cmd: meters) with a timeout.
 * Tools are found on config.toolPath when the config has one, so tests point
 * at fake executables without touching the process environment.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";

/** Absolute path of an executable on config.toolPath, else the bare name (the OS searches PATH). */
export function resolveTool(config: Pick<Config, "toolPath">, name: string): string {
  if (!config.toolPath) return name;
  for (const dir of config.toolPath.split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return name;
}

export interface ToolResult {
  stdout: string;
  stderr: string;
}

/** Run a program; rejects with a one-line reason on failure, non-zero exit or timeout. */
export function runTool(file: string, args: string[], timeoutMs: number): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 1 << 20, encoding: "utf8", killSignal: "SIGKILL" }, (err, stdout, stderr) => {
      if (err) {
        const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
        const why =
          e.code === "ENOENT"
            ? `${file}: not found`
            : e.killed
              ? `${path.basename(file)} timed out after ${timeoutMs} ms`
              : `${path.basename(file)} failed (${typeof e.code === "number" ? `exit ${e.code}` : (e.code ?? e.message)})${stderr.trim() ? `: ${stderr.trim().split("\n").slice(-1)[0]}` : ""}`;
        reject(Object.assign(new Error(why), { code: e.code }));
        return;
      }
      resolve({ stdout, stderr });
    });
  });
}
