/**
 * Bytes 0x80–0x9F in a file declaring ISO-8859-1 (Java tools' default declaration). ISO-8859-1
 * reads them as C1 control characters, which no business system stores: a Windows tool wrote
 * windows-1252 under that declaration, where they are curly quotes, `€`, `–`, `…`. The values went
 * out holding the controls (`“A”` as U+0093 A U+0094), unseen in most displays, without a word. A
 * value holding such a byte is now null, with a problem naming field, record and file (never the
 * value); the file's other values read as declared, and a file declaring windows-1252 as before.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { rowsOfExport, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

/** An export declaring `declared`, one record whose `MC` holds `mc` (bytes) and `XM` `Müller` in Latin-1. */
function exportBytes(declared: string, mc: number[]): Buffer {
  return Buffer.concat([
    Buffer.from(`<?xml version="1.0" encoding="${declared}"?>\n<Root><Records><Record><ID>1</ID><MC>`),
    Buffer.from(mc),
    Buffer.from('</MC><XM>M'),
    Buffer.from([0xfc]),
    Buffer.from('ller</XM></Record></Records></Root>\n'),
  ]);
}

async function rowOf(bytes: Buffer) {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(join(dir, 'SPXK_1.xml'), bytes);
  return (await rowsOfExport(openXmlFilesSource('food', xmlConfig(dir))))[0];
}

// “A” €5
const WINDOWS_1252 = [0x93, 0x41, 0x94, 0x20, 0x80, 0x35];

describe('xml-files: windows-1252 bytes under an ISO-8859-1 declaration', () => {
  for (const declared of ['ISO-8859-1', 'latin1', 'ISO_8859-1']) {
    it(`refuses a value holding bytes 0x80–0x9F declared ${declared}, naming field, record and file`, async () => {
      const row = await rowOf(exportBytes(declared, WINDOWS_1252));
      expect(row?.values.MC).toBeNull();
      expect(row?.values.XM).toBe('Müller');
      expect(row?.problems).toEqual([expect.objectContaining({ column: 'MC', code: 'LB_SOURCE_DECODE' })]);
      const message = row?.problems?.[0]?.message ?? '';
      expect(message).toContain('field MC of record 0 in file SPXK_1.xml');
      expect(message).toContain('windows-1252');
      expect(message).not.toMatch(/[\u0080-\u009F“”€]/u);
    });
  }

  it('reads them as windows-1252 characters in a file declaring windows-1252', async () => {
    const row = await rowOf(exportBytes('windows-1252', WINDOWS_1252));
    expect(row?.problems).toBeUndefined();
    expect(row?.values).toMatchObject({ MC: '“A” €5', XM: 'Müller' });
  });

  it('reads a control character written as a reference as before', async () => {
    const row = await rowOf(exportBytes('ISO-8859-1', [...Buffer.from('A&#x85;B')]));
    expect(row?.problems).toBeUndefined();
    expect(row?.values.MC).toBe('A\u0085B');
  });
});
