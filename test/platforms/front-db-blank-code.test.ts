/**
 * An `EXCHANGE_STATUS` the exchange system left blank (`''`, or spaces in a CHAR column) is no code,
 * as NULL is: Oracle stores the blank as NULL, so the same exchange system's rows read as not picked
 * up there and must not become dead letters on MySQL, PostgreSQL or SQL Server.
 */
import { describe, expect, it } from 'vitest';
import { outcomeOfCode, stateOf } from '../../adapters/platforms/front-db/exchange-status.js';

const codes = { accepted: ['1'], rejected: ['9'] };
const where = { target: 'city-front', table: 'UP_LIC_DATA' };

describe('front-db exchangeStatus: a blank code', () => {
  it('keeps the delivery submitted for a blank code, as for NULL', () => {
    for (const code of [null, '', '  ']) {
      const state = stateOf({ DELIVERY_KEY: 'lic-1:1:city-front', EXCHANGE_STATUS: code }, codes);
      expect(outcomeOfCode('lic-1:1:city-front', state, codes, where).state).toBe('submitted');
    }
  });

  it('still dead-letters a code in no list, and reads a numeric code as its text', () => {
    const odd = stateOf({ DELIVERY_KEY: 'k', EXCHANGE_STATUS: '7 ' }, codes);
    expect(outcomeOfCode('k', odd, codes, where)).toMatchObject({ state: 'failed', retryable: false });
    const taken = stateOf({ DELIVERY_KEY: 'k', EXCHANGE_STATUS: 1 }, codes);
    expect(outcomeOfCode('k', taken, codes, where).state).toBe('accepted');
  });
});
