/**
 * A front database that stops answering altogether once the target has opened it (a network path
 * dropping every packet, a frozen server): its connections stay open, new ones are taken and never
 * answered. knex bounds each statement but not a transaction's BEGIN and COMMIT, and cancelling a
 * statement out of time opens a new connection, which went unanswered: a send waited forever, its
 * deliver job held past its lease, and so did a poll of `EXCHANGE_STATUS`. Each now fails a little
 * after `timeoutMs`, retryable, and once the database answers again the next send opens new
 * connections and writes its rows.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { SILENT_GRACE_MS } from '../../adapters/platforms/front-db/silent-database.js';
import { LicbridgeError } from '../../core/errors.js';
import { outcomeWithin, type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { frontDbConfig, sentWhileAnswering } from './front-db-fixtures.js';
import { scratchMariaDb, scratchPostgres } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

const TIMEOUT_MS = 1_000;
const TABLE = 'UP_LIC_DATA';
/** `timeoutMs`, the grace after it, and room for a loaded machine. Before: never. */
const BOUND_MS = TIMEOUT_MS + SILENT_GRACE_MS + 6_000;

const SERVERS = [
  { name: 'PostgreSQL', client: 'postgres' as const, scratch: scratchPostgres },
  { name: 'MariaDB', client: 'mysql' as const, scratch: scratchMariaDb },
];

for (const server of SERVERS) {
  describe(`front-db target on ${server.name}: the database stops answering after the target opened`, () => {
    const db = `lb_front_silent_${randomBytes(4).toString('hex')}`;
    let proxy: SilentProxy;
    let target: FrontDbTarget;

    beforeAll(async () => {
      const connection = await server.scratch.create(db);
      proxy = await silentProxy(Number(connection.port));
      target = new FrontDbTarget(
        'city',
        frontDbConfig(server.client, { connection: { ...connection, port: proxy.port } }, TABLE, {
          createTable: true,
          timeoutMs: TIMEOUT_MS,
          exchangeStatus: { accepted: ['1'], rejected: ['9'] },
        }),
      );
      await target.refuseUnfitTable();
      const [first] = await sentWhileAnswering(target, [deliveryItem(1, { target: 'city' })]);
      expect(first?.state).toBe('submitted');
    });
    afterAll(async () => {
      await proxy?.close();
      await target?.close();
      await server.scratch.drop(db);
    });

    it('a send and a poll fail after timeoutMs, retryable; once it answers, the send writes its rows', async () => {
      proxy.silence();
      const item = deliveryItem(2, { target: 'city' });
      const sent = await outcomeWithin(BOUND_MS, target.deliver([item]));
      expect(sent, 'the send returned').not.toBe('hung');
      expect(sent).toBeInstanceOf(LicbridgeError);
      expect((sent as LicbridgeError).message).toBe(
        `target city: writing exchange table ${TABLE} failed (timed out after ${TIMEOUT_MS} ms)`,
      );
      expect((sent as LicbridgeError).retryable).toBe(true);

      const polled = await outcomeWithin(
        BOUND_MS,
        target.poll?.([{ key: deliveryItem(1, { target: 'city' }).key, platformId: null, receipt: null }]) ??
          Promise.resolve('no poll'),
      );
      expect(polled, 'the poll returned').not.toBe('hung');
      expect(polled).toMatchObject([{ state: 'failed', retryable: true }]);

      proxy.speak();
      const [again] = await sentWhileAnswering(target, [item]);
      expect(again).toMatchObject({ state: 'submitted', receipt: { duplicate: false } });
    });
  });
}
