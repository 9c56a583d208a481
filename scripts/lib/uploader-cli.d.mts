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
export declare function runNode(
  args: string[],
  options?: { cwd?: string; env?: NodeJS.ProcessEnv; inherit?: boolean; timeoutMs?: number },
): Promise<NodeRun>;
export declare function runCli(
  args: string[],
  options?: { cwd?: string; env?: NodeJS.ProcessEnv; inherit?: boolean; timeoutMs?: number },
): Promise<NodeRun>;
