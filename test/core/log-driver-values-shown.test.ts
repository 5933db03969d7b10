/**
 * A driver's key values an operator needs, shown in a log line, and a person's still hidden.
 * 2238297f hid every value a driver names (`Key (license_no)=(***) already exists.`, `Key
 * (unit_id)=(***) is not present in table "unit".`, a run id, MySQL's `Duplicate entry '***' for key
 * 'uk_license_no'`): nothing told which license or unit the row was. A value that could be a name or
 * is free text (Han characters, letters without a digit, a space between words, what no code holds)
 * or whose columns or key name a person (`xm`, `holder_name`, `uk_xm`) is hidden, and so is a
 * failing row, every column of it; a code is shown, an ID or mobile number in it masked by its shape.
 * Made up, no one's names or numbers.
 */
import { describe, expect, it } from 'vitest';
import { logged } from '../logging/labelled-fixture.js';

const shownAs = (text: string): string => logged(text).field;

describe("a driver's key values, logged", () => {
  it.each([
    'Key (license_no)=(L2024010100012) already exists.',
    'Key (unit_id)=(12) is not present in table "unit".',
    'Key (run_id)=(6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b) already exists.',
    'Key (unit_id, license_no)=(12, L2024010100012) already exists.',
    "Duplicate entry 'L2024010100012' for key 'uk_license_no'",
    "Conversion failed when converting the nvarchar value 'L2024A' to data type int.",
  ])('shows the codes of %s', (text) => {
    expect(shownAs(text)).toBe(text);
  });

  it('masks an ID number in a key by its shape', () => {
    expect(shownAs('Key (sfzh)=(110101199003071234) already exists.')).toBe(
      'Key (sfzh)=(1101**********1234) already exists.',
    );
  });

  it.each([
    ['Key (holder_name)=(zhangsan) already exists.', 'Key (holder_name)=(***) already exists.'],
    ['Key (code)=(zhang san) already exists.', 'Key (code)=(***) already exists.'],
    ['Key (code)=(zhangsan) already exists.', 'Key (code)=(***) already exists.'],
    ['Key (unit_id, xm)=(12, Li4) already exists.', 'Key (unit_id, xm)=(***) already exists.'],
    ["Duplicate entry 'zs2024' for key 'uk_xm'", "Duplicate entry '***' for key 'uk_xm'"],
    ['Failing row contains (7, L2024010100012, null).', 'Failing row contains (***).'],
    [
      "Violation of UNIQUE KEY constraint 'UK_XM'. The duplicate key value is (zs2024).",
      "Violation of UNIQUE KEY constraint 'UK_XM'. The duplicate key value is (***).",
    ],
  ])('hides what may be a name in %s', (text, hidden) => {
    expect(shownAs(text)).toBe(hidden);
  });
});
