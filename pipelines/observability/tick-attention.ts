/**
 * What `status` says of a daily lifecycle tick a worker gave up (pipelines/lifecycle/lost-ticks.ts):
 * the day's expiries and reminders wait for a tick started after the loss to finish. One line per
 * lost day until such a tick settles it; the reason names the job and how it was lost, never a record.
 */
import type { Ledger } from '../../ledger/ledger.js';
import type { Attention } from './attention.js';

export async function lostTickAttention(ledger: Pick<Ledger, 'lostTicks'>): Promise<Attention[]> {
  const byDay = new Map<string, string[]>();
  for (const t of await ledger.lostTicks.unsettled()) {
    const reasons = byDay.get(t.day);
    if (reasons) reasons.push(t.reason);
    else byDay.set(t.day, [t.reason]);
  }
  return [...byDay].map(([day, reasons]) => ({
    kind: 'lifecycle-tick-lost',
    message: `lifecycle: the tick of ${day} was lost (${reasons.join('; ')}): the day's expiries and expiry reminders wait for a tick started after the loss to finish (the next day's, else none): run \`licbridge lifecycle run\` now, and see the worker logs for why it was given up`,
  }));
}
