/**
 * A Graph request the simulator refuses with a Graph error body (400 unsupported query, 404 unknown
 * resource...). Route code throws it; the Graph handler turns it into `graphError(status, code, message)`.
 */
import { SeatwiseError } from "../../../core/errors.ts";

export class GraphQueryError extends SeatwiseError {
  readonly status: number;
  /** The Graph `error.code`, e.g. `Request_UnsupportedQuery`. */
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super("graph.simulated", message);
    this.status = status;
    this.code = code;
  }
}
