/**
 * Repeated elements that carry more than text: business items exported as
 * `<JYXM><XMMC>…</XMMC><XMDM>…</XMDM></JYXM>` once per item, or `<XM dm="01">…</XM>`. Their
 * children and attributes are license content; none of it may vanish on the way to a row.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { firstRowOfRecord } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const rowOf = (record: string) => firstRowOfRecord(record, folders);

describe('xml-files: repeated elements with children or attributes', () => {
  it('keeps the children of a repeated element, one value per occurrence', async () => {
    const row = await rowOf(
      '<ID>1</ID><JYXM><XMMC>预包装食品销售</XMMC><XMDM>01</XMDM></JYXM><JYXM><XMMC>热食类食品制售</XMMC><XMDM>02</XMDM></JYXM>',
    );
    expect(row?.values).toEqual({
      ID: '1',
      'JYXM.XMMC': '["预包装食品销售","热食类食品制售"]',
      'JYXM.XMDM': '["01","02"]',
    });
    expect(row?.problems).toBeUndefined();
  });

  it('aligns the values by occurrence: an occurrence without a child has null there', async () => {
    const row = await rowOf('<ID>1</ID><XK><BH>A1</BH></XK><XK><BH>A2</BH><BZ>备注</BZ></XK>');
    expect(row?.values).toEqual({ ID: '1', 'XK.BH': '["A1","A2"]', 'XK.BZ': '[null,"备注"]' });
  });

  it('keeps the attributes of a repeated element beside its texts', async () => {
    const row = await rowOf('<ID>1</ID><XM dm="01">甲</XM><XM dm="02">乙</XM>');
    expect(row?.values).toEqual({ ID: '1', XM: '["甲","乙"]', 'XM.dm': '["01","02"]' });
  });

  it('still decodes references in those values, and quarantines a bad one by its field', async () => {
    const row = await rowOf('<ID>1</ID><XM><MC> A &amp; B </MC></XM><XM><MC>&nope;</MC></XM>');
    expect(row?.values['XM.MC']).toBeNull();
    expect(row?.problems).toEqual([expect.objectContaining({ column: 'XM.MC', code: 'LB_SOURCE_ENTITY' })]);
    const ok = await rowOf('<ID>1</ID><XM><MC> A &amp; B </MC></XM><XM><MC>&#20013;</MC></XM>');
    expect(ok?.values['XM.MC']).toBe('["A & B","中"]');
  });
});
