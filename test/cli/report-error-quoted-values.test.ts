/**
 * A driver quotes the value it refused (`Duplicate entry '张三' for key …`, `invalid input syntax
 * for type date: "张三"`); a holder's name has no shape to mask, so the CLI printed it as it was,
 * on stderr that a scheduler or a service manager keeps as a log. The quoted value is hidden, as a
 * failed job's reason in Redis hides it; a quoted table, column or constraint name stays.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { printedError as printed } from './printed-error.js';

const NAME = '测试敏感名';
// GB 11643 example number: its check char X is right for the 17 digits before it.
const ID = '11010519491231002X';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('reportError and values a driver quotes', () => {
  it('hides a name a foreign error quotes, keeping the words, the key name and the code', () => {
    const { text } = printed(withCode(`Duplicate entry '${NAME}-${ID}' for key 'uk_holder'`, 'ER_DUP_ENTRY'));
    expect(text).toBe(
      "licbridge: unexpected failure: Duplicate entry '***' for key 'uk_holder' (ER_DUP_ENTRY)\n",
    );
  });

  it('hides it in a licbridge error quoting a driver, and in the stack LICBRIDGE_DEBUG prints', () => {
    vi.stubEnv('LICBRIDGE_DEBUG', '1');
    const cause = withCode(`invalid input syntax for type date: "${NAME}"`, '22007');
    const error = new LicbridgeError(
      ErrorCodes.SOURCE_QUERY,
      `source market-food: query failed: ${cause.message} in column "FZRQ"`,
      { cause },
    );
    const { text } = printed(error);
    expect(text.split('\n')[0]).toBe(
      'licbridge: source market-food: query failed: invalid input syntax for type date: "***" in column "FZRQ" [LB_SOURCE_QUERY]',
    );
    expect(text).toMatch(/\n\s+at /);
    expect(text).not.toContain(NAME);
  });

  it('hides the values of a key SQL Server or PostgreSQL names', () => {
    const { text } = printed(
      new Error(
        `Cannot insert duplicate key in object 'dbo.T_XKZ'. The duplicate key value is (${NAME}, ${ID}).`,
      ),
    );
    expect(text).toBe(
      "licbridge: unexpected failure: Cannot insert duplicate key in object 'dbo.T_XKZ'. The duplicate key value is (***).\n",
    );
    expect(printed(new Error(`Key (holder_name)=(${NAME}) already exists.`)).text).toBe(
      'licbridge: unexpected failure: Key (holder_name)=(***) already exists.\n',
    );
  });
});
