/**
 * pg's failures of the connection carry a fixed text and no code; knex puts the failed statement
 * (its values quoted in) before the text of a failure met while a statement ran. Each is audited by
 * its kind and named by pg's words alone, whole or after knex's statement; the statement never
 * reaches the message. `Connection terminated` (this end closing the connection under a statement)
 * was audited `other`.
 */
import { describe, expect, it } from 'vitest';
import { frontDbError } from '../../adapters/platforms/front-db/front-db-errors.js';
import { errorFailureKind } from '../../adapters/platforms/shared/failure-kind.js';
import { thrownAttemptReason } from '../../pipelines/stages/deliver-attempt-reasons.js';
import { frontDbConfig } from './front-db-fixtures.js';
import { HOLDER_NAME } from './license-fixture.js';

const config = frontDbConfig('postgres', { connection: { host: '127.0.0.1' } }, 'UP_LIC_DATA');

/** A statement as knex writes it before a failed query's text, a value of the license in it. */
const STATEMENT = `insert into "UP_LIC_DATA" ("PAYLOAD") values ('{"holder":"${HOLDER_NAME} - x"}')`;

describe('front-db: a pg failure with no code, by its text', () => {
  it.each([
    ['Connection terminated', 'unreachable'],
    ['Connection terminated unexpectedly', 'unreachable'],
    ['Client has encountered a connection error and is not queryable', 'unreachable'],
    ['Client was closed and is not queryable', 'unreachable'],
    ['Query read timeout', 'timeout'],
  ])('%s: %s, whole or after the statement', async (text, kind) => {
    for (const message of [text, `${STATEMENT} - ${text}`, `ROLLBACK - ${text}`]) {
      const e = await frontDbError('city', config, new Error(message), 'writing exchange table UP_LIC_DATA');
      expect(errorFailureKind(e)).toBe(kind);
      expect(thrownAttemptReason(e)).toBe(kind);
      expect(e.retryable).toBe(true);
      expect(e.message).toBe(`target city: writing exchange table UP_LIC_DATA failed (${text})`);
    }
  });

  it('another text, or one of them inside a value, is none of them', async () => {
    for (const message of [
      `${STATEMENT} - duplicate key`,
      `insert into "T" values ('Connection terminated') - something else`,
      'Connection terminated somehow',
    ]) {
      const e = await frontDbError('city', config, new Error(message), 'writing exchange table UP_LIC_DATA');
      expect(errorFailureKind(e)).toBe('other');
      expect(e.message).toBe('target city: writing exchange table UP_LIC_DATA failed');
    }
  });
});
