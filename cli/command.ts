/** The shape every `seatwise` command module exports; `cli/main.ts` dispatches to them. */
/** A command: a one-line summary for `--help`, its own usage text, and the function it runs. */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Where a command writes; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
}
