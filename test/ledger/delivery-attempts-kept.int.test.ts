/**
 * `delivery_attempts_total` and `delivery_retries_total` are counters summed from the ledger's
 * deliveries (ledger.deliveryCounts). A replay of a dead letter and a repair's reopening put a
 * delivery's `attempts` back to 0, and the sums went down with it: Prometheus reads a counter going
 * down as a restart from 0, so `increase()` counted every attempt still held as new, a false burst
 * of retries at each replay. The round's tries are now carried (migration 048): the sums never go
 * down, and the next round adds to them.
 */
import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { BACKENDS, withLedger } from './backends.js';
import { newVersions, uniqueName } from './fixtures.js';

/** Attempts and retries of the pipeline's deliveries, over every state. */
async function sums(ledger: Ledger, pipeline: string): Promise<{ attempts: number; retries: number }> {
  const rows = (await ledger.deliveryCounts()).filter((d) => d.pipeline === pipeline);
  return {
    attempts: rows.reduce((n, d) => n + d.attempts, 0),
    retries: rows.reduce((n, d) => n + d.retries, 0),
  };
}

describe.each(BACKENDS)('delivery attempt counts never go down ($name)', (backend) => {
  it('a replayed dead letter keeps its tries counted, and its next round adds', async () => {
    await withLedger(backend, async (ledger) => {
      const pipeline = uniqueName('attempts');
      const ids = await newVersions(ledger, pipeline, 1, 1);
      const [row] = await ledger.ensureDeliveries(ids, 'province');
      const key = row?.key ?? '';
      await ledger.recordDeliveryAttempt([key], { error: 'province: timeout', reason: 'timeout' });
      await ledger.recordDeliveryAttempt([key], { error: 'province: timeout', reason: 'timeout' });
      await ledger.recordDeliveryOutcomes([{ key, state: 'dead', reasons: ['province: timeout'] }]);
      expect(await sums(ledger, pipeline)).toEqual({ attempts: 3, retries: 2 });

      expect(await ledger.replayDeadLetters([key])).toHaveLength(1);
      expect(await sums(ledger, pipeline)).toEqual({ attempts: 3, retries: 2 });

      // The new round's first try is no retry; its second is.
      await ledger.recordDeliveryAttempt([key], { error: 'province: timeout', reason: 'timeout' });
      await ledger.recordDeliveryOutcomes([{ key, state: 'accepted', platformId: 'P-1' }]);
      expect(await sums(ledger, pipeline)).toEqual({ attempts: 5, retries: 3 });
    });
  });

  it('a delivery a repair reopens keeps its tries counted', async () => {
    await withLedger(backend, async (ledger) => {
      const pipeline = uniqueName('attempts');
      const ids = await newVersions(ledger, pipeline, 1, 1);
      const [row] = await ledger.ensureDeliveries(ids, 'province');
      const key = row?.key ?? '';
      await ledger.recordDeliveryAttempt([key], { error: 'province: timeout', reason: 'timeout' });
      await ledger.recordDeliveryOutcomes([{ key, state: 'accepted', platformId: 'P-1' }]);
      expect(await sums(ledger, pipeline)).toEqual({ attempts: 2, retries: 1 });

      expect(await ledger.reopenDeliveries([key], 'reconcile', 'reconcile r-1')).toBe(1);
      expect(await sums(ledger, pipeline)).toEqual({ attempts: 2, retries: 1 });

      await ledger.recordDeliveryOutcomes([{ key, state: 'accepted', platformId: 'P-1' }]);
      expect(await sums(ledger, pipeline)).toEqual({ attempts: 3, retries: 1 });
    });
  });
});
