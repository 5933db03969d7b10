/**
 * `repairCharset` on text the driver already decoded with losses. tedious reads a SQL Server
 * varchar of a Latin1 collation as cp1252, which has no character for 0x81 0x8D 0x8F 0x90 0x9D and
 * puts U+FFFD there: GBK `垚` (0x88 0x90) loses its second byte. Such text holds a character no
 * single byte decodes to, and passed the transform as "already Unicode", mojibake and all, where
 * the source-level repair refuses it (test/connectors/repair-driver-replaced.test.ts). In a mapping
 * the input check after it then quarantined the row with a generic reason that sent the reader to
 * the source charset (`GBK stored as latin1?`), the very thing the field already repairs. The
 * transform refuses the text itself: the row is quarantined naming the field and the column, with
 * what was lost and what to do; the message quotes no value, since the field may be a holder's name.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetRepair } from '../../mappings/charset-transform.js';
import { compileMappingText } from '../../mappings/compile.js';

/** What tedious hands over for GBK bytes stored in a SQL_Latin1_General_CP1 varchar column. */
const asTedious = (text: string): string => iconv.decode(iconv.encode(text, 'gbk'), 'cp1252');

const mapping = compileMappingText(
  [
    'fields:',
    '  holder.name: { from: JYZMC, transform: [{ repairCharset: gb18030 }] }',
    '  surface.address: { from: JYCS, transform: [{ repairCharset: gbk }] }',
    '',
  ].join('\n'),
  'food.yaml',
);

describe('repairCharset on text holding U+FFFD the driver put there', () => {
  it('quarantines the row, naming the field and the column, quoting no value', () => {
    const name = asTedious('王垚');
    expect(name).toContain('\ufffd');
    const r = mapping.map({ JYZMC: name, JYCS: asTedious('青岛市') });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reasons).toHaveLength(1);
    const [reason] = r.reasons;
    expect(reason).toMatchObject({ code: 'LB_MAP_ENCODING', path: 'holder.name', column: 'JYZMC' });
    expect(reason?.message).toMatch(
      /^mapping: holder\.name: 1 character the driver could not decode, already replaced with U\+FFFD/,
    );
    expect(reason?.message).toContain('read the column as bytes');
    // Neither the mojibake nor the part of the name that survived it.
    for (const shown of [reason?.message ?? '', String(reason?.value ?? '')]) {
      expect(shown).not.toContain(name);
      expect(shown).not.toContain(name.slice(0, 2));
    }
  });

  it('counts every lost character, in a field that is not personal too', () => {
    const address = `${asTedious('垚')}路${asTedious('垚')}号`;
    const r = mapping.map({ JYZMC: asTedious('王磊'), JYCS: address });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reasons.map((x) => [x.code, x.path, x.column])).toEqual([
      ['LB_MAP_ENCODING', 'surface.address', 'JYCS'],
    ]);
    expect(r.reasons[0]?.message).toMatch(
      /^mapping: surface\.address: 2 characters the driver could not decode/,
    );
  });

  it('still repairs the same column when no byte was lost, and real text passes', () => {
    const r = mapping.map({ JYZMC: asTedious('王磊'), JYCS: '青岛市“海滨”路' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.fields.holder).toMatchObject({ name: '王磊' });
    expect(r.fields.surface).toMatchObject({ address: '青岛市“海滨”路' });
  });

  it('the transform itself refuses such text, as the source-level repair does, whatever follows it', () => {
    const step = charsetRepair.compile('gb18030');
    if (typeof step !== 'function') throw new Error('gb18030 did not compile');
    expect(step(asTedious('王垚'))).toMatchObject({ ok: false, code: 'LB_MAP_ENCODING' });
    expect(step(asTedious('王磊'))).toEqual({ ok: true, value: '王磊' });
  });
});
