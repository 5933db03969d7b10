/**
 * A DM front database that refuses the login: the server answers `-2501` (用户名或密码错误, a wrong
 * user or password; dmdb's README and the DM drivers' issue trackers quote it), which dmdb puts in
 * `errCode` as it does any server code. Read by no list, the attempt was audited `other`, where a
 * refused login of PostgreSQL, MySQL, SQL Server or Oracle reads `auth`.
 */
import { describe, expect, it } from 'vitest';
import { driverFailureKind } from '../../adapters/platforms/front-db/driver-failure.js';
import { frontDbError } from '../../adapters/platforms/front-db/front-db-errors.js';
import { thrownAttemptReason } from '../../pipelines/stages/deliver-attempt-reasons.js';
import { DmDriverError } from './dm-driver-error.js';
import { frontDbConfig } from './front-db-fixtures.js';

const config = frontDbConfig('dm', { connection: { connectString: '127.0.0.1:5236' } }, 'UP_LIC_DATA', {
  timeoutMs: 5_000,
});

describe('front-db on DM: a refused login', () => {
  it('is audited auth, as the other drivers’ refused logins are', async () => {
    // As dmdb makes a server's error: the server's code (negative) and its text.
    const cause = new DmDriverError(-2501, '用户名或密码错误', null);
    const e = await frontDbError('city', config, cause, 'writing exchange table UP_LIC_DATA');
    expect(thrownAttemptReason(e)).toBe('auth');
    expect(e.message).toBe('target city: writing exchange table UP_LIC_DATA failed (DM error -2501)');
  });

  it('wrapped by the pool that opened the connection, too', () => {
    const wrapped = Object.assign(new Error('acquire failed'), {
      cause: new DmDriverError(-2501, '用户名或密码错误', null),
    });
    expect(driverFailureKind(wrapped)).toBe('auth');
  });

  it('a server code of another failure stays other', async () => {
    const e = await frontDbError(
      'city',
      config,
      new DmDriverError(-2106, '无效的表或视图名', null),
      'writing',
    );
    expect(thrownAttemptReason(e)).toBe('other');
  });
});
