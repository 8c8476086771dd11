import { describe, expect, it } from "vitest";
import { nextCronTime, parseCron, type CronSchedule } from "./parse-cron.ts";
import { runSchedule, type ScheduleEvent } from "./run-schedule.ts";

const cron = (e: string): CronSchedule => {
  const r = parseCron(e);
  if (!r.ok) throw new Error(r.problem.message);
  return r.schedule;
};
const at = (iso: string) => new Date(iso);

describe("parseCron / nextCronTime", () => {
  it("finds the next daily 03:00", () => {
    expect(nextCronTime(cron("0 3 * * *"), at("2026-11-26T10:00:00Z")).toISOString()).toBe("2026-11-27T03:00:00.000Z");
    expect(nextCronTime(cron("0 3 * * *"), at("2026-11-26T02:59:30Z")).toISOString()).toBe("2026-11-26T03:00:00.000Z");
  });

  it("handles steps, ranges, lists and weekdays (7 = Sunday)", () => {
    expect(nextCronTime(cron("*/15 * * * *"), at("2026-11-26T10:07:00Z")).toISOString()).toBe("2026-11-26T10:15:00.000Z");
    expect(nextCronTime(cron("30 8 * * 1-5"), at("2026-11-27T09:00:00Z")).toISOString()).toBe("2026-11-30T08:30:00.000Z");
    expect(nextCronTime(cron("0 0 * * 7"), at("2026-11-26T00:00:00Z")).toISOString()).toBe("2026-11-29T00:00:00.000Z");
    expect(nextCronTime(cron("0 6 1,15 * *"), at("2026-11-16T00:00:00Z")).toISOString()).toBe("2026-12-01T06:00:00.000Z");
    expect(nextCronTime(cron("0 0 29 2 *"), at("2026-03-01T00:00:00Z")).toISOString()).toBe("2028-02-29T00:00:00.000Z");
  });

  it("names the bad field and its column", () => {
    expect(parseCron("0 3 * *")).toMatchObject({ ok: false, problem: { message: expect.stringContaining("expected 5 fields") } });
    expect(parseCron("0 25 * * *")).toMatchObject({ ok: false, problem: { col: 3, path: "cron.hour", message: '"25" is outside 0-23' } });
    expect(parseCron("0 3 * * mon")).toMatchObject({ ok: false, problem: { path: "cron.day of week" } });
  });
});

describe("runSchedule", () => {
  function fakeClock(start: string) {
    let now = at(start).getTime();
    return {
      advance: (ms: number) => void (now += ms),
      clock: { now: () => new Date(now), sleep: async (ms: number) => void (now += ms) },
    };
  }

  it("survives a failed run and keeps the schedule", async () => {
    const { clock } = fakeClock("2026-11-26T10:00:30Z");
    const events: ScheduleEvent[] = [];
    let n = 0;
    const runs = await runSchedule({
      schedule: cron("*/10 * * * *"),
      clock,
      signal: new AbortController().signal,
      maxRuns: 3,
      onEvent: (e) => events.push(e),
      job: async () => {
        n++;
        if (n === 2) throw new Error("Graph down");
        return n;
      },
    });
    expect(runs).toBe(3);
    expect(events.filter((e) => e.type === "started").map((e) => (e as { at: Date }).at.toISOString())).toEqual([
      "2026-11-26T10:10:00.000Z",
      "2026-11-26T10:20:00.000Z",
      "2026-11-26T10:30:00.000Z",
    ]);
    expect(events.filter((e) => e.type === "failed")).toHaveLength(1);
  });

  it("never starts a run while one is going: an overrun skips the missed slots", async () => {
    const { clock, advance } = fakeClock("2026-11-26T10:00:30Z");
    const events: ScheduleEvent[] = [];
    let active = 0;
    let maxActive = 0;
    await runSchedule({
      schedule: cron("*/10 * * * *"),
      clock,
      signal: new AbortController().signal,
      maxRuns: 2,
      onEvent: (e) => events.push(e),
      job: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        advance(25 * 60_000); // the run takes 25 minutes
        active--;
      },
    });
    expect(maxActive).toBe(1);
    expect(events.filter((e) => e.type === "skipped").map((e) => (e as { slot: Date }).slot.toISOString())).toEqual([
      "2026-11-26T10:20:00.000Z",
      "2026-11-26T10:30:00.000Z",
      "2026-11-26T10:50:00.000Z",
      "2026-11-26T11:00:00.000Z",
    ]);
    expect(events.filter((e) => e.type === "started").map((e) => (e as { at: Date }).at.toISOString())).toEqual(["2026-11-26T10:10:00.000Z", "2026-11-26T10:40:00.000Z"]);
  });

  it("stops when aborted", async () => {
    const ac = new AbortController();
    ac.abort();
    const runs = await runSchedule({ schedule: cron("* * * * *"), clock: fakeClock("2026-11-26T10:00:00Z").clock, signal: ac.signal, onEvent: () => undefined, job: async () => 1 });
    expect(runs).toBe(0);
  });
});
