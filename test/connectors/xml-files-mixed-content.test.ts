/**
 * An element whose text a child element splits: markup a web system stored in a remark or business
 * scope and an export tool wrote unescaped, `预包装<b>食品</b>销售`, `第一行<br/>第二行`. Its text
 * was read as the pieces around the children run together — `预包装销售`, `第一行第二行` — with
 * the children's text moved to fields of their own, and the license carried the changed value
 * without a word. Such a field is now null and the record is held back with LB_SOURCE_DECODE
 * naming the field, the record, the file and the child element, never the text; the file's other
 * records are read. Text on one side of the children only is read as before.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { rowsOfExport, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function rowsOf(records: string[], lists: string[] = []): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  const body = records.map((r) => `<Record>${r}</Record>\n`).join('');
  writeFileSync(join(dir, 'SPXK_1.xml'), `<Root><Records>\n${body}</Records></Root>\n`);
  return rowsOfExport(openXmlFilesSource('food', { ...xmlConfig(dir), lists } as SourceConfig));
}

describe('xml-files: text split by child elements', () => {
  it('holds back the record, naming field, record, file and child, never the text', async () => {
    const rows = await rowsOf([
      '<ID>1</ID><JYFW>预包装<b>食品</b>销售</JYFW>',
      '<ID>2</ID><BZ>第一行<br/>第二行</BZ>',
      '<ID>3</ID><JYFW>预包装食品销售</JYFW>',
      '<ID>4</ID><MC>王<欧阳秀英>x</欧阳秀英>明</MC>',
      '<ID>5</ID><XM><dm>02</dm>冷食</XM><MC>甲 <B>乙</B></MC>',
    ]);
    expect(rows.map((r) => r.problems?.map((p) => [p.code, p.column]) ?? [])).toEqual([
      [['LB_SOURCE_DECODE', 'JYFW']],
      [['LB_SOURCE_DECODE', 'BZ']],
      [],
      [['LB_SOURCE_DECODE', 'MC']],
      [],
    ]);
    expect(rows[0]?.values.JYFW).toBeNull();
    expect(rows[1]?.values.BZ).toBeNull();
    expect(rows[2]?.values.JYFW).toBe('预包装食品销售');
    // Text on one side of its children is read as before: a code beside its item, say.
    expect(rows[4]?.values).toMatchObject({ XM: '冷食', 'XM.dm': '02', MC: '甲', 'MC.B': '乙' });
    expect(rows[0]?.problems?.[0]?.message).toBe(
      'xml-files: decode failed: field JYFW of record 0 in file SPXK_1.xml holds text beside child elements (<b>): read as one value, its text would run together without them; have the export tool escape markup in values (&lt;b&gt;) or write such values in CDATA sections',
    );
    const said = JSON.stringify(rows.map((r) => r.problems));
    for (const piece of ['预包装', '销售', '第一行', '王', '欧阳秀英', '明'])
      expect(said).not.toContain(piece);
  });

  it('holds back a repeated element one of whose occurrences has its text split', async () => {
    const rows = await rowsOf(
      ['<ID>1</ID><XM>甲<i>注</i>丁</XM><XM>乙</XM>', '<ID>2</ID><XM>丙</XM>'],
      ['XM'],
    );
    expect(rows[0]?.problems?.map((p) => [p.code, p.column])).toEqual([['LB_SOURCE_DECODE', 'XM']]);
    expect(rows[0]?.values.XM).toBeNull();
    expect(rows[1]?.values.XM).toBe('["丙"]');
  });

  it('reads a pretty-printed container, and text around a comment, as before', async () => {
    const rows = await rowsOf([
      '<ID>1</ID>\n  <DZ>\n    <SHENG>山东</SHENG>\n    <SHI>济南</SHI>\n  </DZ>\n  <MC>张<!-- 备注 -->三</MC>\n',
    ]);
    expect(rows[0]?.problems ?? []).toEqual([]);
    expect(rows[0]?.values).toMatchObject({ 'DZ.SHENG': '山东', 'DZ.SHI': '济南', MC: '张三' });
  });
});
