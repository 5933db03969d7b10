/**
 * A repeated element holding a list (holders, business scope items) read as plain text when a
 * record held it once (`<XM>甲</XM>` → `甲`) and as a JSON list when twice (`["甲","乙"]`): the
 * value's shape followed the record's item count. A field named in `lists` is a list in every
 * record: one item a one-item list, as a database array column is JSON list text.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { isLicbridgeError } from '../../core/errors.js';
import { rowsOfExport, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const withLists = (dir: string, lists: string[], more: Partial<SourceConfig> = {}): SourceConfig =>
  ({ ...xmlConfig(dir, more), lists }) as SourceConfig;

async function rowsOf(
  records: string[],
  lists: string[],
  more: Partial<SourceConfig> = {},
): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  const body = records.map((r) => `<Record>${r}</Record>`).join('');
  writeFileSync(join(dir, 'a.xml'), `<Root><Records>${body}</Records></Root>`);
  return rowsOfExport(openXmlFilesSource('food', withLists(dir, lists, more)));
}

const items = (row: SourceRow | undefined, field: string): unknown =>
  JSON.parse(String(row?.values[field] ?? 'null'));

describe('xml-files: list fields', () => {
  it('reads a list field as a list whether a record holds one item or two', async () => {
    const [one, two] = await rowsOf(['<ID>1</ID><XM>甲</XM>', '<ID>2</ID><XM>甲</XM><XM>乙</XM>'], ['XM']);
    expect(one?.values.XM).toBe('["甲"]');
    expect(two?.values.XM).toBe('["甲","乙"]');
    expect(items(one, 'XM')).toHaveLength(1);
    expect(items(two, 'XM')).toHaveLength(2);
    expect(one?.problems).toBeUndefined();
  });

  it('reads a repeated container as lists of its children, one occurrence too', async () => {
    const [one, two] = await rowsOf(
      [
        '<ID>1</ID><JYXM><XMMC>预包装食品销售</XMMC><XMDM>01</XMDM></JYXM>',
        '<ID>2</ID><JYXM><XMMC>预包装食品销售</XMMC><XMDM>01</XMDM></JYXM><JYXM><XMMC>热食类食品制售</XMMC><XMDM>02</XMDM></JYXM>',
      ],
      ['JYXM'],
    );
    expect(one?.values).toMatchObject({ 'JYXM.XMMC': '["预包装食品销售"]', 'JYXM.XMDM': '["01"]' });
    expect(two?.values).toMatchObject({ 'JYXM.XMDM': '["01","02"]' });
  });

  it('reads a list field nested in another element by its dotted name', async () => {
    const [row] = await rowsOf(['<ID>1</ID><ZT><XM>甲</XM></ZT>'], ['ZT.XM']);
    expect(row?.values['ZT.XM']).toBe('["甲"]');
  });

  it('reads a list field by its local name, whatever prefix the export tool gave it', async () => {
    const [row] = await rowsOf(['<ID>1</ID><ns2:XM xmlns:ns2="urn:x">甲</ns2:XM>'], ['XM']);
    expect(row?.values.XM).toBe('["甲"]');
  });

  it('reads a record without the element as null, as an absent element is, not as a missing column', async () => {
    const [row] = await rowsOf(['<ID>1</ID>', '<ID>2</ID><XM>甲</XM>'], ['XM']);
    expect(row?.values).toEqual({ ID: '1', XM: null });
  });

  it('leaves fields not named as they were: one element is its text', async () => {
    const [row] = await rowsOf(['<ID>1</ID><XM>甲</XM><MC>乙</MC>'], ['XM']);
    expect(row?.values.MC).toBe('乙');
  });

  it('refuses a list naming the stream key, naming the field and the stream', async () => {
    const e = await rowsOf(['<ID>1</ID>'], ['ID']).catch((x: unknown) => x);
    expect(isLicbridgeError(e) && e.code).toBe('LB_CONFIG_INVALID');
    expect(String((e as Error).message)).toContain(
      '`sources.food.lists` names `ID`, the key of stream Root/Records/Record',
    );
  });

  it('refuses a list naming no declared field, with the close match', async () => {
    const dir = tempFolder();
    folders.push(dir);
    let error: unknown;
    try {
      openXmlFilesSource('food', withLists(dir, ['XMM'], { fields: ['ID', 'XM'] }));
    } catch (e) {
      error = e;
    }
    expect(isLicbridgeError(error) && error.code).toBe('LB_CONFIG_INVALID');
    expect(String((error as Error).message)).toContain('`sources.food.lists` names `XMM`');
    expect(String((error as Error).message)).toContain('`XM`');
  });

  it('discover proposes `lists` for an element repeated in any record, its container only', async () => {
    const dir = tempFolder();
    folders.push(dir);
    writeFileSync(
      join(dir, 'a.xml'),
      '<Root><Records><Record><ID>1</ID><XM>甲</XM><JYXM><MC>a</MC></JYXM></Record>' +
        '<Record><ID>2</ID><XM>甲</XM><XM>乙</XM><JYXM><MC>a</MC></JYXM><JYXM><MC>b</MC><DM>1</DM><DM>2</DM></JYXM></Record></Records></Root>',
    );
    const notesOf = async (config: SourceConfig) => {
      const source = openXmlFilesSource('food', config);
      try {
        const [table] = await source.discover();
        return table?.notes ?? [];
      } finally {
        await source.close();
      }
    };
    const notes = await notesOf(xmlConfig(dir));
    expect(notes).toContainEqual(expect.stringContaining('set `lists: [JYXM, XM]` on the source'));
    // Named already: not proposed again.
    expect((await notesOf(withLists(dir, ['JYXM', 'XM']))).join('\n')).not.toContain('lists:');
  });
});
