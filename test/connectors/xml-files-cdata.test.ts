/**
 * CDATA sections hold text as written: export tools wrap free text in them (business scope,
 * addresses pasted from web forms) precisely so that `&`, `<` and `&nbsp;` need no escaping. The
 * reference decoding that applies to ordinary text must not touch them.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { firstRowOfRecord } from './xml-fixtures.js';

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

  it('keeps CDATA in repeated elements as written too', async () => {
    const row = await rowOf('<XM><![CDATA[甲&乙]]></XM><XM><![CDATA[丙&amp;]]></XM>');
    expect(row?.values.XM).toBe('["甲&乙","丙&amp;"]');
  });
});
