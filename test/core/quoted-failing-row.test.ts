/**
 * PostgreSQL lists a refused row's values in parentheses after `Failing row contains` (a check or
 * a not-null constraint's detail: `Failing row contains (7, 张三, 110105…, null).`) and a
 * partition's key after `= (`: a holder's name among them has no shape to mask, and went out whole
 * in an error's text and a log line, as the values after `Key (…)=(` no longer do. Hidden the same
 * way now: the parentheses stay, so the message still reads.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideQuoted } from '../../core/quoted-values.js';
import { lineLogger } from '../support/log-lines.js';

// Made up: no one's name.
const NAME = '测试丙丁';
const keep = { backticks: false, keepIdentifiers: true };

describe("a row's values PostgreSQL lists", () => {
  it('hides what follows Failing row contains', () => {
    expect(
      hideQuoted(
        `new row for relation "t_xk" violates check constraint "ck_nl" Failing row contains (7, ${NAME}, null).`,
        keep,
      ),
    ).toBe('new row for relation "t_xk" violates check constraint "ck_nl" Failing row contains (***).');
    expect(hideQuoted(`DETAIL: Failing row contains (${NAME}, (1,2), null)`, keep)).toBe(
      'DETAIL: Failing row contains (***)',
    );
  });

  it("hides a partition's key after = (", () => {
    expect(hideQuoted(`Partition key of the failing row contains (xm) = (${NAME}).`, keep)).toBe(
      'Partition key of the failing row contains (xm) = (***).',
    );
  });

  it("hides a partition's key whatever its columns are", () => {
    // PostgreSQL's text for a row no partition takes (ExecBuildSlotPartitionKeyDescription).
    expect(
      hideQuoted(
        `no partition of relation "t_xk" found for row DETAIL: Partition key of the failing row contains (xm, n) = (${NAME}, 1).`,
        keep,
      ),
    ).toBe(
      'no partition of relation "t_xk" found for row DETAIL: Partition key of the failing row contains (xm, n) = (***).',
    );
    expect(hideQuoted(`Partition key of the failing row contains (lower(xm)) = (${NAME}).`, keep)).toBe(
      'Partition key of the failing row contains (lower(xm)) = (***).',
    );
  });

  it('keeps a subquery and other words after = ( readable', () => {
    // ORA-00942 names the missing table only in the statement: hidden, no one could tell which.
    const missing =
      'ORA-00942: table or view does not exist (SQL: select * from T_XK where region = (select code from T_REGION where id = ?) and id > ?)';
    expect(hideQuoted(missing, keep)).toBe(missing);
    expect(safeErrorText(missing)).toContain('T_REGION');
    // A ( nothing closes as a key's values hid the rest of the line.
    const status = 'upstream: status = (503) Service Unavailable, code = (E1001)';
    expect(hideQuoted(status, keep)).toBe(status);
  });

  it("hides them in an error's text and a log line", () => {
    const text = `null value in column "fzrq" of relation "t_xk" violates not-null constraint DETAIL: Failing row contains (${NAME}, null).`;
    expect(safeErrorText(text)).not.toContain(NAME);
    const { logger, lines } = lineLogger();
    logger.error({ err: new Error(text) }, 'insert failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(NAME);
  });
});
