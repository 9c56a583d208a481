/** How the runner reports what it is doing (the CLI draws it on stderr). */
export interface Progress {
  /** A step worth keeping in the log. */
  line(text: string): void;
  /** Transient status (a spinner line on a terminal, dropped in plain mode). */
  status(text: string): void;
  /** A download or other fraction; plain mode prints it at coarse steps. */
  fraction(label: string, done: number, total: number): void;
  /** Clears any transient line. */
  end(): void;
}

export const silentProgress: Progress = { line() {}, status() {}, fraction() {}, end() {} };
