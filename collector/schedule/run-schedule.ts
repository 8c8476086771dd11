/**
 * Runs a job on a cron schedule in one process: never two runs at once (a run that overruns its
 * next slot makes the scheduler skip to the following slot), and a failed run is reported and
 * survived. Time is injected, so the loop is tested without waiting.
 */
import { nextCronTime, type CronSchedule } from "./parse-cron.ts";

export interface ScheduleClock {
  now(): Date;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export type ScheduleEvent =
  | { type: "waiting"; next: Date }
  | { type: "started"; at: Date }
  | { type: "finished"; at: Date; result: unknown }
  | { type: "failed"; at: Date; error: unknown }
  | { type: "skipped"; slot: Date; reason: string };

export async function runSchedule(options: {
  schedule: CronSchedule;
  job: () => Promise<unknown>;
  clock: ScheduleClock;
  signal: AbortSignal;
  onEvent: (e: ScheduleEvent) => void;
  /** Stop after this many runs (tests); default unlimited. */
  maxRuns?: number;
}): Promise<number> {
  const { schedule, clock, signal } = options;
  let runs = 0;
  let next = nextCronTime(schedule, clock.now());
  while (!signal.aborted && runs < (options.maxRuns ?? Infinity)) {
    options.onEvent({ type: "waiting", next });
    const wait = next.getTime() - clock.now().getTime();
    if (wait > 0) await clock.sleep(wait, signal);
    if (signal.aborted) break;
    runs++;
    options.onEvent({ type: "started", at: clock.now() });
    try {
      const result = await options.job();
      options.onEvent({ type: "finished", at: clock.now(), result });
    } catch (error) {
      options.onEvent({ type: "failed", at: clock.now(), error });
    }
    const after = clock.now();
    let following = nextCronTime(schedule, next);
    while (following.getTime() <= after.getTime()) {
      options.onEvent({ type: "skipped", slot: following, reason: "the previous run was still going" });
      following = nextCronTime(schedule, following);
    }
    next = following;
  }
  return runs;
}
