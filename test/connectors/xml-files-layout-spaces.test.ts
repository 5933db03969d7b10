/**
 * An element's text beside its child elements is taken for layout (the indentation of a
 * pretty-printed export) when it is XML white space only: space, tab, CR, LF. It was taken so when
 * it was any white space JavaScript's trim() knows, a full-width space (U+3000) or a no-break
 * space among them, which are data everywhere else (trim keeps them at a value's ends): the
 * element's value was dropped without a word. It is now read, as the text of an element without
 * children is.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { firstRowOfRecord } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const rowOf = (record: string) => firstRowOfRecord(`<ID>1</ID>${record}`, folders);

describe('xml-files: the text beside child elements', () => {
  it('a full-width or no-break space there is data, not layout', async () => {
    const row = await rowOf('<DZ>\u3000<SHENG>山东</SHENG></DZ><BZ>&#160;<X>1</X></BZ>');
    expect(row?.values).toMatchObject({ 'DZ.SHENG': '山东', DZ: '\u3000', BZ: '\u00a0', 'BZ.X': '1' });
  });

  it('indentation there is still layout', async () => {
    const row = await rowOf('<DZ>\n  <SHENG>山东</SHENG>\n</DZ>');
    expect(row?.values).toMatchObject({ 'DZ.SHENG': '山东' });
    expect(row?.values).not.toHaveProperty('DZ');
  });
});
