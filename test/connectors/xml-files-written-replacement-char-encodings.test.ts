/**
 * A U+FFFD written as such (a name an earlier conversion already lost) in a valid export in an
 * encoding other than UTF-8 — GB 18030's `84 31 A4 37`, UTF-16's `FD FF` — was held back as "bytes
 * that are invalid in gb18030", which they are not, and the message sent the user to set
 * `encoding`, which cannot help. Such a value is still held back, now for the character, as in a
 * valid UTF-8 file; bytes really invalid in the file's encoding are told as before.
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

const HEAD = '<Root><Records><Record><ID>1</ID><MC>张';
const TAIL = '</MC></Record><Record><ID>2</ID><MC>李四</MC></Record></Records></Root>';

async function rowsOf(bytes: Buffer): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(join(dir, 'SPXK_1.xml'), bytes);
  return rowsOfExport(openXmlFilesSource('food', xmlConfig(dir)));
}

function gb(lost: Buffer): Buffer {
  const declared = '<?xml version="1.0" encoding="GB18030"?>';
  return Buffer.concat([iconv.encode(declared + HEAD, 'gb18030'), lost, iconv.encode(TAIL, 'gb18030')]);
}

function heldForTheCharacter(rows: SourceRow[], encoding: string): void {
  expect(rows[0]?.values.MC).toBeNull();
  expect(rows[0]?.problems?.map((p) => [p.code, p.column])).toEqual([['LB_SOURCE_DECODE', 'MC']]);
  const message = rows[0]?.problems?.[0]?.message ?? '';
  expect(message).toContain('field MC of record 0 in file SPXK_1.xml holds U+FFFD');
  expect(message).toContain(`the file's bytes are valid ${encoding}`);
  expect(message).not.toContain('invalid');
  expect(rows[1]?.values.MC).toBe('李四');
}

describe('xml-files: U+FFFD written in a valid export in another encoding', () => {
  it('GB 18030: holds the value back for the character, not for invalid bytes', async () => {
    const lost = iconv.encode('\uFFFD', 'gb18030');
    expect([...lost]).toEqual([0x84, 0x31, 0xa4, 0x37]);
    heldForTheCharacter(await rowsOf(gb(lost)), 'gb18030');
  });

  it('UTF-16 with its byte-order mark: the same', async () => {
    const text = `${HEAD}\uFFFD${TAIL}`;
    heldForTheCharacter(
      await rowsOf(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])),
      'utf-16le',
    );
  });

  it('still tells bytes invalid in GB 18030 as such', async () => {
    const rows = await rowsOf(gb(Buffer.from([0x81, 0x20])));
    expect(rows[0]?.values.MC).toBeNull();
    expect(rows[0]?.problems?.[0]?.message).toContain('holds bytes that are invalid in gb18030');
    expect(rows[1]?.values.MC).toBe('李四');
  });
});
