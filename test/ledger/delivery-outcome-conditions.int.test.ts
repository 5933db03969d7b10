/**
 * What a delivery's writes may overwrite. A failed send counts only on a delivery still open (the
 * state its sender read): another job's `submitted`, `accepted` or dead letter stays as it wrote it,
 * with no failure named on it. A plain `submitted` does not bring a dead letter back, nor anything
 * but `accepted` a discarded one. A job giving up on its open deliveries writes only while the row
 * is as it read it, reopenings and replays included: those put `attempts` back to 0, so a count
 * read before them may be met again (the `revision` it reads never comes back).
 */
import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { deadLetterOpen } from '../../pipelines/delivery-policy.js';
import { meanwhile } from '../support/meanwhile.js';
import { BACKENDS, withLedger } from './backends.js';
import { newVersions } from './fixtures.js';

for (const backend of BACKENDS) {
  describe(`delivery writes decided from an older read (${backend.name} ledger)`, () => {
    let n = 0;
    /** New versions of `count` licenses of `pipeline`, committed as one run; their ids. */
    async function versions(ledger: Ledger, pipeline: string, count: number): Promise<number[]> {
      n += count;
      return newVersions(ledger, pipeline, n - count + 1, count);
    }

    it('a failed send leaves a delivery another job answered meanwhile as it wrote it', async () => {
      await withLedger(backend, async (ledger) => {
        const ids = await versions(ledger, 'conds', 4);
        const rows = await ledger.ensureDeliveries(ids, 'province');
        const [submitted, accepted, dead, open] = rows.map((r) => r.key) as [string, string, string, string];
        // Another job (its sender's lease ran out, this one took over) recorded its answers.
        await ledger.recordDeliveryOutcomes([
          { key: submitted, state: 'submitted', platformId: 'P-1' },
          { key: accepted, state: 'accepted', platformId: 'P-2' },
          { key: dead, state: 'dead', reasons: ['platform: rejected (zzbh)'] },
        ]);
        const before = new Map((await ledger.getDeliveries(rows.map((r) => r.key))).map((r) => [r.key, r]));
        await ledger.recordDeliveryAttempt([submitted, accepted, dead, open], {
          error: 'target: province: ECONNRESET',
          reason: 'unreachable',
        });

        const after = new Map((await ledger.getDeliveries(rows.map((r) => r.key))).map((r) => [r.key, r]));
        for (const key of [submitted, accepted, dead]) {
          expect(after.get(key)).toMatchObject({
            state: before.get(key)?.state,
            attempts: before.get(key)?.attempts,
            lastError: null,
          });
        }
        expect(after.get(open)).toMatchObject({
          state: 'pending',
          attempts: 1,
          lastError: 'target: province: ECONNRESET',
        });
        // Not a status check failing: the platform holds it for review and nothing failed since.
        expect(await ledger.failingStatusChecks('province')).toEqual([]);
      });
    });

    it('a plain submitted does not bring a dead letter back; a discarded one moves only to accepted', async () => {
      await withLedger(backend, async (ledger) => {
        const ids = await versions(ledger, 'conds', 3);
        const rows = await ledger.ensureDeliveries(ids, 'province');
        const [dead, discarded, landed] = rows.map((r) => r.key) as [string, string, string];
        const reasons = ['platform: rejected (zzbh)'];
        await ledger.recordDeliveryOutcomes([
          { key: dead, state: 'dead', reasons },
          { key: discarded, state: 'dead', reasons },
          { key: landed, state: 'dead', reasons },
        ]);
        await ledger.discardDeadLetters([discarded, landed]);

        // Answers of sends made before the verdicts, recorded late.
        const written = await ledger.recordDeliveryOutcomes([
          { key: dead, state: 'submitted', platformId: 'P-1' },
          { key: discarded, state: 'submitted', platformId: 'P-2' },
          { key: discarded, state: 'dead', reasons: ['later'] },
          { key: landed, state: 'accepted', platformId: 'P-3' },
        ]);
        expect(written).toEqual([landed]);
        const after = await ledger.getDeliveries([dead, discarded, landed]);
        expect(after.map((r) => [r.key, r.state])).toEqual([
          [dead, 'dead'],
          [discarded, 'discarded'],
          [landed, 'accepted'],
        ]);
      });
    });

    /** The ledger, its first write of outcomes preceded by `step` (after the caller's read). */
    const racing = (ledger: Ledger, step: () => Promise<void>): Ledger =>
      meanwhile(ledger, 'recordDeliveryOutcomes', step, { before: true });

    // Between its read and its write: another sender's rejection and the operator's replay, or an
    // acceptance and a reconciliation putting it back to be sent again (the platform lost it).
    for (const [what, meanwhileStep] of [
      [
        'replayed',
        async (ledger: Ledger, key: string) => {
          await ledger.recordDeliveryOutcomes([{ key, state: 'dead', reasons: ['platform: rejected'] }]);
          expect(await ledger.replayDeadLetters([key])).toHaveLength(1);
        },
      ],
      [
        'reopened',
        async (ledger: Ledger, key: string) => {
          await ledger.recordDeliveryOutcomes([{ key, state: 'accepted', platformId: 'P-1' }]);
          expect(await ledger.reopenDeliveries([key], 'reconcile', 'reconcile r-1')).toBe(1);
        },
      ],
    ] as const) {
      it(`a job giving up does not dead-letter a delivery ${what} after its read`, async () => {
        await withLedger(backend, async (ledger) => {
          const ids = await versions(ledger, 'conds', 1);
          const [row] = await ledger.ensureDeliveries(ids, 'province');
          const key = row?.key ?? '';
          const marked = await deadLetterOpen(
            racing(ledger, () => meanwhileStep(ledger, key)),
            ids,
            'province',
            new Error('deliver: gave up after 8 attempts'),
          );
          expect(marked).toBe(0);
          const [after] = await ledger.getDeliveries([key]);
          // Sent again from scratch (no attempt yet), not dead with the old job's error.
          expect(after).toMatchObject({ state: 'pending', attempts: 0, reasons: [] });
        });
      });
    }

    it('a job giving up still dead-letters what nobody wrote since its read', async () => {
      await withLedger(backend, async (ledger) => {
        const ids = await versions(ledger, 'conds', 1);
        const [row] = await ledger.ensureDeliveries(ids, 'province');
        const marked = await deadLetterOpen(ledger, ids, 'province', new Error('deliver: gave up'));
        expect(marked).toBe(1);
        const [after] = await ledger.getDeliveries([row?.key ?? '']);
        expect(after).toMatchObject({ state: 'dead', reasons: ['deliver: gave up'] });
        expect(after?.revision).toBeGreaterThan(row?.revision ?? 0);
      });
    });
  });
}
