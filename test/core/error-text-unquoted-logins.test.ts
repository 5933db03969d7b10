/**
 * /readyz hides the login a driver names (safeErrorText's `hideLogins`, docs/operations.md), and
 * found it only between quotes: Oracle names the account unquoted when it refuses a login for want
 * of CREATE SESSION (`ORA-01045: user LB_READER lacks CREATE SESSION privilege; logon denied`, and
 * since 23ai `ORA-01045: Login denied. User LB_READER does not have CREATE SESSION privilege.`): it
 * stood on /readyz. It is hidden there now; `status`, the CLI and what the ledger keeps still show
 * the account to fix, and the error's code and words stay.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';

const CASES = [
  {
    text: 'ORA-01045: user LB_READER lacks CREATE SESSION privilege; logon denied',
    hidden: 'ORA-01045: user *** lacks CREATE SESSION privilege; logon denied',
  },
  {
    text: 'ORA-01045: Login denied. User LB_READER does not have CREATE SESSION privilege.',
    hidden: 'ORA-01045: Login denied. User *** does not have CREATE SESSION privilege.',
  },
];

describe('a login named without quotes', () => {
  for (const c of CASES) {
    it(`is hidden with hideLogins: ${c.text}`, () => {
      const hidden = safeErrorText(c.text, { hideLogins: true });
      expect(hidden).toBe(c.hidden);
      expect(hidden).not.toContain('LB_READER');
    });

    it(`is shown without: ${c.text}`, () => {
      expect(safeErrorText(c.text)).toBe(c.text);
    });
  }

  it('leaves the words of messages that name no login as they are', () => {
    for (const text of [
      'ORA-01017: invalid username/password; logon denied',
      'ORA-01017: invalid credential or not authorized; logon denied',
      'ORA-28000: The account is locked.',
      'the user lacks a default tablespace',
      'user does not have permission to read licenses',
      'Access denied for user (using password: YES)',
    ]) {
      expect(safeErrorText(text, { hideLogins: true })).toBe(text);
    }
  });
});
