/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week), pure, in UTC:
 * `*`, numbers, lists `1,15`, ranges `1-5`, steps `*\/15` and `10-50/10`; day-of-week 0–7 (0 and 7 =
 * Sunday). When both day fields are restricted a day matches either, as in Vixie cron.
 */
import type { Problem } from "../../core/errors.ts";

export interface CronSchedule {
  source: string;
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  domRestricted: boolean;
  dowRestricted: boolean;
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

export function parseCron(expr: string): { ok: true; schedule: CronSchedule } | { ok: false; problem: Omit<Problem, "file" | "line"> } {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) return { ok: false, problem: { col: 1, path: "cron", message: `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length} in "${expr}"` } };
  const sets: Set<number>[] = [];
  let col = 1;
  for (const [i, part] of parts.entries()) {
    const f = FIELDS[i]!;
    const set = new Set<number>();
    for (const item of part.split(",")) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
      if (!m) return { ok: false, problem: { col, path: `cron.${f.name}`, message: `"${item}" is not a number, range, list or step` } };
      const lo = m[1] === "*" ? f.min : Number(m[2]);
      const hi = m[1] === "*" ? f.max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? f.max : lo;
      const step = m[4] !== undefined ? Number(m[4]) : 1;
      if (lo < f.min || hi > f.max || lo > hi || step < 1) return { ok: false, problem: { col, path: `cron.${f.name}`, message: `"${item}" is outside ${f.min}-${f.max}` } };
      for (let v = lo; v <= hi; v += step) set.add(i === 4 && v === 7 ? 0 : v);
    }
    sets.push(set);
    col += part.length + 1;
  }
  return {
    ok: true,
    schedule: {
      source: expr,
      minutes: sets[0]!,
      hours: sets[1]!,
      daysOfMonth: sets[2]!,
      months: sets[3]!,
      daysOfWeek: sets[4]!,
      domRestricted: parts[2] !== "*",
      dowRestricted: parts[4] !== "*",
    },
  };
}

/** The first minute strictly after `after` (UTC) that the schedule matches. */
export function nextCronTime(s: CronSchedule, after: Date): Date {
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  // Four years of minutes bounds the search (Feb 29 schedules).
  for (let i = 0; i < 4 * 366 * 24 * 60; i++) {
    if (!s.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    const dom = s.daysOfMonth.has(t.getUTCDate());
    const dow = s.daysOfWeek.has(t.getUTCDay());
    const dayOk = s.domRestricted && s.dowRestricted ? dom || dow : s.domRestricted ? dom : s.dowRestricted ? dow : true;
    if (!dayOk) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!s.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!s.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return t;
  }
  throw new Error(`cron "${s.source}" never matches`);
}
