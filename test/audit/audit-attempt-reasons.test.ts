/**
 * The reason code a `deliver-attempt` entry records in place of the error text
 * (ledger/audit-attempts.ts), read from the words the adapters write.
 */
import { describe, expect, it } from 'vitest';
import { attemptReason } from '../../ledger/audit-attempts.js';

const AT = 'target province: batch upload to https://province.invalid:8443 failed';

describe('attemptReason', () => {
  it.each([
    [`${AT}: HTTP 500 (DB_DOWN)`, 'http-500'],
    [`${AT}: request refused: HTTP 404`, 'http-404'],
    [`${AT}: credentials refused: HTTP 401`, 'auth'],
    [`${AT}: credentials refused: platform code 403`, 'auth'],
    [`${AT}: platform code 9 (BUSY)`, 'code-9'],
    [`${AT}: no answer in time`, 'timeout'],
    ['target province: timeout after 2000 ms', 'timeout'],
    [`${AT}: connection failed (ECONNREFUSED)`, 'unreachable'],
    ['target: province unreachable: ECONNRESET', 'unreachable'],
    [`${AT}: answer is not the documented JSON`, 'unreadable-answer'],
    ['province answered with an unknown status `FROZEN`', 'unknown-status'],
    ['province answered without a result for this key', 'no-result'],
    ['province answered 2 results for this key that disagree (rejected, accepted)', 'results-disagree'],
    ['the platform gave no verdict', 'no-verdict'],
    ['持证人 *** 已存在', 'other'],
  ])('%s -> %s', (text, code) => {
    expect(attemptReason(text)).toBe(code);
  });
});
