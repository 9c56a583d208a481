/** Types for uploader-cli.mjs. */
export declare const CLI_PATH: string;
export declare function ensureUploaderBuilt(options?: { log?: (line: string) => void }): Promise<string>;
export interface NodeRun {
  code: number;
  signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
  stdout: string;
}
export interface RunNodeOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Also copy its output to this process's stdout/stderr as it arrives. */
  inherit?: boolean;
  /** SIGKILL its process group after this long. */
  timeoutMs?: number;
  onSpawn?: (child: import("node:child_process").ChildProcess) => void;
}
/** Runs `node ARGS` in its own process group. */
export declare function runNode(args: string[], options?: RunNodeOptions): Promise<NodeRun>;
export declare function runCli(args: string[], options?: RunNodeOptions): Promise<NodeRun>;
/** SIGINT to the child's process group, SIGKILL after graceMs. */
export declare function stopGroup(child: import("node:child_process").ChildProcess, graceMs?: number): Promise<void>;
