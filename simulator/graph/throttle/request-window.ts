/**
 * A sliding window of request times with an injected clock: at most `limit` requests in any
 * `windowMs`. Graph's report limits are expressed this way (e.g. 14 CSV requests per 10 minutes).
 */

export interface RequestWindow {
  readonly limit: number;
  readonly windowMs: number;
  /** Accepted request times, oldest first (never more than `limit`). */
  times: number[];
}

export function createRequestWindow(limit: number, windowMs: number): RequestWindow {
  if (!(limit >= 1) || !(windowMs > 0)) throw new RangeError(`request window needs limit >= 1 and windowMs > 0 (got ${limit}, ${windowMs})`);
  return { limit, windowMs, times: [] };
}

function prune(win: RequestWindow, now: number): void {
  let drop = 0;
  while (drop < win.times.length && win.times[drop]! <= now - win.windowMs) drop++;
  if (drop > 0) win.times.splice(0, drop);
}

/** Milliseconds until one more request is allowed (0 when it is now). */
export function windowWait(win: RequestWindow, now: number): number {
  prune(win, now);
  if (win.times.length < win.limit) return 0;
  return win.times[0]! + win.windowMs - now;
}

/** Records a request; call only after `windowWait` returned 0 for the same `now`. */
export function record(win: RequestWindow, now: number): void {
  prune(win, now);
  win.times.push(now);
}

/** Share of the limit in use, in [0, 1]. */
export function windowUsedFraction(win: RequestWindow, now: number): number {
  prune(win, now);
  return win.times.length / win.limit;
}
