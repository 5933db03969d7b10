/**
 * CDATA sections hold text as written: export tools wrap free text in them (business scope,
 * addresses pasted from web forms) precisely so that `&`, `<` and `&nbsp;` need no escaping. The
 * reference decoding that applies to ordinary text must not touch them.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function rowOf(record: string): Promise<SourceRow | undefined> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(join(dir, 'a.xml'), `<Root><Records><Record><ID>1</ID>${record}</Record></Records></Root>`);
  const source = openXmlFilesSource('food', xmlConfig(dir));
  const rows: SourceRow[] = [];
  for await (const page of source.read({
    stream: { table: RECORD_PATH, key: 'ID' },
    after: null,
    pageSize: 10,
  }))
    rows.push(...page.rows);
  await source.close();
  return rows[0];
}

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

  it('keeps CDATA in repeated elements as written too', async () => {
    const row = await rowOf('<XM><![CDATA[甲&乙]]></XM><XM><![CDATA[丙&amp;]]></XM>');
    expect(row?.values.XM).toBe('["甲&乙","丙&amp;"]');
  });
});
