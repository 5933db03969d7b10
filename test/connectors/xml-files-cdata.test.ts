/**
 * CDATA sections hold text as written: export tools wrap free text in them (business scope,
 * addresses pasted from web forms) precisely so that `&`, `<` and `&nbsp;` need no escaping. The
 * reference decoding that applies to ordinary text must not touch them.
 */
import { rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { firstRowOfRecord, RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const rowOf = (record: string) => firstRowOfRecord(`<ID>1</ID>${record}`, folders);

describe('xml-files: CDATA sections', () => {
  it('keeps text that looks like a reference as written', async () => {
    const row = await rowOf('<JYFW><![CDATA[预包装食品销售&amp;散装食品销售]]></JYFW>');
    expect(row?.values.JYFW).toBe('预包装食品销售&amp;散装食品销售');
  });

  it('does not quarantine a row for an entity-like text inside CDATA', async () => {
    const row = await rowOf('<DZ><![CDATA[长江中路1号&nbsp;<3栋>]]></DZ>');
    expect(row?.problems).toBeUndefined();
    expect(row?.values.DZ).toBe('长江中路1号&nbsp;<3栋>');
  });

  it('joins CDATA with the ordinary text around it, decoding only the ordinary text', async () => {
    const row = await rowOf('<MC>A &amp; <![CDATA[B &amp; C]]> &#20013;</MC>');
    expect(row?.values.MC).toBe('A & B &amp; C 中');
  });

  it('a comment or processing instruction holding `<![CDATA[` opens no section: the records after it are read', async () => {
    const dir = tempFolder();
    folders.push(dir);
    // A comment the export tool writes about its format, and a CDATA section further on.
    await writeFile(
      join(dir, 'SPXK_1.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<Root><Records>
<!-- free text is wrapped in <![CDATA[ -->
<?note values in <![CDATA[ are as written ?>
<Record><ID>1</ID><MC>甲&amp;乙</MC></Record>
<Record><ID>2</ID><MC>丙</MC></Record>
<Record><ID>3</ID><MC><![CDATA[丁&amp;]]></MC></Record>
</Records></Root>`,
    );
    const source = openXmlFilesSource('food', xmlConfig(dir));
    try {
      const rows = await source.fileRows({ table: RECORD_PATH, key: 'ID' }, 'SPXK_1.xml');
      expect(rows.map((r) => [r.key, r.values.MC])).toEqual([
        ['1', '甲&乙'],
        ['2', '丙'],
        ['3', '丁&amp;'],
      ]);
    } finally {
      await source.close();
    }
  });

  it('keeps CDATA in repeated elements as written too', async () => {
    const row = await rowOf('<XM><![CDATA[甲&乙]]></XM><XM><![CDATA[丙&amp;]]></XM>');
    expect(row?.values.XM).toBe('["甲&乙","丙&amp;"]');
  });
});
