/**
 * A record path written without prefixes reads elements by their local names, so that a prefix the
 * export tool chooses anew (`ns2:`, then `lic:`) changes nothing. Two child elements of one element
 * with one local name in two namespaces (`<MC>` and `<ext:MC>`: a core field and an extension's of
 * the same name) are two fields, though: they were read as one repeated element, their texts run
 * into one JSON list (`["甲店","Jia Store"]`) that the license carried as the name, without a word.
 * Such a field is now a clash (LB_SOURCE_FIELD_CLASH, naming both elements, never a value) and the
 * record is quarantined, as two attributes of one local name are; one namespace under two prefixes
 * is one element, repeated as before.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { rowsOfExport, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function rowsOf(records: string, overrides = {}): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(
    join(dir, 'SPXK_1.xml'),
    `<Root xmlns="urn:core" xmlns:ext="urn:ext" xmlns:lic="urn:core"><Records>${records}</Records></Root>`,
  );
  return rowsOfExport(openXmlFilesSource('food', xmlConfig(dir, overrides)));
}

describe('xml-files: child elements of one local name in two namespaces', () => {
  it('quarantines the record, naming both elements, never a value', async () => {
    const rows = await rowsOf(
      '<Record><ID>1</ID><MC>甲店</MC><ext:MC>Jia Store</ext:MC></Record><Record><ID>2</ID><MC>乙店</MC></Record>',
    );
    expect(rows.map((r) => r.key)).toEqual(['1', '2']);
    expect(rows[0]?.values.MC).toBeNull();
    expect(rows[0]?.problems).toEqual([
      expect.objectContaining({ column: 'MC', code: 'LB_SOURCE_FIELD_CLASH' }),
    ]);
    const message = rows[0]?.problems?.[0]?.message ?? '';
    expect(message).toContain('field MC of record 0 in file SPXK_1.xml');
    expect(message).toContain('<MC> and <ext:MC>');
    expect(message).toContain('two namespaces');
    expect(message).not.toMatch(/甲店|Jia/);
    expect(rows[1]?.values.MC).toBe('乙店');
    expect(rows[1]?.problems).toBeUndefined();
  });

  it('tells fields nested in such elements, and in repeated ones, too', async () => {
    const rows = await rowsOf(
      '<Record><ID>1</ID><DZ><SHENG>山东</SHENG></DZ><ext:DZ><SHENG>Shandong</SHENG></ext:DZ>' +
        '<JYXM><XMMC>预包装食品</XMMC><ext:XMMC>Prepackaged food</ext:XMMC></JYXM><JYXM><XMMC>散装食品</XMMC></JYXM></Record>',
    );
    expect(rows[0]?.values['DZ.SHENG']).toBeNull();
    expect(rows[0]?.values['JYXM.XMMC']).toBeNull();
    expect(rows[0]?.problems?.map((p) => [p.column, p.code])).toEqual([
      ['DZ.SHENG', 'LB_SOURCE_FIELD_CLASH'],
      ['JYXM.XMMC', 'LB_SOURCE_FIELD_CLASH'],
    ]);
  });

  it('tells a `lists` field whose items come from two namespaces', async () => {
    const rows = await rowsOf('<Record><ID>1</ID><XM>甲</XM><ext:XM>乙</ext:XM></Record>', {
      lists: ['XM'],
    });
    expect(rows[0]?.values.XM).toBeNull();
    expect(rows[0]?.problems?.map((p) => [p.column, p.code])).toEqual([['XM', 'LB_SOURCE_FIELD_CLASH']]);
  });

  it('reads one namespace written with two prefixes, or none, as one repeated element', async () => {
    const rows = await rowsOf('<Record><ID>1</ID><XM>甲</XM><lic:XM>乙</lic:XM><XM>丙</XM></Record>');
    expect(rows[0]?.problems).toBeUndefined();
    expect(rows[0]?.values.XM).toBe('["甲","乙","丙"]');
  });

  it('tells a key in two namespaces as repeated, as before', async () => {
    const rows = await rowsOf('<Record><ID>1</ID><ext:ID>X-9</ext:ID></Record>');
    expect(rows[0]?.key).toBe('SPXK_1.xml#0');
    expect(rows[0]?.problems?.map((p) => p.code)).toEqual(['LB_SOURCE_FIELD_REPEATED']);
  });

  it('reads fields by their prefixed names where the record path is written with prefixes', async () => {
    const dir = tempFolder();
    folders.push(dir);
    writeFileSync(
      join(dir, 'SPXK_1.xml'),
      '<c:Root xmlns:c="urn:core" xmlns:ext="urn:ext"><c:Records><c:Record><c:ID>1</c:ID><c:MC>甲店</c:MC><ext:MC>Jia</ext:MC></c:Record></c:Records></c:Root>',
    );
    const path = 'c:Root/c:Records/c:Record';
    const source = openXmlFilesSource('food', xmlConfig(dir, { recordPath: path }));
    const rows: SourceRow[] = [];
    for await (const page of source.read({ stream: { table: path, key: 'c:ID' }, after: null, pageSize: 10 }))
      rows.push(...page.rows);
    await source.close();
    expect(rows[0]?.problems).toBeUndefined();
    expect(rows[0]?.values).toMatchObject({ 'c:MC': '甲店', 'ext:MC': 'Jia' });
  });
});
