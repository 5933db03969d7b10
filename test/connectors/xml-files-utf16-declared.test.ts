/**
 * A UTF-8 file that declares UTF-16, as .NET writes it (an XmlDocument saved through a
 * StringWriter, whose declaration says utf-16, then written to a file as UTF-8): a declaration
 * licbridge read as ASCII bytes cannot be in a two- or four-byte encoding (XML 1.0 appendix F), yet
 * the file was decoded as UTF-16, read as not well-formed at line 1, column 1 (`char '…' is not
 * expected`), and it and every file after it waited for good. Such a file is read as UTF-8, its
 * bytes doubted as any file read as UTF-8 without a declaration saying so.
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

const text = (declared: string) =>
  `<?xml version="1.0" encoding="${declared}"?>\r\n<Root>\r\n  <Records>\r\n    <Record><ID>0012</ID><MC>欧阳秀英食品店</MC></Record>\r\n  </Records>\r\n</Root>`;

async function rows(bytes: Buffer): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(join(dir, 'E001.xml'), bytes);
  const source = openXmlFilesSource('food', xmlConfig(dir));
  const out: SourceRow[] = [];
  try {
    for await (const page of source.read({
      stream: { table: RECORD_PATH, key: 'ID' },
      after: null,
      pageSize: 10,
    }))
      out.push(...page.rows);
  } finally {
    await source.close();
  }
  return out;
}

describe('xml-files: a declaration of UTF-16 on bytes that are not', () => {
  it.each(['utf-16', 'UTF-16', 'utf-16LE', 'UTF-32', 'UCS-2'])(
    'reads UTF-8 declaring %s as UTF-8',
    async (declared) => {
      const read = await rows(Buffer.from(text(declared), 'utf8'));
      expect(read.map((r) => [r.key, r.values.MC, r.problems ?? []])).toEqual([
        ['0012', '欧阳秀英食品店', []],
      ]);
    },
  );

  it('doubts GBK bytes under it, as it doubts them without a declaration', async () => {
    const read = await rows(iconv.encode(text('utf-16'), 'gbk'));
    expect(read.map((r) => [r.key, r.values.MC, (r.problems ?? []).map((p) => p.code)])).toEqual([
      ['0012', null, ['LB_SOURCE_DECODE']],
    ]);
  });

  it('still reads UTF-16 with its byte-order mark', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text('utf-16'), 'utf-16le')]);
    expect((await rows(bytes)).map((r) => r.values.MC)).toEqual(['欧阳秀英食品店']);
  });

  // XML 1.0 appendix F: without a mark, ASCII characters of two bytes each, one of them zero, are
  // UTF-16 (SQL Server's `bcp … -w` writes a FOR XML export so, with no declaration either). Read
  // as UTF-8, such a file was refused at its first character, and the files after it waited.
  it.each([
    ['little-endian with its declaration', 'utf-16le', text('utf-16')],
    ['big-endian with its declaration', 'utf-16be', text('utf-16')],
    ['little-endian without a declaration', 'utf-16le', text('utf-16').replace(/^<\?xml[^>]*>\r\n/, '')],
  ])('reads UTF-16 without a byte-order mark, %s', async (_, encoding, xml) => {
    expect((await rows(iconv.encode(xml, encoding))).map((r) => [r.key, r.values.MC])).toEqual([
      ['0012', '欧阳秀英食品店'],
    ]);
  });
});
