/**
 * A U+FFFD written as such in a valid UTF-8 export (EF BF BD: a name an earlier conversion already
 * lost) was held back as "bytes that are invalid in utf-8", which they are not; the export tool's
 * encoding was blamed and `encoding` set to no avail. Such a value is still held back — a license
 * must not carry text already lost — but the reason is now the character, not the bytes. Bytes
 * really invalid in the file's encoding are told as before.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { rowsOfExport, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

/** Rows of a UTF-8 export whose record 1 holds `lost` in MC and record 2 a clean name. */
async function rowsOf(lost: Buffer, encoding: 'auto' | 'utf-8'): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  const bytes = Buffer.concat([
    Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Root><Records><Record><ID>1</ID><MC>张'),
    lost,
    Buffer.from('</MC></Record><Record><ID>2</ID><MC>李四</MC></Record></Records></Root>'),
  ]);
  writeFileSync(join(dir, 'SPXK_1.xml'), bytes);
  return rowsOfExport(openXmlFilesSource('food', xmlConfig(dir, { encoding })));
}

describe('xml-files: U+FFFD written in a valid UTF-8 file', () => {
  for (const encoding of ['auto', 'utf-8'] as const) {
    it(`holds the value back for the character, not for invalid bytes (encoding: ${encoding})`, async () => {
      const rows = await rowsOf(Buffer.from('\uFFFD', 'utf-8'), encoding);
      expect(rows[0]?.values.MC).toBeNull();
      expect(rows[0]?.problems?.map((p) => [p.code, p.column])).toEqual([['LB_SOURCE_DECODE', 'MC']]);
      const message = rows[0]?.problems?.[0]?.message ?? '';
      expect(message).toContain('field MC of record 0 in file SPXK_1.xml holds U+FFFD');
      expect(message).toContain('a conversion already lost');
      expect(message).not.toContain('invalid');
      expect(message).not.toContain('张');
      expect(rows[1]?.values.MC).toBe('李四');
      expect(rows[1]?.problems).toBeUndefined();
    });
  }

  it('still tells bytes invalid in UTF-8 as such', async () => {
    const rows = await rowsOf(Buffer.from([0xff]), 'utf-8');
    expect(rows[0]?.values.MC).toBeNull();
    expect(rows[0]?.problems?.[0]?.message).toContain('holds bytes that are invalid in utf-8');
    expect(rows[1]?.values.MC).toBe('李四');
  });
});
