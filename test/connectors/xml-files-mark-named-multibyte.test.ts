/**
 * A UTF-8 byte-order mark before a Big5, Shift_JIS or EUC-KR body (a template's header, saved with
 * a mark, in front of a Taiwanese, Japanese or Korean tool's records) gives way to the source's
 * `encoding: big5` (`shift_jis`, `euc-kr`), as it gives way to `gbk` before a GBK body. The mark
 * gave way only to bytes that read as GBK Chinese text, which Big5 and Shift_JIS bytes do not: the
 * file was read as UTF-8 by its mark whatever was set, every value holding non-ASCII text
 * quarantined, its doubt asking to set the `encoding` that was set. UTF-8 names cut at a byte limit
 * still keep the mark: they read worse in these encodings than in UTF-8.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import type { SourceEncoding } from '../../core/encoding-labels.js';
import { RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function rowsOf(bytes: Buffer, encoding: SourceEncoding): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(join(dir, 'a.xml'), bytes);
  const source = openXmlFilesSource('food', xmlConfig(dir, { encoding }));
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
  return rows;
}

const MARK = Buffer.from([0xef, 0xbb, 0xbf]);
const ascii = (s: string) => Buffer.from(s, 'latin1');

/** A file behind a UTF-8 mark whose records carry `MC` as the bytes given. */
function markedFile(names: Buffer[]): Buffer {
  const parts: Buffer[] = [MARK, ascii('<?xml version="1.0" encoding="UTF-8"?><Root><Records>')];
  names.forEach((name, i) => {
    parts.push(ascii(`<Record><ID>${i + 1}</ID><MC>`), name, ascii('</MC></Record>'));
  });
  parts.push(ascii('</Records></Root>'));
  return Buffer.concat(parts);
}

const CASES = [
  ['big5', ['臺北市政府衛生局', '營業許可證', '王小明']],
  ['shift_jis', ['株式会社山田商店', '東京都千代田区丸の内', 'ｶﾌﾞｼｷｶﾞｲｼｬ']],
  ['euc-kr', ['서울특별시', '영업허가증', '김철수']],
] as const;

describe('xml-files: a UTF-8 byte-order mark before a body in the encoding the source names', () => {
  it.each(CASES)('a %s body behind the mark reads as written', async (encoding, names) => {
    const rows = await rowsOf(markedFile(names.map((n) => iconv.encode(n, encoding))), encoding);
    expect(rows.map((r) => [r.values.MC, r.problems ?? []])).toEqual(names.map((n) => [n, []]));
  });

  it.each(CASES.map(([encoding]) => encoding))(
    'UTF-8 names cut at a byte limit keep the mark under %s',
    async (encoding) => {
      // Two-character names in a column of 4 bytes: as many invalid UTF-8 sequences as valid characters.
      const names = ['张伟', '王芳', '李娜'].map((n) => Buffer.from(n, 'utf-8').subarray(0, 4));
      const rows = await rowsOf(markedFile(names), encoding);
      expect(rows.map((r) => r.values.MC)).toEqual([null, null, null]);
      expect(rows.map((r) => r.problems?.[0]?.code)).toEqual(names.map(() => 'LB_SOURCE_DECODE'));
    },
  );
});
