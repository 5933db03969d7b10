/**
 * A DM front database's failure names DM's code: dmdb puts it in `errCode` (a number) and sets no
 * `code`, so a failed send said only `writing exchange table … failed`, nothing for a person to
 * look up. The message still carries neither the driver's text nor the statement, which may quote
 * a value.
 */
import { describe, expect, it } from 'vitest';
import { frontDbError } from '../../adapters/platforms/front-db/front-db-errors.js';
import { DmDriverError } from './dm-driver-error.js';
import { frontDbConfig } from './front-db-fixtures.js';

const config = frontDbConfig('dm', { connection: { connectString: '127.0.0.1:5236' } }, 'UP_LIC_DATA', {
  timeoutMs: 5_000,
});

describe('front-db on DM: a failed statement named by its code', () => {
  it("names the server's code, retryable, and none of the driver's text", async () => {
    const cause = new DmDriverError(-6407, "insert into UP_LIC_DATA values ('张三丰') - 锁超时", null);
    const e = await frontDbError('city', config, cause, 'writing exchange table UP_LIC_DATA');
    expect(e.message).toBe('target city: writing exchange table UP_LIC_DATA failed (DM error -6407)');
    expect(e.retryable).toBe(true);
    expect(JSON.stringify({ message: e.message, cause: String(e.cause) })).not.toContain('张三丰');
  });
});
