/**
 * A front database that refuses the login, or that nothing answers at, fails a send (and a status
 * request) with an error saying what kind of failure it is, as the deliver stage audits the
 * attempt (`deliver-attempt` reason, core/attempt-reasons.ts). Before, the error kept only the
 * driver's code in its message and set no field: the stage read its words, and a refused login
 * (PostgreSQL's 28000, MySQL's ER_ACCESS_DENIED_ERROR) was audited `other`, and a license the
 * database refused for its values, sent alone, was audited by the table's name (`timeout` for a
 * table named EXCH_TIMEOUT).
 */
import { describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { errorFailureKind } from '../../adapters/platforms/shared/failure-kind.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { outcomeAttemptReason, thrownAttemptReason } from '../../pipelines/stages/deliver-attempt-reasons.js';
import { closedPort } from '../support/refused-front-db.js';
import { cityExchangeTable, frontDbConfig, scratchPlaceForTests } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

const TABLE = 'UP_LIC_DATA';

/** The error `deliver` of one license threw, the target closed after. */
async function sendFailure(config: FrontDbTargetConfig): Promise<LicbridgeError> {
  const target = new FrontDbTarget('city', config);
  try {
    const e = await target.deliver([deliveryItem(1, { target: 'city' })]).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(e instanceof LicbridgeError)) throw new Error(`expected a LicbridgeError, got ${String(e)}`);
    return e;
  } finally {
    await target.close();
  }
}

const UNKNOWN_ROLE = { host: '127.0.0.1', port: 5432, user: 'lb_no_such_role', database: 'test' };
const WRONG_PASSWORD = {
  host: '127.0.0.1',
  port: 3306,
  user: 'root',
  password: 'not-the-password',
  database: 'test',
};

describe('front-db: a driver failure carries its kind', () => {
  it.each([
    ['PostgreSQL, a login the server does not know (28000)', 'postgres', UNKNOWN_ROLE],
    ['MariaDB, a wrong password (ER_ACCESS_DENIED_ERROR)', 'mysql', WRONG_PASSWORD],
  ] as const)('%s: auth', async (_name, client, connection) => {
    const e = await sendFailure(frontDbConfig(client, { connection }, TABLE));
    expect(e.retryable).toBe(true);
    expect(errorFailureKind(e)).toBe('auth');
    expect(thrownAttemptReason(e)).toBe('auth');
    expect(e.message).not.toContain('not-the-password');
  });

  it.each(['postgres', 'mysql'] as const)(
    '%s, nothing listening: unreachable, by its fields',
    async (client) => {
      const connection = { host: '127.0.0.1', port: await closedPort(), user: 'root', database: 'test' };
      const e = await sendFailure(frontDbConfig(client, { connection }, TABLE));
      expect(errorFailureKind(e)).toBe('unreachable');
      expect(thrownAttemptReason(e)).toBe('unreachable');
    },
  );

  it('a status request refused the login: each delivery asked about fails, unverified, as auth', async () => {
    const target = new FrontDbTarget(
      'city',
      frontDbConfig('postgres', { connection: UNKNOWN_ROLE }, TABLE, {
        exchangeStatus: { accepted: ['1'], rejected: ['2'] },
      }),
    );
    try {
      const key = deliveryItem(1, { target: 'city' }).key;
      const outcomes = await target.poll?.([{ key, platformId: key, receipt: null }]);
      expect(outcomes).toMatchObject([{ key, state: 'failed', unverified: true, failure: 'auth' }]);
      expect(outcomeAttemptReason(outcomes?.[0] ?? {})).toBe('auth');
    } finally {
      await target.close();
    }
  });
});

describe('front-db: a license refused for its values, sent alone', () => {
  const table = 'EXCH_TIMEOUT';
  const scratch = scratchPlaceForTests('postgres', 'lb_kind', (place) =>
    // A city's column narrower than any license's payload: every row is refused (22001).
    cityExchangeTable(place.city, table, `alter table "${table}" alter column "PAYLOAD" type varchar(10)`),
  );

  it('is other, whatever the table is named', async () => {
    const e = await sendFailure(frontDbConfig('postgres', scratch.place.where, table));
    expect(e.message).toContain('22001');
    expect(errorFailureKind(e)).toBe('other');
    expect(thrownAttemptReason(e)).toBe('other');
  });
});

describe('front-db: an exchange table the config does not fit', () => {
  const table = 'EXCH_TIMEOUT';
  const scratch = scratchPlaceForTests('postgres', 'lb_kind_cfg', (place) =>
    cityExchangeTable(place.city, table, `alter table "${table}" drop column "PAYLOAD"`),
  );

  it('is other, not read from the table’s name', async () => {
    const e = await sendFailure(frontDbConfig('postgres', scratch.place.where, table));
    expect(e.code).toBe(ErrorCodes.CONFIG_INVALID);
    expect(e.message).toContain(table);
    expect(errorFailureKind(e)).toBe('other');
    expect(thrownAttemptReason(e)).toBe('other');
  });
});
