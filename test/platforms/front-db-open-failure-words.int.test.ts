/**
 * A send to a front database that could not be opened (its connection refused) failed as
 * 'target city: writing exchange table UP_LIC_DATA failed (ECONNREFUSED)', though no row was
 * written or even tried: it failed connecting. It now says so, as `config check --connect` does:
 * 'target city: reaching the front database failed (ECONNREFUSED)'; retryable and unsent as before.
 */
import { describe, expect, it } from 'vitest';
import { sentWith } from '../../adapters/platforms/shared/batches.js';
import { isLicbridgeError } from '../../core/errors.js';
import { refusedFrontDb } from '../support/refused-front-db.js';
import { failure } from './auth-strategy-fault.js';
import { deliveryItem } from './license-fixture.js';

describe('front-db: a send to a front database whose connection is refused', () => {
  for (const client of ['postgres', 'mysql'] as const) {
    it(`${client}: names the reaching of the database, not a write of the table`, async () => {
      const name = `city-open-${client}`;
      const target = await refusedFrontDb(name, client);
      try {
        const items = [deliveryItem(1, { target: name })];
        const error = await failure(target.deliver(items));

        expect(isLicbridgeError(error)).toBe(true);
        if (!isLicbridgeError(error)) return;
        expect(error.message).toBe(`target ${name}: reaching the front database failed (ECONNREFUSED)`);
        expect(error.retryable).toBe(true);
        // No license of the send counted tried (../../adapters/platforms/shared/batches.ts sentWith).
        expect(sentWith(error, items)).toEqual([]);
      } finally {
        await target.close();
      }
    });
  }
});
