/**
 * A UTF-16 or UTF-32 export whose value holds half a surrogate pair (a name cut between the two
 * halves of `𠀀`, or a code unit written without its partner) holds bytes that are no character.
 * iconv-lite hands the half on as a lone surrogate, which the value kept: written out as UTF-8
 * (the ledger, a platform's JSON) it silently became U+FFFD, a character lost with no quarantine.
 * The value is refused as bytes invalid in its encoding, as an invalid UTF-8 or GBK sequence is.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { rowsOfExport, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

async function rowsOf(bytes: Buffer): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(join(dir, 'SPXK_1.xml'), bytes);
  return rowsOfExport(openXmlFilesSource('food', xmlConfig(dir)));
}

/** UTF-32 code units, `le` or `be`, of each code point (a lone surrogate too). */
function utf32(codePoints: number[], le: boolean): Buffer {
  const out = Buffer.alloc(codePoints.length * 4);
  for (const [i, c] of codePoints.entries()) {
    if (le) out.writeUInt32LE(c, i * 4);
    else out.writeUInt32BE(c, i * 4);
  }
  return out;
}
const points = (s: string): number[] => [...s].map((c) => c.codePointAt(0) ?? 0);

const HEAD = '\uFEFF<?xml version="1.0"?><Root><Records><Record><ID>1</ID><MC>张';
const TAIL = '三</MC><XM>𠀀䶮</XM></Record><Record><ID>2</ID><MC>𠀀</MC></Record></Records></Root>';

const FILES: [string, Buffer][] = [
  [
    'utf-16le, a high half',
    Buffer.concat([
      iconv.encode(HEAD, 'utf-16le'),
      Buffer.from([0x40, 0xd8]),
      iconv.encode(TAIL, 'utf-16le'),
    ]),
  ],
  [
    'utf-16be, a low half',
    Buffer.concat([
      iconv.encode(HEAD, 'utf-16be'),
      Buffer.from([0xdc, 0x00]),
      iconv.encode(TAIL, 'utf-16be'),
    ]),
  ],
  ['utf-32le, a high half', utf32([...points(HEAD), 0xd840, ...points(TAIL)], true)],
  ['utf-32be, a low half', utf32([...points(HEAD), 0xdc00, ...points(TAIL)], false)],
];

describe('xml-files: a lone surrogate in a UTF-16 or UTF-32 export', () => {
  it.each(FILES)('%s: its value is quarantined, the others read as written', async (_name, bytes) => {
    const rows = await rowsOf(bytes);
    expect(rows.map((r) => [r.key, r.values.MC, r.values.XM ?? null])).toEqual([
      ['1', null, '𠀀䶮'],
      ['2', '𠀀', null],
    ]);
    expect(rows[0]?.problems?.map((p) => [p.column, p.code])).toEqual([['MC', 'LB_SOURCE_DECODE']]);
    expect(rows[0]?.problems?.[0]?.message).toContain('field MC of record 0 in file SPXK_1.xml');
    expect(rows[1]?.problems).toBeUndefined();
    for (const row of rows)
      for (const v of Object.values(row.values)) expect(v ?? '').not.toMatch(LONE_SURROGATE);
  });
});
