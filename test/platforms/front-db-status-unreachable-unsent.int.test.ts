/**
 * The status read of a front-db target with `exchangeStatus` (rows answered `submitted`, the
 * exchange system's decision asked of `EXCHANGE_STATUS`) whose front database could not be
 * reached (its connection refused as the database opened) asked nothing of it, yet its keys were
 * failed as checks that had been made: each delivery got an attempt, a deliver-attempt audit entry
 * and a last error (pipelines/stages/deliver-polls.ts), as a REST/JSON status request held back by
 * a wait no longer does. A read whose database was never opened is now `unsent`: no check failed.
 * Its words are as before: retryable, naming the target and the table.
 */
import { describe, expect, it } from 'vitest';
import { refusedFrontDb } from '../support/refused-front-db.js';

describe('front-db: a status read of a front database whose connection is refused', () => {
  for (const client of ['postgres', 'mysql'] as const) {
    it(`${client}: its keys fail unverified and unsent, naming the target and the table`, async () => {
      const name = `city-status-${client}`;
      const target = await refusedFrontDb(name, client, {
        exchangeStatus: { accepted: ['1'], rejected: ['2'] },
      });
      try {
        const submitted = [1, 2].map((n) => ({
          key: `lic-00000${n}:1:${name}`,
          platformId: null,
          receipt: { batchNo: 'B1' },
        }));
        const outcomes = await target.poll?.(submitted);

        expect(outcomes?.map((o) => [o.state, o.retryable, o.unverified, o.unsent])).toEqual([
          ['failed', true, true, true],
          ['failed', true, true, true],
        ]);
        expect(outcomes?.[0]?.reasons?.[0]).toMatch(
          new RegExp(`^target ${name}: reading exchange table UP_LIC_DATA failed`),
        );
      } finally {
        await target.close();
      }
    });
  }
});
