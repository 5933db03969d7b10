/**
 * The 18 GB characters GB 18030-2005 mapped to the Private Use Area read as GB 18030-2022's code
 * points on every path that decodes GB bytes into values: an xml-files export in GBK, the source's
 * `charset` repair, and `repairCharset`. Expected characters come from the WHATWG GB18030 decoder
 * (TextDecoder), not from the library under test: `FE59` is U+9FB4, where iconv-lite reads U+E81E.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repairText } from '../../connectors/repair/charset.js';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { decodeText } from '../../core/gb18030-2022.js';
import { charsetRepair } from '../../mappings/charset-transform.js';
import { RECORD_PATH, tempFolder, xmlConfig } from '../connectors/xml-fixtures.js';

/** The two-byte codes of the 18 characters, then `FE51`, which GB 18030-2022 leaves private. */
const CODES =
  'A6D9 A6DA A6DB A6DC A6DD A6DE A6DF A6EC A6ED A6F3 FE59 FE61 FE66 FE67 FE6D FE7E FE90 FEA0 FE51'.split(' ');
// 'BCD7' is 甲: the characters stand among ordinary text.
const BYTES = Buffer.from(`BCD7${CODES.join('')}BCD7`, 'hex');
const WANT = new TextDecoder('gb18030', { fatal: true }).decode(BYTES);

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

describe('GB 18030-2022 code points', () => {
  it('the expectation is the standard one: FE59 is U+9FB4, FE51 stays U+E816', () => {
    expect(WANT.codePointAt(11)).toBe(0x9fb4);
    expect(WANT.codePointAt(19)).toBe(0xe816);
  });

  it.each(['gb18030', 'GBK', 'gbk'])('decodeText as %s', (encoding) => {
    expect(decodeText(BYTES, encoding)).toBe(WANT);
  });

  it('other encodings are decoded as they were', () => {
    expect(decodeText(Buffer.from([0xfe, 0x59]), 'latin1')).toBe('þY');
  });

  it('an xml-files export in GBK', async () => {
    const dir = tempFolder();
    folders.push(dir);
    const head = Buffer.from('<?xml version="1.0" encoding="GBK"?><Root><Records><Record><ID>1</ID><MC>');
    const tail = Buffer.from('</MC></Record></Records></Root>');
    writeFileSync(join(dir, 'SPXK_1.xml'), Buffer.concat([head, BYTES, tail]));
    const source = openXmlFilesSource('food', xmlConfig(dir));
    const rows: SourceRow[] = [];
    const stream = { table: RECORD_PATH, key: 'ID' };
    for await (const page of source.read({ stream, after: null, pageSize: 10 })) rows.push(...page.rows);
    await source.close();
    expect(rows[0]?.values.MC).toBe(WANT);
  });

  it('the source-level charset repair, of latin1 mojibake and of bytes', () => {
    expect(repairText(BYTES.toString('latin1'), 'gbk')).toEqual({ ok: true, value: WANT });
    expect(repairText(new Uint8Array(BYTES), 'gb18030')).toEqual({ ok: true, value: WANT });
  });

  it('repairCharset', () => {
    const step = charsetRepair.compile('gb18030');
    if (typeof step !== 'function') throw new Error('compile failed');
    expect(step(BYTES.toString('latin1'))).toEqual({ ok: true, value: WANT });
  });
});
