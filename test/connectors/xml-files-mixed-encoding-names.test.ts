/**
 * A UTF-8 export holding a few bytes of another encoding (one record's name pasted in from a GBK
 * system): decoding puts U+FFFD in their place. Too few to doubt the file (decode.ts utf8Doubt),
 * they must still hold back the record they are in, named by file, record and field, never by
 * value: in a value (the holder's name), and in an element's or attribute's name, where the record
 * read the element under a name no mapping reads and went out without it, the holder's name
 * missing from the license without a word.
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

const stream = { table: RECORD_PATH, key: 'ID' };
const utf8 = (s: string) => Buffer.from(s, 'utf8');
const gbk = (s: string) => iconv.encode(s, 'gbk');

/** A UTF-8 export of two records: the first all UTF-8, the second the bytes `second` (index 1). */
async function rowsOf(...second: Buffer[]): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  const bytes = Buffer.concat([
    utf8('<?xml version="1.0" encoding="UTF-8"?>\n<Root><Records>\n'),
    utf8('<Record><ID>1</ID><CZR>青岛西海岸新区市场监督管理局</CZR></Record>\n'),
    ...second,
    utf8('\n</Records></Root>\n'),
  ]);
  writeFileSync(join(dir, 'SPXK_1.xml'), bytes);
  const source = openXmlFilesSource('food', xmlConfig(dir, { fields: ['ID', 'CZR'] }));
  const rows: SourceRow[] = [];
  try {
    for await (const page of source.read({ stream, after: null, pageSize: 100 })) rows.push(...page.rows);
  } finally {
    await source.close();
  }
  return rows;
}

function expectHeldBack(row: SourceRow | undefined): void {
  expect(row?.problems).toEqual([expect.objectContaining({ code: 'LB_SOURCE_DECODE' })]);
  const message = row?.problems?.[0]?.message ?? '';
  expect(message).toContain('record 1 in file SPXK_1.xml');
  expect(message).toContain('utf-8');
  expect(message).not.toMatch(/[张三持证人]/);
}

describe('xml-files: a UTF-8 export with one record in GBK bytes', () => {
  it('holds back the record whose holder name is GBK, naming the field, and reads the others', async () => {
    const rows = await rowsOf(utf8('<Record><ID>2</ID><CZR>'), gbk('张三'), utf8('</CZR></Record>'));
    expect(rows[0]?.values.CZR).toBe('青岛西海岸新区市场监督管理局');
    expect(rows[0]?.problems).toBeUndefined();
    expect(rows[1]?.values.CZR).toBeNull();
    expectHeldBack(rows[1]);
    expect(rows[1]?.problems?.[0]).toMatchObject({ column: 'CZR' });
    expect(rows[1]?.problems?.[0]?.message).toContain('field CZR of record 1');
  });

  it('holds back a record one of whose element names is GBK: its element is read under no name the mapping reads', async () => {
    const rows = await rowsOf(
      utf8('<Record><ID>2</ID><CZR>甲店</CZR><'),
      gbk('持证人'),
      utf8('>张三</'),
      gbk('持证人'),
      utf8('></Record>'),
    );
    expect(rows[0]?.problems).toBeUndefined();
    expect(rows[1]?.key).toBe('2');
    expectHeldBack(rows[1]);
    expect(rows[1]?.problems?.[0]?.message).toContain('the name of an element or attribute');
  });

  it('holds back a record one of whose attribute names is GBK', async () => {
    const rows = await rowsOf(
      utf8('<Record ID="2" '),
      gbk('持证人'),
      utf8('="张三"><CZR>甲店</CZR></Record>'),
    );
    expect(rows[1]?.key).toBe('2');
    expectHeldBack(rows[1]);
  });

  it('reads a name holding U+FFFD written as such (valid UTF-8) as the name it is', async () => {
    const rows = await rowsOf(utf8('<Record><ID>2</ID><CZR>甲店</CZR><BZ\uFFFD>x</BZ\uFFFD></Record>'));
    expect(rows[1]?.problems).toBeUndefined();
    expect(rows[1]?.values['BZ\uFFFD']).toBe('x');
  });
});

describe('xml-files: a GB18030 export with a byte invalid in GB18030 in an element name', () => {
  it('holds back that record as a UTF-8 export does', async () => {
    const dir = tempFolder();
    folders.push(dir);
    const head = '<?xml version="1.0" encoding="GB18030"?>\n<Root><Records>\n';
    writeFileSync(
      join(dir, 'SPXK_1.xml'),
      Buffer.concat([
        gbk(`${head}<Record><ID>1</ID><CZR>甲店</CZR></Record>\n<Record><ID>2</ID><CZR>乙店</CZR><BZ`),
        Buffer.from([0xff]),
        gbk('>x</BZ'),
        Buffer.from([0xff]),
        gbk('></Record>\n</Records></Root>\n'),
      ]),
    );
    const source = openXmlFilesSource('food', xmlConfig(dir));
    const rows: SourceRow[] = [];
    for await (const page of source.read({ stream, after: null, pageSize: 100 })) rows.push(...page.rows);
    await source.close();
    expect(rows[0]?.problems).toBeUndefined();
    expect(rows[1]?.values.CZR).toBe('乙店');
    expect(rows[1]?.problems).toEqual([expect.objectContaining({ code: 'LB_SOURCE_DECODE' })]);
    expect(rows[1]?.problems?.[0]?.message).toContain('record 1 in file SPXK_1.xml');
    expect(rows[1]?.problems?.[0]?.message).toContain('invalid in gb18030');
  });
});
