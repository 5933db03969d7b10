/**
 * A batch of outcomes is written in statements of a few fixed sizes on SQLite, the last one filled
 * with copies of its last outcome so its text stays compiled (ledger/delivery-outcomes.ts
 * updateOutcomes, db.ts paddedRowChunks). Each delivery is still written once: one attempt and one
 * revision more, named once among the keys written, whatever the batch's size.
 */
import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { BACKENDS, withLedger } from './backends.js';
import { newVersions } from './fixtures.js';

for (const backend of BACKENDS) {
  describe(`outcomes of a batch of any size (${backend.name} ledger)`, () => {
    let n = 0;
    async function versions(ledger: Ledger, count: number): Promise<number[]> {
      n += count;
      return newVersions(ledger, 'slices', n - count + 1, count);
    }

    // 3 fills a statement of 8; 400 one of the most rows kept compiled and one of 128.
    for (const count of [1, 3, 400]) {
      it(`${count} outcome(s): each delivery written once`, async () => {
        await withLedger(backend, async (ledger) => {
          const ids = await versions(ledger, count);
          const rows = await ledger.ensureDeliveries(ids, 'province');
          const keys = rows.map((r) => r.key);
          // Unconditional answers (a status request's): nothing but the row's own state stops a
          // second write of the same outcome, so each must be written exactly once.
          const plain = await ledger.recordDeliveryOutcomes(
            rows.map((r, i) => ({ key: r.key, state: 'submitted', platformId: `P-${i}` })),
          );
          expect(plain).toEqual(keys);
          const after = await ledger.getDeliveries(keys);
          expect(after.map((r) => r.key)).toEqual(keys);
          after.forEach((r, i) => {
            expect(r).toMatchObject({ state: 'submitted', attempts: 1, platformId: `P-${i}` });
            expect(r.revision).toBe((rows[i]?.revision ?? 0) + 1);
          });
          // As a sender's answers are written: over the state and revision it read.
          const written = await ledger.recordDeliveryOutcomes(
            after.map((r) => ({ key: r.key, state: 'accepted', from: r.state, revision: r.revision })),
          );
          expect(written).toEqual(keys);
          const accepted = await ledger.getDeliveries(keys);
          accepted.forEach((r, i) => {
            expect(r).toMatchObject({ state: 'accepted', attempts: 2, platformId: `P-${i}` });
            expect(r.revision).toBe((rows[i]?.revision ?? 0) + 2);
          });
          // Drawn from a revision gone since: none is written.
          expect(
            await ledger.recordDeliveryOutcomes(
              rows.map((r) => ({ key: r.key, state: 'dead', from: r.state, revision: r.revision })),
            ),
          ).toEqual([]);
        });
      });
    }
  });
}
