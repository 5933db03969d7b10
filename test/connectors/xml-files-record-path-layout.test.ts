/**
 * An export whose root is the record path's but whose records sit elsewhere: the export tool's
 * next release renamed the record element (`<Record>` became `<Row>`) or its container, or wrapped
 * the records in one more level. The path then matched nothing, the file was read as an empty
 * export, recorded as read and never looked at again: every record of it lost without a word. Such
 * a file now stops the read, naming what it holds; an export with no records (an empty container,
 * none at all, a header beside them) is still read as empty. What tells moved records from an
 * empty export's header or count is the stream's key: those carry fields too, and with a record
 * path of two levels they sit in the records' container itself.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { isLicbridgeError } from '../../core/errors.js';
import { memoryState, RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = tempFolder();
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function read(dir: string, recordPath = RECORD_PATH): Promise<{ rows: SourceRow[]; error: unknown }> {
  const source = openXmlFilesSource('food', xmlConfig(dir, { recordPath }), { state: memoryState() });
  const rows: SourceRow[] = [];
  let error: unknown = null;
  try {
    for await (const page of source.read({
      stream: { table: recordPath, key: 'ID' },
      after: null,
      pageSize: 100,
    }))
      rows.push(...page.rows);
  } catch (e) {
    error = e;
  } finally {
    await source.close();
  }
  return { rows, error };
}

const FIRST = '<Root><Records><Record><ID>1</ID><MC>甲店</MC></Record></Records></Root>';

describe('xml-files: records the record path does not reach', () => {
  it.each([
    [
      'the record element renamed',
      '<Root><Records><Row><ID>2</ID></Row><Row><ID>3</ID></Row></Records></Root>',
      '<Row>',
    ],
    [
      'one record, renamed, its fields as attributes',
      '<Root><Records><Row ID="2"/></Records></Root>',
      '<Row>',
    ],
    ['the container renamed', '<Root><Data><Record><ID>2</ID></Record></Data></Root>', 'Root/Data/Record'],
    [
      'one more level',
      '<Root><Records><Page><Record><ID>2</ID></Record></Page></Records></Root>',
      'Root/Records/Page/Record',
    ],
  ])('%s: stops the read naming the file and what it holds', async (_, text, named) => {
    const { rows, error } = await read(folder({ 'E001.xml': FIRST, 'E002.xml': text }));
    expect(rows.map((r) => r.key)).toEqual(['1']);
    expect(isLicbridgeError(error), 'a LicbridgeError').toBe(true);
    expect((error as { code: string }).code).toBe('LB_SOURCE_SCHEMA');
    expect((error as Error).message).toContain('E002.xml');
    expect((error as Error).message).toContain(named);
    expect((error as Error).message).toContain('recordPath');
  });

  it('never shows a value that reads as no element name', async () => {
    const text = '<Root><Records><王欧阳秀英><ID>2</ID></王欧阳秀英></Records></Root>';
    const { error } = await read(folder({ 'E001.xml': text }));
    expect((error as Error).message).toContain('E001.xml');
    expect((error as Error).message).not.toContain('欧阳');
  });

  it.each([
    ['an empty container', '<Root><Records/></Root>'],
    ['no container', '<Root/>'],
    [
      'a header and no container',
      '<Root><Header><ExportTime>2026-11-05 08:00:00</ExportTime><Count>0</Count></Header></Root>',
    ],
    ['a header and an empty container', '<Root><Header><Count>0</Count></Header><Records></Records></Root>'],
    ['a count in the container', '<Root><Records><Total>0</Total></Records></Root>'],
    [
      'an empty container beside another section of records',
      '<Root><Changes><Record><ID>9</ID></Record></Changes><Records/></Root>',
    ],
  ])('reads an export with %s as empty', async (_, text) => {
    const { rows, error } = await read(folder({ 'E001.xml': FIRST, 'E002.xml': text }));
    expect(error).toBeNull();
    expect(rows.map((r) => r.key)).toEqual(['1']);
  });

  it.each([
    [
      'a header beside the records, the path of two levels',
      'Licenses/License',
      '<Licenses><License><ID>1</ID></License></Licenses>',
      '<Licenses><Header><ExportTime>2026-11-05 08:00:00</ExportTime><Count>0</Count></Header></Licenses>',
    ],
    [
      'a count with its unit as an attribute',
      RECORD_PATH,
      FIRST,
      '<Root><Records><Total unit="条">0</Total></Records></Root>',
    ],
    [
      'a summary of attributes',
      RECORD_PATH,
      FIRST,
      '<Root><Records><Summary count="0" batch="7"/></Records></Root>',
    ],
  ])('reads an export with %s as empty', async (_, recordPath, first, text) => {
    const { rows, error } = await read(folder({ 'E001.xml': first, 'E002.xml': text }), recordPath);
    expect(error).toBeNull();
    expect(rows.map((r) => r.key)).toEqual(['1']);
  });

  it('stops the read at records renamed under a path of two levels', async () => {
    const { rows, error } = await read(
      folder({
        'E001.xml': '<Licenses><License><ID>1</ID></License></Licenses>',
        'E002.xml': '<Licenses><Header><Count>1</Count></Header><Row><ID>2</ID></Row></Licenses>',
      }),
      'Licenses/License',
    );
    expect(rows.map((r) => r.key)).toEqual(['1']);
    expect((error as { code: string }).code).toBe('LB_SOURCE_SCHEMA');
    expect((error as Error).message).toContain('E002.xml');
    expect((error as Error).message).toContain('<Row>');
  });
});
