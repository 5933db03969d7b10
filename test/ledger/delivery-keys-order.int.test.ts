/**
 * resolveDeliveryKeys (ledger/delivery-keys.ts) answers the deliveries its keys name in the order
 * the keys were given, each key once: callers audit in that order. Keys given out of version order,
 * one twice, two targets of one version, a key that does not parse and one naming no version.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../ledger/db.js';
import { resolveDeliveryKeys } from '../../ledger/delivery-keys.js';
import { deliveryKey } from '../../ledger/rows.js';
import { BACKENDS, quietLogger } from './backends.js';
import { candidates, commitOnePage, uniqueName } from './fixtures.js';
import { ledgerPerBackend } from './ledger-per-backend.js';
import { rawKnex } from './raw-knex.js';

for (const backend of BACKENDS) {
  describe(`delivery keys resolved in the order given (${backend.name})`, () => {
    const handle = ledgerPerBackend(backend);
    let k: Knex;
    let db: Db;

    beforeAll(() => {
      k = rawKnex(handle.database.url);
      db = createDb({
        knex: k,
        dialect: backend.name === 'postgres' ? 'postgres' : 'sqlite',
        maxParams: backend.name === 'postgres' ? 65_535 : 32_766,
        maxRows: Number.POSITIVE_INFINITY,
        log: quietLogger,
        exclusive: (work) => work(),
      });
    });
    afterAll(async () => {
      await k?.destroy();
    });

    it('answers each key once, in the order given, leaving out keys that name no version', async () => {
      const pipeline = uniqueName('keys');
      const page = await commitOnePage(
        handle.ledger,
        pipeline,
        uniqueName('run'),
        candidates(1, 3, { pipeline }),
      );
      const [a, b, c] = page.created as [
        (typeof page.created)[number],
        (typeof page.created)[number],
        (typeof page.created)[number],
      ];
      const key = (v: typeof a, target: string) => deliveryKey(v.licenseId, v.version, target);
      const keys = [
        key(c, 'province'),
        key(a, 'city'),
        'not a key',
        key(b, 'province'),
        key(c, 'province'),
        deliveryKey(a.licenseId, 9, 'province'),
        key(a, 'province'),
      ];
      expect(await resolveDeliveryKeys(db, keys)).toEqual([
        { key: key(c, 'province'), versionId: c.versionId, target: 'province' },
        { key: key(a, 'city'), versionId: a.versionId, target: 'city' },
        { key: key(b, 'province'), versionId: b.versionId, target: 'province' },
        { key: key(a, 'province'), versionId: a.versionId, target: 'province' },
      ]);
    });
  });
}
