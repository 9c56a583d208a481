/** The power layer's one error type: a message a user can act on. */
export class PowerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PowerError";
  }
}

/** Bad input (an unknown --meter, a cmd:/csv: meter without --scope): the run must not start. */
export class PowerUsageError extends PowerError {
  constructor(message: string) {
    super(message);
    this.name = "PowerUsageError";
  }
}

/** A short, single-line reason from anything thrown. */
export function reasonOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const line = msg.replace(/\s+/g, " ").trim();
  return (line || "unknown error").slice(0, 900);
}

export function errnoOf(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : undefined;
}
