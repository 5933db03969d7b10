/**
 * knex's error for a statement out of time whose cancel failed (knex 3 runner.js): the cancel's own
 * error, its message replaced and the statement's `sql`, `bindings` and `timeout` set on it. No code
 * of the statement's is on it: a pg connect timeout none at all (it read `… failed` and was audited
 * `other`), a refused connection its errno (audited `unreachable`). Each is the deadline passed.
 */
import { describe, expect, it } from 'vitest';
import { frontDbError } from '../../adapters/platforms/front-db/front-db-errors.js';
import { errorFailureKind } from '../../adapters/platforms/shared/failure-kind.js';
import { thrownAttemptReason } from '../../pipelines/stages/deliver-attempt-reasons.js';
import { frontDbConfig } from './front-db-fixtures.js';
import { HOLDER_NAME } from './license-fixture.js';

const config = frontDbConfig('postgres', { connection: { host: '127.0.0.1' } }, 'UP_LIC_DATA', {
  timeoutMs: 750,
});

/** The error knex rejects with, built as runner.js builds it on `cancelError`. */
function cancelFailed(cancelError: Error, timeout: number): Error {
  return Object.assign(cancelError, {
    message: `After query timeout of ${timeout}ms exceeded, cancelling of query failed.`,
    sql: 'insert into "UP_LIC_DATA" ("PAYLOAD") values (?)',
    bindings: [`{"holder":"${HOLDER_NAME}"}`],
    timeout,
  });
}

describe('front-db: a statement out of time whose cancel failed', () => {
  it.each([
    ['a pg connect timeout', () => new Error('Connection terminated due to connection timeout')],
    [
      'a refused connection',
      () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
  ])('%s: timed out after timeoutMs, audited timeout', async (_, cancelError) => {
    const e = await frontDbError(
      'city',
      config,
      cancelFailed(cancelError(), 749),
      'writing exchange table UP_LIC_DATA',
    );
    expect(e.message).toBe('target city: writing exchange table UP_LIC_DATA failed (timed out after 750 ms)');
    expect(errorFailureKind(e)).toBe('timeout');
    expect(thrownAttemptReason(e)).toBe('timeout');
    expect(e.retryable).toBe(true);
    expect(e.message).not.toContain(HOLDER_NAME);
  });

  it('the same words without knex`s timeout on the error are no deadline', async () => {
    const e = await frontDbError(
      'city',
      config,
      new Error('After query timeout of 749ms exceeded, cancelling of query failed.'),
      'writing exchange table UP_LIC_DATA',
    );
    expect(e.message).toBe('target city: writing exchange table UP_LIC_DATA failed');
    expect(errorFailureKind(e)).toBe('other');
  });
});
