/**
 * A UTF-8 byte-order mark gives way to the source's `encoding: gbk` only before a GBK body: UTF-8
 * Chinese is valid GBK as well (张 E5 BC A0 reads 寮 and half of another character), so a UTF-8
 * file read as GBK would hold other characters in every value, quarantined by nothing.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function rowsOf(bytes: Buffer, overrides = {}): Promise<Map<string, SourceRow>> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(join(dir, 'a.xml'), bytes);
  const source = openXmlFilesSource('food', xmlConfig(dir, overrides));
  const rows: SourceRow[] = [];
  try {
    for await (const page of source.read({
      stream: { table: RECORD_PATH, key: 'ID' },
      after: null,
      pageSize: 100,
    }))
      rows.push(...page.rows);
  } finally {
    await source.close();
  }
  return new Map(rows.map((r) => [r.key, r]));
}

const MARK = Buffer.from([0xef, 0xbb, 0xbf]);
const ascii = (s: string) => Buffer.from(s, 'latin1');

/** A UTF-8 file behind its mark whose records carry `MC` as the bytes given. */
function utf8File(names: Buffer[]): Buffer {
  const parts: Buffer[] = [MARK, ascii('<?xml version="1.0" encoding="UTF-8"?><Root><Records>')];
  names.forEach((name, i) => {
    parts.push(ascii(`<Record><ID>${i + 1}</ID><DM>00${i + 1}</DM><MC>`), name, ascii('</MC></Record>'));
  });
  parts.push(ascii('</Records></Root>'));
  return Buffer.concat(parts);
}

describe('xml-files: a UTF-8 byte-order mark before UTF-8 text, under encoding: gbk', () => {
  it('names cut at a byte limit (one character whole, one cut, in each) are not read as GBK', async () => {
    // Two-character names in a column of 4 bytes: as many invalid sequences as valid characters,
    // which utf8Doubt alone takes for a GBK body, and 4 bytes that read as two GBK characters.
    const names = ['张伟', '王芳', '李娜'].map((n) => Buffer.from(n, 'utf-8').subarray(0, 4));
    const rows = await rowsOf(utf8File(names), { encoding: 'gbk' });
    for (const [i, name] of names.entries()) {
      const row = rows.get(String(i + 1));
      expect(row?.values.MC).not.toBe(iconv.decode(name, 'gb18030'));
      expect(row?.values.MC).toBeNull();
      expect(row?.problems?.[0]).toMatchObject({ column: 'MC', code: 'LB_SOURCE_DECODE' });
      expect(row?.values.DM).toBe(`00${i + 1}`);
    }
  });

  for (const encoding of ['gbk', 'auto'] as const) {
    it(`common names beside a U+FFFD written in the file read as written (encoding: ${encoding})`, async () => {
      // U+FFFD written as such (EF BF BD: a name an earlier conversion lost) is valid UTF-8.
      const names = ['张三', '\uFFFD\uFFFD\uFFFD'].map((n) => Buffer.from(n, 'utf-8'));
      const rows = await rowsOf(utf8File(names), { encoding });
      expect(rows.get('1')?.values.MC).toBe('张三');
      expect(rows.get('1')?.problems).toBeUndefined();
      expect(rows.get('2')?.values.MC).toBeNull();
      expect(rows.get('2')?.problems?.[0]).toMatchObject({ column: 'MC', code: 'LB_SOURCE_DECODE' });
    });
  }

  it('a GBK body behind the mark still reads as GBK, names with extension characters too', async () => {
    const names = ['王喆', '李堃', '青岛西海岸新区市场监督管理局'].map((n) => iconv.encode(n, 'gbk'));
    const rows = await rowsOf(utf8File(names), { encoding: 'gbk' });
    expect([1, 2, 3].map((i) => rows.get(String(i))?.values.MC)).toEqual([
      '王喆',
      '李堃',
      '青岛西海岸新区市场监督管理局',
    ]);
  });
});
