/** Process exit codes of the `seatwise` command. */
export const EXIT = {
  ok: 0,
  /** Something failed at run time (Graph error, I/O error...). */
  failure: 1,
  /** Invalid input: configuration, policy or plan file, or command-line usage. */
  invalidInput: 2,
  /** A safety limit refused the operation. */
  refused: 3,
} as const;
