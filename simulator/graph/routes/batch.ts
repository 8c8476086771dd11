/**
 * JSON batching (`POST /$batch`): up to 20 requests, each run through the same pipeline as a top-level
 * request (authentication with the batch's bearer token, authorization, throttling per item — an inner
 * 429 carries its own `Retry-After` header — and the route), `dependsOn` honoured. The outer response
 * is 200 with `{ responses: [{ id, status, headers, body }] }` in request order.
 *
 * `$batch` is not a `GraphRoute`: it has no permission of its own and needs the pipeline to run its
 * items, so the Graph handler calls `parseBatch` and `runBatch` directly.
 */
import { GraphQueryError } from "../odata/graph-query-error.ts";

/** "JSON batch requests are currently limited to 20 individual requests." (graph-api-facts.md §8) */
export const BATCH_MAX_REQUESTS = 20;

export interface BatchItemRequest {
  id: string;
  method: string;
  /** Relative URL without the version, e.g. `/users?$top=5` (a leading slash is optional). */
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

export interface BatchItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Runs one item through the Graph pipeline. */
export type BatchDispatch = (item: BatchItemRequest) => Promise<Omit<BatchItemResponse, "id">>;

function bad(message: string): GraphQueryError {
  return new GraphQueryError(400, "BadRequest", message);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Validates a batch payload; 400 `BadRequest` for a malformed payload, more than 20 requests, bad ids or dependencies. */
export function parseBatch(payload: unknown): BatchItemRequest[] {
  if (!isRecord(payload) || !Array.isArray(payload.requests)) throw bad("Invalid batch payload format: a 'requests' array is required.");
  const raw = payload.requests;
  if (raw.length === 0) throw bad("Invalid batch payload format: the batch contains no requests.");
  if (raw.length > BATCH_MAX_REQUESTS) throw bad(`Invalid batch payload format: the batch contains ${raw.length} requests; the limit is ${BATCH_MAX_REQUESTS}.`);
  const items: BatchItemRequest[] = [];
  const ids = new Set<string>();
  for (const [i, r] of raw.entries()) {
    if (!isRecord(r)) throw bad(`Invalid batch payload format: request ${i} is not an object.`);
    const id = typeof r.id === "number" ? String(r.id) : r.id;
    if (typeof id !== "string" || id === "") throw bad(`Invalid batch payload format: request ${i} has no id.`);
    if (ids.has(id)) throw bad(`Invalid batch payload format: the request id '${id}' is used more than once.`);
    ids.add(id);
    if (typeof r.method !== "string" || typeof r.url !== "string") throw bad(`Invalid batch payload format: request '${id}' needs a method and a url.`);
    if (/^https?:/i.test(r.url)) throw bad(`Invalid batch payload format: request '${id}' must use a relative url.`);
    const headers: Record<string, string> = {};
    if (r.headers !== undefined) {
      if (!isRecord(r.headers)) throw bad(`Invalid batch payload format: headers of request '${id}' must be an object.`);
      for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = String(v);
    }
    const dependsOn = r.dependsOn === undefined ? [] : r.dependsOn;
    if (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== "string")) throw bad(`Invalid batch payload format: dependsOn of request '${id}' must be an array of ids.`);
    items.push({ id, method: r.method.toUpperCase(), url: r.url, headers, body: r.body, dependsOn: dependsOn as string[] });
  }
  for (const item of items) {
    for (const d of item.dependsOn) if (!ids.has(d)) throw bad(`Invalid batch payload format: request '${item.id}' depends on unknown request '${d}'.`);
  }
  // A dependency cycle could never run.
  const state = new Map<string, "visiting" | "done">();
  const byId = new Map(items.map((it) => [it.id, it]));
  const visit = (id: string): void => {
    if (state.get(id) === "done") return;
    if (state.get(id) === "visiting") throw bad(`Invalid batch payload format: dependsOn of request '${id}' forms a cycle.`);
    state.set(id, "visiting");
    for (const d of byId.get(id)!.dependsOn) visit(d);
    state.set(id, "done");
  };
  for (const it of items) visit(it.id);
  return items;
}

/**
 * Runs the items one at a time, each after its dependencies; an item whose dependency did not succeed
 * (status outside 2xx) answers 424 Failed Dependency without running.
 */
export async function runBatch(items: readonly BatchItemRequest[], dispatch: BatchDispatch): Promise<{ responses: BatchItemResponse[] }> {
  const done = new Map<string, BatchItemResponse>();
  const byId = new Map(items.map((it) => [it.id, it]));
  const run = async (item: BatchItemRequest): Promise<BatchItemResponse> => {
    const existing = done.get(item.id);
    if (existing) return existing;
    let failedDependency = false;
    for (const d of item.dependsOn) {
      const dep = await run(byId.get(d)!);
      if (dep.status < 200 || dep.status > 299) failedDependency = true;
    }
    const response: BatchItemResponse = failedDependency
      ? { id: item.id, status: 424, headers: {}, body: { error: { code: "FailedDependency", message: "Failed dependency." } } }
      : { id: item.id, ...(await dispatch(item)) };
    done.set(item.id, response);
    return response;
  };
  for (const it of items) await run(it);
  return { responses: items.map((it) => done.get(it.id)!) };
}
