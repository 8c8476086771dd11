/**
 * `seatwise reclaim history`: every apply and rollback run from the journal with its counts and the
 * monthly savings it realized (a rollback gives back what its apply saved, so it counts negative).
 */
import type { ReclaimJournalRepository, ReclaimRunRecord } from "../store/reclaim-journal-repository.ts";

export interface HistoryEntry extends ReclaimRunRecord {
  counts: Record<"planned" | "pending" | "done" | "already" | "skipped" | "failed", number>;
  /** Sum of the monthly savings of the actions done (negative for a rollback). */
  realizedMonthlySavings: number;
}

/** Reads the history, newest first. */
export async function readReclaimHistory(journal: ReclaimJournalRepository, tenantId?: string): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  for (const run of await journal.list(tenantId)) {
    const counts = { planned: 0, pending: 0, done: 0, already: 0, skipped: 0, failed: 0 };
    let realized = 0;
    for (const a of await journal.actions(run.runId)) {
      counts[a.status]++;
      if (a.status === "done") realized += a.monthlySavings;
    }
    entries.push({ ...run, counts, realizedMonthlySavings: Math.round(realized * 100) / 100 });
  }
  return entries;
}

/** A table of the history for the terminal. */
export function formatReclaimHistory(entries: readonly HistoryEntry[]): string {
  if (entries.length === 0) return "No reclamation runs in this store.\n";
  const lines = entries.map((e) => {
    const what = e.kind === "rollback" ? `rollback of ${e.rollbackOf}` : `apply of plan ${e.planId}`;
    const c = e.counts;
    const open = c.planned + c.pending > 0 ? `, ${c.planned + c.pending} unfinished` : "";
    return (
      `${e.runId}  ${e.startedAt}  ${e.status.padEnd(8)}  ${what}\n` +
      `    ${c.done} done, ${c.already} already, ${c.skipped} skipped, ${c.failed} failed${open}; realized ${e.realizedMonthlySavings.toFixed(2)} ${e.currency}/month` +
      (e.detail ? `\n    ${e.detail}` : "")
    );
  });
  const total = entries.reduce((n, e) => n + e.realizedMonthlySavings, 0);
  const currencies = [...new Set(entries.map((e) => e.currency))];
  return `${lines.join("\n")}\nNet realized: ${total.toFixed(2)} ${currencies.join("/")}/month\n`;
}
