/**
 * GB 18030's four-byte codes cover U+0080–U+FFFF (`81 30 81 30`–`84 31 A4 39`) and
 * U+10000–U+10FFFF (`90 30 81 30`–`E3 32 9A 35`); the codes between and past them are no
 * character (the WHATWG GB18030 decoder, Node's TextDecoder, reads them as errors). iconv-lite
 * reads them on: `84 31 A5 30` as U+10000 𐀀, `8F 39 FE 39` as U+3484B, and `E3 32 9A 36` as two
 * lone surrogates, so a value cut or damaged there went out as other characters, unquestioned.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { decodeText } from '../../core/gb18030-2022.js';
import { rowsOfExport, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

/** Four-byte codes that are no character: between the two ranges, at both ends, and past U+10FFFF. */
const UNASSIGNED = ['8431a530', '8f39fe39', 'e3329a36', 'fe39fe39'];
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

async function rowsOf(bytes: Buffer, encoding?: SourceConfig['encoding']): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(join(dir, 'SPXK_1.xml'), bytes);
  return rowsOfExport(openXmlFilesSource('food', xmlConfig(dir, encoding ? { encoding } : {})));
}

describe('GB 18030 four-byte codes that are no character', () => {
  it.each(UNASSIGNED)('decodeText reads %s as an invalid sequence, as TextDecoder does', (hex) => {
    const bytes = Buffer.concat([
      iconv.encode('张', 'gb18030'),
      Buffer.from(hex, 'hex'),
      iconv.encode('三', 'gb18030'),
    ]);
    expect(new TextDecoder('gb18030').decode(bytes)).toBe('张\uFFFD三');
    expect(decodeText(bytes, 'gb18030')).toBe('张\uFFFD三');
  });

  it('the characters of the two ranges read as written around them', () => {
    const text = '𠀀䶮\uFFFF\u{10FFFF}€张';
    const bytes = Buffer.concat([
      iconv.encode(text, 'gb18030'),
      Buffer.from('8431a530', 'hex'),
      iconv.encode(text, 'gb18030'),
    ]);
    expect(decodeText(bytes, 'gb18030')).toBe(`${text}\uFFFD${text}`);
  });

  it.each([undefined, 'gbk', 'gb18030'] as const)(
    'an export holding one is quarantined at that field alone (encoding %s)',
    async (encoding) => {
      const head = Buffer.from('<?xml version="1.0" encoding="GBK"?><Root><Records>');
      const records = UNASSIGNED.map((hex, i) =>
        Buffer.concat([
          Buffer.from(`<Record><ID>${i + 1}</ID><MC>`),
          iconv.encode('张', 'gb18030'),
          Buffer.from(hex, 'hex'),
          Buffer.from('</MC><XM>'),
          iconv.encode('𠀀䶮', 'gb18030'),
          Buffer.from('</XM></Record>'),
        ]),
      );
      const rows = await rowsOf(
        Buffer.concat([head, ...records, Buffer.from('</Records></Root>')]),
        encoding,
      );
      expect(rows.map((r) => [r.key, r.values.MC, r.values.XM])).toEqual(
        UNASSIGNED.map((_, i) => [String(i + 1), null, '𠀀䶮']),
      );
      for (const row of rows) {
        expect(row.problems?.map((p) => [p.column, p.code])).toEqual([['MC', 'LB_SOURCE_DECODE']]);
        expect(row.problems?.[0]?.message).toContain('field MC of record');
        expect(row.problems?.[0]?.message).toContain('SPXK_1.xml');
        expect(row.problems?.[0]?.message).not.toContain('张');
        expect(JSON.stringify(row.values)).not.toMatch(LONE_SURROGATE);
      }
    },
  );
});
