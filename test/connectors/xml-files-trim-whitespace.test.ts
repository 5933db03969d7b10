/**
 * `trim` takes off what layout puts around a value: pretty-printing and CHAR padding, which are
 * XML white space (space, tab, CR, LF). It took every Unicode space JavaScript's trim() knows: the
 * two full-width spaces (U+3000) a Chinese paragraph of business scope opens with, a trailing
 * U+3000 or no-break space the legacy system stored, a value that is only a full-width space
 * (read as null). The SQL connectors keep them (only U+0020 padding goes), so the same license
 * read from an export and from the database differed. They are data and stay.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { firstRowOfRecord } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const rowOf = (record: string) => firstRowOfRecord(`<ID>1</ID>${record}`, folders);

describe('xml-files: trim takes XML white space only', () => {
  it('keeps full-width and no-break spaces at either end', async () => {
    const row = await rowOf(
      '<JYFW>\u3000\u3000预包装食品销售</JYFW><MC>张三\u3000</MC><DZ>长江路1号&#160;</DZ><BZ>\u3000</BZ>',
    );
    expect(row?.values).toMatchObject({
      JYFW: '\u3000\u3000预包装食品销售',
      MC: '张三\u3000',
      DZ: '长江路1号\u00a0',
      BZ: '\u3000',
    });
  });

  it('still takes off pretty-printing and padding: spaces, tabs and line breaks', async () => {
    const row = await rowOf('<MC>\n\t  张三  \r\n  </MC><DZ>   </DZ>');
    expect(row?.values.MC).toBe('张三');
    expect(row?.values.DZ).toBeNull();
  });
});
