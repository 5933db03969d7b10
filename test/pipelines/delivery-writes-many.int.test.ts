/**
 * A deliver job's writes at the size a run makes them: 600 deliveries, more than a statement of
 * bound values per row would take on SQLite (ledger/deliveries.ts makes its rows from one list of
 * version ids; ledger/delivery-outcomes.ts writes a job's outcomes from one JSON list). Every
 * delivery is made once, leased to its sender, and gets its own answer; a key answered twice
 * gets both answers in order, and one whose row moved since its sender read it keeps what it holds.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, withLedger } from '../ledger/backends.js';
import { newVersions } from '../ledger/fixtures.js';

const COUNT = 600;

for (const backend of BACKENDS) {
  describe(`a deliver job's writes of ${COUNT} deliveries (${backend.name} ledger)`, () => {
    it('makes each delivery once, leased to its sender, and writes each its own answer', async () => {
      await withLedger(backend, async (ledger) => {
        const ids = await newVersions(ledger, 'many', 1, COUNT);
        const owner = 'sender-a';
        const rows = await ledger.ensureDeliveries(ids, 'province', { owner, leaseMs: 60_000 });
        expect(rows.map((r) => r.versionId)).toEqual([...ids].sort((a, b) => a - b));
        expect(
          rows.every((r) => r.state === 'pending' && r.attempts === 0 && r.leaseHeld === undefined),
        ).toBe(true);
        // Made again (a retried job): nothing new, nothing changed.
        const again = await ledger.ensureDeliveries(ids, 'province', { owner: 'sender-b', leaseMs: 60_000 });
        expect(again.map((r) => r.key)).toEqual(rows.map((r) => r.key));
        expect(again.every((r) => r.leaseHeld)).toBe(true);

        const moved = rows[300]?.key as string;
        const twice = rows[599]?.key as string;
        // Another job's answer on one of them, after this sender read it.
        expect(await ledger.recordDeliveryOutcomes([{ key: moved, state: 'submitted' }])).toEqual([moved]);
        const outcomes = rows.map((r, i) => ({
          key: r.key,
          state: i % 50 === 7 ? ('dead' as const) : ('accepted' as const),
          ...(i % 50 === 7 ? { reasons: [`platform: rejected (${i})`] } : { platformId: `P-${i}` }),
          receipt: { platformId: `P-${i}`, seq: i },
          from: r.state,
          revision: r.revision,
          unleased: { owner },
        }));
        const written = await ledger.recordDeliveryOutcomes([
          ...outcomes,
          // The same key again, after its first answer: an accepted row is final.
          { key: twice, state: 'dead', reasons: ['late'] },
        ]);
        expect(written).toEqual(rows.map((r) => r.key).filter((k) => k !== moved));

        const after = new Map((await ledger.getDeliveries(rows.map((r) => r.key))).map((r) => [r.key, r]));
        rows.forEach((r, i) => {
          const got = after.get(r.key);
          if (r.key === moved) {
            expect(got).toMatchObject({ state: 'submitted', attempts: 1 });
            return;
          }
          if (i % 50 === 7) {
            expect(got).toMatchObject({ state: 'dead', attempts: 1, reasons: [`platform: rejected (${i})`] });
            return;
          }
          expect(got).toMatchObject({ state: 'accepted', attempts: 1, platformId: `P-${i}` });
          expect(got?.receipt).toEqual({ platformId: `P-${i}`, seq: i });
        });
      });
    });
  });
}
