/**
 * Discovery types a field from its values, and an export writes every value as text. A license
 * number with leading zeros (`0012`) or an 18-digit resident ID is digits, not a number: as an
 * integer it loses its zeros, or its last digits (past 2^53), and the draft mapping's note called
 * such a field `integer`. A database source types the same column `varchar`; so is it text here.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

describe('xml-files discovery: digit strings that are no numbers', () => {
  it('types fields with leading zeros or more digits than a number holds as text, counts as integer', async () => {
    const dir = tempFolder();
    folders.push(dir);
    await writeExport(dir, 'SPXK_1.xml', [
      // Generated, not a real person's: 18 digits, as resident ID numbers are written.
      {
        ID: '1',
        XKZBH: '0012',
        SFZH: '110101200001011237',
        LONG: '1234567890123456',
        SL: '12',
        JE: '0.5',
        BL: '012.5',
      },
      {
        ID: '2',
        XKZBH: '0013',
        SFZH: '110101200001021233',
        LONG: '9007199254740993',
        SL: '0',
        JE: '-3.25',
        BL: '1.5',
      },
      { ID: '3', XKZBH: '0100', SFZH: '110101200001031239', LONG: '1', SL: '-7', JE: '4', BL: '2' },
    ]);
    const source = openXmlFilesSource('food', xmlConfig(dir));
    const [table] = await source.discover();
    await source.close();
    const type = (name: string) => table?.columns.find((c) => c.name === name)?.type;
    expect([type('XKZBH'), type('SFZH'), type('LONG'), type('BL')]).toEqual(['text', 'text', 'text', 'text']);
    expect([type('ID'), type('SL'), type('JE')]).toEqual(['integer', 'integer', 'decimal']);
  });
});
