/**
 * The CLI's exit codes, one meaning each, so a script can tell a typo from a
 * crashed model from a result left in the outbox. Printed in `--help` and
 * uploader/README.md from this list.
 */
export const EXIT = {
  ok: 0,
  /** A command that could not do what was asked for a reason none of the codes below names (`config get` of an unset key, a failed withdrawal). */
  failed: 1,
  /** Nothing was measured or sent: a bad flag or value, a suite or config file with an error, a meter named with --meter that cannot be opened. */
  usage: 2,
  /** The run finished and its document is complete, but one or more model runs failed (each with its reason in the document). */
  runsFailed: 3,
  /** A result was signed but not delivered: it stays queued in the outbox (registry out of reach or failing); `edgebench submit` sends it later. */
  queued: 4,
  /** The registry refused a result (kept in the outbox's rejected/ folder with the reason); sending it again will not help. */
  rejected: 5,
} as const;

/** The `--help` epilogue: each code and what it means. When several apply, the highest is returned. */
export const EXIT_CODES_HELP = `Exit codes (when several apply, the highest):
  0  ok
  1  the command failed for another reason (e.g. \`config get\` of a key that is not set)
  2  usage: a bad flag or value, a suite or config file with an error, a --meter that cannot be opened
  3  the run finished, but one or more model runs failed (the reasons are in the result)
  4  a result was not delivered and stays queued in the outbox (send it later with \`edgebench submit\`)
  5  the registry rejected a result (see the outbox's rejected/ folder)`;
