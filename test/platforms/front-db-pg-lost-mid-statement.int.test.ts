/**
 * A PostgreSQL connection lost while a send's statement runs (a proxy or NAT dropping it, the
 * network cut): pg fails the statement with a text and no code (`Connection terminated
 * unexpectedly`), and the transaction's ROLLBACK after it with another (`Client has encountered a
 * connection error and is not queryable`). knex puts the statement before the driver's text
 * (`insert into … - Connection terminated unexpectedly`), so pg's fixed texts, matched whole, were
 * never met for a failure after the connection was made: such a send read `… failed`, nothing in
 * brackets, and its attempt was audited `other`, as a row refused for its values is, where the same
 * connection lost before any statement was `unreachable` (front-db-pg-uncoded-failure).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { errorFailureKind } from '../../adapters/platforms/shared/failure-kind.js';
import { LicbridgeError } from '../../core/errors.js';
import { thrownAttemptReason } from '../../pipelines/stages/deliver-attempt-reasons.js';
import { type TcpProxy, tcpProxy } from '../support/tcp-proxy.js';
import { cityExchangeTable, frontDbConfig, scratchPlaceForTests } from './front-db-fixtures.js';
import { deliveryItem, HOLDER_NAME } from './license-fixture.js';

const TABLE = 'UP_LIC_LOST';

describe('front-db on PostgreSQL: the connection lost while a statement runs', () => {
  const scratch = scratchPlaceForTests('postgres', 'lb_lostmid', (place) =>
    cityExchangeTable(place.city, TABLE),
  );
  let proxy: TcpProxy;
  beforeAll(async () => {
    proxy = await tcpProxy(Number(scratch.place.connection.port));
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('unreachable, named by pg’s own words, no statement or value in the message', async () => {
    const city = scratch.place.city;
    const target = scratch.closedAfter(
      new FrontDbTarget(
        'city',
        frontDbConfig('postgres', { connection: { ...scratch.place.connection, port: proxy.port } }, TABLE),
      ),
    );
    // Opened (the table checked) before the table is locked.
    expect((await target.deliver([deliveryItem(1, { target: 'city' })]))[0]?.state).toBe('accepted');
    const lock = await city.transaction();
    try {
      await lock.raw(`lock table "${TABLE}" in access exclusive mode`);
      const sending = target.deliver([deliveryItem(2, { target: 'city' })]).then(
        () => undefined,
        (e: unknown) => e,
      );
      // The send's insert waits on the lock: its statement is running when the connection is lost.
      for (;;) {
        const { rows } = (await city.raw(
          `select count(*)::int as n from pg_stat_activity
           where datname = current_database() and wait_event_type = 'Lock'`,
        )) as { rows: { n: number }[] };
        if ((rows[0]?.n ?? 0) > 0) break;
        await sleep(20);
      }
      proxy.cut();
      const e = await sending;
      expect(e).toBeInstanceOf(LicbridgeError);
      if (!(e instanceof LicbridgeError)) return;
      expect(e.retryable).toBe(true);
      expect(errorFailureKind(e)).toBe('unreachable');
      expect(thrownAttemptReason(e)).toBe('unreachable');
      expect(e.message).toMatch(
        /writing exchange table UP_LIC_LOST failed \((Connection terminated unexpectedly|Client has encountered a connection error and is not queryable)\)$/,
      );
      expect(e.message).not.toContain(HOLDER_NAME);
      expect(e.message).not.toMatch(/insert|ROLLBACK/i);
    } finally {
      await lock.rollback();
    }
  });
});
