/**
 * A database driver names the values of the row it refused in its own words: PostgreSQL's `Key
 * (xm)=(张三) already exists.` and `Failing row contains (…)`, MySQL's `Duplicate entry '张三-…' for
 * key …` and `Incorrect string value: '…' for column …`, SQL Server's `The duplicate key value is
 * (…)`. An error's text hid them (core/quoted-values.ts), but the same words logged as a field
 * (`log.warn({ detail })`, a knex warning's text) or a message's argument went out whole: a name
 * has no shape to mask. The values are hidden; the columns, the key and the driver's sentence stay.
 * Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { logged } from '../logging/labelled-fixture.js';

describe("a driver's words naming a row's values, logged", () => {
  it.each([
    ['Key (xm)=(张三) already exists.', 'Key (xm)=(***) already exists.'],
    [
      'DETAIL:  Key (sfzh, xm)=(110101199003071234, 李四) already exists.',
      'DETAIL:  Key (sfzh, xm)=(***) already exists.',
    ],
    ['Key (lower(xm::text))=(zhang san) already exists.', 'Key (lower(xm::text))=(***) already exists.'],
    [
      'Key (czrxm)=(李四) is not present in table "holders".',
      'Key (czrxm)=(***) is not present in table "holders".',
    ],
    ['Key (dwmc, xm)=(某某食品(北京)有限公司, 张三) already exists.', 'Key (dwmc, xm)=(***) already exists.'],
    ['Failing row contains (7, 张三, null).', 'Failing row contains (***).'],
    ['键值"(xm)=(张三)" 已经存在', '键值"(xm)=(***)" 已经存在'],
    ['键值对(xm)=(张三)没有在表"holders"中出现.', '键值对(xm)=(***)没有在表"holders"中出现.'],
    ['失败, 行包含(7, 张三, null).', '失败, 行包含(***).'],
    [
      "Duplicate entry '张三-110101199003071234' for key 'holders.uk_holder'",
      "Duplicate entry '***' for key 'holders.uk_holder'",
    ],
    ["Duplicate entry 'O'Brien-1' for key 'uk_holder'", "Duplicate entry '***' for key 'uk_holder'"],
    [
      "Incorrect string value: '\\xE5\\xBC\\xA0\\xE4\\xB8\\x89' for column 'xm' at row 1",
      "Incorrect string value: '***' for column 'xm' at row 1",
    ],
    [
      "Violation of UNIQUE KEY constraint 'UK_XM'. Cannot insert duplicate key in object 'dbo.T_HOLDER'. The duplicate key value is (张三).",
      "Violation of UNIQUE KEY constraint 'UK_XM'. Cannot insert duplicate key in object 'dbo.T_HOLDER'. The duplicate key value is (***).",
    ],
    [
      "Conversion failed when converting the nvarchar value '张三' to data type int.",
      "Conversion failed when converting the nvarchar value '***' to data type int.",
    ],
    ['invalid input syntax for type integer: "张三"', 'invalid input syntax for type integer: "***"'],
    [
      'invalid input syntax for type date: "张三" in column "FZRQ"',
      'invalid input syntax for type date: "***" in column "FZRQ"',
    ],
    [
      "Truncated incorrect DOUBLE value: '张三' in table 't'",
      "Truncated incorrect DOUBLE value: '***' in table 't'",
    ],
  ])('hides the values of %s', (text, hidden) => {
    const { field, msg } = logged(text);
    expect(field).toBe(hidden);
    expect(msg).toBe(`refused: ${hidden}`);
    for (const name of ['张三', '李四', 'zhang san', 'Brien', '\\xE5'])
      expect(safeErrorText(text)).not.toContain(name);
  });

  it.each([
    'ledger: migration lock busy, waiting',
    'Key (xm) has no index',
    'status = (503) Service Unavailable',
    "source 'legacy': table 'T_HOLDER' not found",
    'value: 42',
    'The duplicate key value is unknown',
    'entry point: cli/main.ts',
  ])('keeps %s whole', (text) => {
    const { field, msg } = logged(text);
    expect(field).toBe(text);
    expect(msg).toBe(`refused: ${text}`);
  });
});
