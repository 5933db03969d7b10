/**
 * An attribute written without a value (`<ZT revoked>`, as HTML writes a flag) is not well-formed
 * XML (XML 1.0 §3.1: an attribute is a name, `=` and a quoted value). The validator was told to
 * take such attributes, and the parser then dropped them: the record was read as if the flag were
 * not there, a revoked licence going out as it stood, without a word. The read stops instead, as
 * for any file that is not well-formed, naming the file, line, column and the attribute — an
 * export's own ASCII name, never a piece of a value.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { firstRowOfRecord, parseErrorOfRecord } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

describe('xml-files: an attribute without a value', () => {
  it.each([
    ['after a valued one', '<ZT dm="1" revoked>有效</ZT>', 'revoked', 'line 1, column 45'],
    ['alone on an empty element', '<ZX revoked/>', 'revoked', 'line 1, column 38'],
    ['on a line of its own', '<ZT\n  revoked>有效</ZT>', 'revoked', 'line 2, column 3'],
    // Inside an xml:space="preserve" scope, which the file was once read past (space-scopes.ts).
    [
      'inside a preserving scope',
      '<P xml:space="preserve"><A flag>x</A><B> 2</B></P>',
      'flag',
      'line 1, column 61',
    ],
  ])('%s stops the read, naming file, place and attribute', async (_, record, name, place) => {
    const e = await parseErrorOfRecord(record, folders);
    expect(e.message).toContain('E001.xml');
    expect(e.message).toContain(place);
    expect(e.message).toContain(`attribute '${name}' is not allowed.`);
  });

  it('named by a piece of a value, that piece is left out', async () => {
    const e = await parseErrorOfRecord('<BZ>见<X 370211199001011234/></BZ>', folders);
    expect(e.message).toContain('E001.xml');
    expect(e.message).not.toContain('370211199001011234');
  });

  it('attributes with values read as before', async () => {
    const row = await firstRowOfRecord('<ID>1</ID><ZT dm="1" revoked="">有效</ZT>', folders);
    expect(row?.values).toMatchObject({ ID: '1', ZT: '有效', 'ZT.dm': '1', 'ZT.revoked': null });
  });
});
