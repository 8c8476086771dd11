/**
 * The one error base class of Seatwise. Every error the project throws on purpose is a
 * `SeatwiseError` or a subclass carrying the data a person (or Microsoft support) needs.
 * Only `cli/` turns these into text and exit codes.
 */
export class SeatwiseError extends Error {
  /** Stable machine-readable kind, e.g. `config.invalid`. */
  readonly kind: string;
  constructor(kind: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.kind = kind;
  }
}

/** One problem found while validating an input file: where it is and what is wrong. */
export interface Problem {
  /** File the problem is in (as given by the user). */
  file: string;
  /** 1-based line, 0 when unknown. */
  line: number;
  /** 1-based column, 0 when unknown. */
  col: number;
  /** Dotted path of the offending field, e.g. `rules[2].conditions.all[0].fact`. */
  path: string;
  message: string;
}

/** Formats a problem as `file:line:col: path: message`. */
export function formatProblem(p: Problem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.col}` : p.file;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** An input file (config, policy, plan) failed validation; carries every problem found. */
export class ValidationError extends SeatwiseError {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super("validation", problems.map(formatProblem).join("\n"));
    this.problems = problems;
  }
}

/** A Microsoft Graph (or Entra token endpoint) call failed. Keeps what support asks for. */
export class GraphError extends SeatwiseError {
  readonly status: number;
  /** Graph `error.code` (or OAuth `error` for the token endpoint); empty when the body had none. */
  readonly code: string;
  /** `request-id` response header or `innerError.request-id`. */
  readonly requestId: string;
  readonly method: string;
  /** URL without query secrets (Graph URLs carry none; the token endpoint body is never kept). */
  readonly url: string;
  constructor(init: { status: number; code: string; message: string; requestId: string; method: string; url: string; cause?: unknown }) {
    super("graph", `${init.method} ${init.url} -> ${init.status}${init.code ? ` ${init.code}` : ""}: ${init.message} (request-id ${init.requestId || "none"})`, { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.method = init.method;
    this.url = init.url;
  }
}

/** A safety rule refused an operation (stale snapshot, cap exceeded, insecure key file...). */
export class RefusalError extends SeatwiseError {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super("refused", message);
    this.reason = reason;
  }
}

/** The user asked for something that cannot work as given (unknown command, missing flag...). */
export class UsageError extends SeatwiseError {
  constructor(message: string) {
    super("usage", message);
  }
}
