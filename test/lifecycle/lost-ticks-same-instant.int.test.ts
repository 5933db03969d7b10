/**
 * Lost lifecycle ticks are listed oldest first by the ledger's clock (ledger/lost-ticks.ts), which
 * keeps milliseconds: two losses recorded within one share their instant, and are then listed by
 * job id, not in the order they were recorded — the ledger keeps no such order, and `status`
 * (observability/tick-attention.ts) names lost days, not which loss came first. The same read twice
 * lists them the same way.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../ledger/backends.js';
import { ledgerPerTest } from '../ledger/ledger-per-test.js';
import { rawKnex } from '../ledger/raw-knex.js';

describe.each(BACKENDS)('lost lifecycle ticks of one instant ($name)', (backend) => {
  const open = ledgerPerTest(backend);

  it('lists them oldest first, then by job id', async () => {
    const { ledger, database } = await open();
    const scheduled = 'repeat:lifecycle-tick:1';
    const copy = 'lifecycle-tick-restored-2026-12-06-stalled-1';
    const earlier = 'repeat:lifecycle-tick:0';
    await ledger.lostTicks.record({ jobId: scheduled, day: '2026-12-07', reason: 'given up' });
    await ledger.lostTicks.record({ jobId: copy, day: '2026-12-06', reason: 'given up' });
    await ledger.lostTicks.record({ jobId: earlier, day: '2026-12-05', reason: 'given up' });
    const raw = rawKnex(database.url);
    try {
      await raw('lifecycle_lost_ticks')
        .whereIn('job_id', [scheduled, copy])
        .update({ lost_at: '2026-12-07T01:02:03.456Z' });
      await raw('lifecycle_lost_ticks')
        .where('job_id', earlier)
        .update({ lost_at: '2026-12-07T01:02:03.455Z' });
    } finally {
      await raw.destroy();
    }
    const expected = [
      [earlier, '2026-12-05'],
      [copy, '2026-12-06'],
      [scheduled, '2026-12-07'],
    ];
    expect((await ledger.lostTicks.unsettled()).map((t) => [t.jobId, t.day])).toEqual(expected);
    expect((await ledger.lostTicks.unsettled()).map((t) => [t.jobId, t.day])).toEqual(expected);
  });
});
