/**
 * A file whose bytes contradict the encoding read from the file itself: some of its values would
 * read cleanly as other characters. Every value holding non-ASCII text is quarantined instead,
 * and the source's `encoding` decides.
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

async function rowsOf(files: Record<string, Buffer>, overrides = {}): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
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
  return rows;
}

const xml = (declaration: string, records: string) =>
  `${declaration}<Root><Records>${records}</Records></Root>`;

// 通 is CD A8 in GBK, which is also valid UTF-8 (U+0368): read as UTF-8 it becomes `ͨ` silently.
const GBK_RECORDS =
  '<Record><ID>1</ID><MC>青岛西海岸新区市场监督管理局</MC></Record>' +
  '<Record><ID>2</ID><MC>通</MC><DM>0012</DM></Record>' +
  '<Record><ID>3</ID><DM>0013</DM><BZ>&#36890;</BZ></Record>';

function byId(rows: SourceRow[]): Map<string, SourceRow> {
  return new Map(rows.map((r) => [r.key, r]));
}

describe('xml-files: bytes that contradict the encoding', () => {
  for (const [label, declaration] of [
    ['declares no encoding', '<?xml version="1.0"?>'],
    ['declares UTF-8', '<?xml version="1.0" encoding="UTF-8"?>'],
  ] as const) {
    it(`a GBK file that ${label}: no value is read as the wrong characters`, async () => {
      const rows = byId(await rowsOf({ 'a.xml': iconv.encode(xml(declaration, GBK_RECORDS), 'gbk') }));
      // Record 2's 通 is valid UTF-8 by chance: it is quarantined, not read as `ͨ`.
      expect(rows.get('2')?.values.MC).toBeNull();
      expect(rows.get('2')?.problems).toEqual([
        expect.objectContaining({ column: 'MC', code: 'LB_SOURCE_DECODE' }),
      ]);
      expect(rows.get('2')?.problems?.[0]?.message).toMatch(
        /field MC of record 1 in file a\.xml: .*`encoding`/,
      );
      // ASCII text is the same in both encodings, as is a character reference.
      expect(rows.get('2')?.values.DM).toBe('0012');
      expect(rows.get('3')?.values).toEqual({ ID: '3', DM: '0013', BZ: '通' });
      expect(rows.get('3')?.problems).toBeUndefined();
      // The source's encoding decides, and then every value reads as written.
      const fixed = byId(
        await rowsOf({ 'a.xml': iconv.encode(xml(declaration, GBK_RECORDS), 'gbk') }, { encoding: 'gbk' }),
      );
      expect(fixed.get('1')?.values.MC).toBe('青岛西海岸新区市场监督管理局');
      expect(fixed.get('2')?.values.MC).toBe('通');
      expect(fixed.get('2')?.problems).toBeUndefined();
    });
  }

  it('a GBK file behind a UTF-8 byte-order mark: no value is read as the wrong characters', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      iconv.encode(xml('<?xml version="1.0" encoding="GBK"?>', GBK_RECORDS), 'gbk'),
    ]);
    const rows = byId(await rowsOf({ 'a.xml': bytes }));
    expect(rows.get('2')?.values.MC).toBeNull();
    expect(rows.get('2')?.problems?.[0]?.code).toBe('LB_SOURCE_DECODE');
    expect(rows.get('2')?.problems?.[0]?.message).toMatch(/`encoding`/);
    // The reason says to set the source's encoding: set, it decides, the mark left out.
    const fixed = byId(await rowsOf({ 'a.xml': bytes }, { encoding: 'gbk' }));
    expect(fixed.get('1')?.values.MC).toBe('青岛西海岸新区市场监督管理局');
    expect(fixed.get('2')?.values.MC).toBe('通');
    expect(fixed.get('2')?.problems).toBeUndefined();
  });

  it('a UTF-8 file behind its byte-order mark, one value cut mid-character, stays UTF-8 under encoding: gbk', async () => {
    const text = xml('<?xml version="1.0" encoding="UTF-8"?>', GBK_RECORDS);
    const cut = Buffer.from(text, 'utf-8');
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      cut.subarray(0, cut.indexOf('通') + 2),
      cut.subarray(cut.indexOf('通') + 3),
    ]);
    const rows = byId(await rowsOf({ 'a.xml': bytes }, { encoding: 'gbk' }));
    expect(rows.get('1')?.values.MC).toBe('青岛西海岸新区市场监督管理局');
    expect(rows.get('3')?.values.BZ).toBe('通');
  });

  // Other names of GBK and GB18030 (the WHATWG Encoding Standard's labels, Java's): taken as
  // encodings of their own, a UTF-8 file declaring one read as other Chinese characters unquestioned.
  for (const label of [
    'MS936',
    'x-mswin-936',
    'chinese',
    'csGB2312',
    'GB_2312',
    'iso-ir-58',
    'GB18030-2022',
  ]) {
    it(`a file declaring ${label} is read as GB18030 and doubted when its bytes are UTF-8`, async () => {
      const text = xml(`<?xml version="1.0" encoding="${label}"?>`, GBK_RECORDS);
      const gbk = byId(await rowsOf({ 'a.xml': iconv.encode(text, 'gbk') }));
      expect(gbk.get('1')?.values.MC).toBe('青岛西海岸新区市场监督管理局');
      expect(gbk.get('2')?.values.MC).toBe('通');
      const utf8 = byId(await rowsOf({ 'a.xml': Buffer.from(text, 'utf-8') }));
      expect(utf8.get('1')?.values.MC).toBeNull();
      expect(utf8.get('1')?.problems?.[0]?.code).toBe('LB_SOURCE_DECODE');
    });
  }

  it('a UTF-8 file that declares GBK: its values are quarantined, not read as other characters', async () => {
    const text = xml('<?xml version="1.0" encoding="GBK"?>', GBK_RECORDS);
    const rows = byId(await rowsOf({ 'a.xml': Buffer.from(text, 'utf-8') }));
    for (const id of ['1', '2']) {
      expect(rows.get(id)?.values.MC).toBeNull();
      expect(rows.get(id)?.problems).toEqual([
        expect.objectContaining({ column: 'MC', code: 'LB_SOURCE_DECODE' }),
      ]);
    }
    expect(rows.get('3')?.values.BZ).toBe('通');
    const fixed = byId(await rowsOf({ 'a.xml': Buffer.from(text, 'utf-8') }, { encoding: 'utf-8' }));
    expect(fixed.get('1')?.values.MC).toBe('青岛西海岸新区市场监督管理局');
  });

  it('a UTF-8 file with one value cut mid-character quarantines only that value', async () => {
    const head = Buffer.from(
      xml(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<Record><ID>1</ID><MC>青岛西海岸新区市场监督管理局</MC></Record><Record><ID>2</ID><MC>通',
      ).replace('</Records></Root>', ''),
    );
    // 岛 is E5 B2 9B: a value cut after its first two bytes by a byte-length column.
    const bytes = Buffer.concat([
      head,
      Buffer.from([0xe5, 0xb2]),
      Buffer.from('</MC></Record></Records></Root>'),
    ]);
    const rows = byId(await rowsOf({ 'a.xml': bytes }));
    expect(rows.get('1')?.values.MC).toBe('青岛西海岸新区市场监督管理局');
    expect(rows.get('1')?.problems).toBeUndefined();
    expect(rows.get('2')?.values.MC).toBeNull();
  });

  it('a small GBK file declaring GBK whose few Chinese characters happen to be valid UTF-8 reads cleanly', async () => {
    // 郑 (D6 A3) and 谢 (D0 BB) are each a valid two-byte UTF-8 sequence, as about one common GBK
    // character in six is: the file's bytes are valid UTF-8 throughout, yet it is GBK as declared.
    const records =
      '<Record><ID>1</ID><XM>郑</XM></Record><Record><ID>2</ID><XM>谢</XM><DM>0012</DM></Record>';
    const bytes = iconv.encode(xml('<?xml version="1.0" encoding="GBK"?>', records), 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
    const rows = byId(await rowsOf({ 'a.xml': bytes }));
    expect(rows.get('1')?.values.XM).toBe('郑');
    expect(rows.get('2')?.values.XM).toBe('谢');
    expect([...rows.values()].some((r) => r.problems)).toBe(false);
  });

  it('a UTF-8 file declaring GBK with a single Chinese character is still quarantined', async () => {
    const text = xml('<?xml version="1.0" encoding="GBK"?>', '<Record><ID>1</ID><XM>郑</XM></Record>');
    const rows = byId(await rowsOf({ 'a.xml': Buffer.from(text, 'utf-8') }));
    expect(rows.get('1')?.values.XM).toBeNull();
    expect(rows.get('1')?.problems?.[0]?.code).toBe('LB_SOURCE_DECODE');
  });

  it('a GBK file that declares GBK reads cleanly', async () => {
    const rows = byId(
      await rowsOf({
        'a.xml': iconv.encode(xml('<?xml version="1.0" encoding="GBK"?>', GBK_RECORDS), 'gbk'),
      }),
    );
    expect(rows.get('1')?.values.MC).toBe('青岛西海岸新区市场监督管理局');
    expect(rows.get('2')?.values.MC).toBe('通');
    expect([...rows.values()].some((r) => r.problems)).toBe(false);
  });
});

describe('xml-files: a one-byte encoding declared over other bytes', () => {
  // Java tools declare ISO-8859-1 unless told otherwise: every byte reads as some Latin letter, so
  // GBK or UTF-8 bytes under it would read cleanly as other characters, and nothing was quarantined.
  for (const declared of ['ISO-8859-1', 'windows-1252']) {
    const declaration = `<?xml version="1.0" encoding="${declared}"?>`;

    it(`GBK bytes declared ${declared}: no value is read as Latin letters`, async () => {
      const bytes = iconv.encode(xml(declaration, GBK_RECORDS), 'gbk');
      const rows = byId(await rowsOf({ 'a.xml': bytes }));
      for (const id of ['1', '2']) {
        expect(rows.get(id)?.values.MC).toBeNull();
        expect(rows.get(id)?.problems).toEqual([
          expect.objectContaining({ column: 'MC', code: 'LB_SOURCE_DECODE' }),
        ]);
      }
      expect(rows.get('2')?.problems?.[0]?.message).toMatch(/read as gb18030 text: .*`encoding`/);
      expect(rows.get('2')?.values.DM).toBe('0012');
      expect(rows.get('3')?.values.BZ).toBe('通');
      const fixed = byId(await rowsOf({ 'a.xml': bytes }, { encoding: 'gbk' }));
      expect(fixed.get('1')?.values.MC).toBe('青岛西海岸新区市场监督管理局');
      expect([...fixed.values()].some((r) => r.problems)).toBe(false);
    });

    it(`UTF-8 bytes declared ${declared}: no value is read as Latin letters`, async () => {
      const bytes = Buffer.from(xml(declaration, GBK_RECORDS), 'utf-8');
      const rows = byId(await rowsOf({ 'a.xml': bytes }));
      expect(rows.get('1')?.values.MC).toBeNull();
      expect(rows.get('1')?.problems?.[0]?.code).toBe('LB_SOURCE_DECODE');
      // (Some UTF-8 bytes are no character in windows-1252: those values say so instead.)
      if (declared === 'ISO-8859-1')
        expect(rows.get('1')?.problems?.[0]?.message).toMatch(/read as utf-8 text/);
      const fixed = byId(await rowsOf({ 'a.xml': bytes }, { encoding: 'utf-8' }));
      expect(fixed.get('1')?.values.MC).toBe('青岛西海岸新区市场监督管理局');
    });
  }

  it('a Latin-1 file declaring ISO-8859-1 reads as written', async () => {
    const records = '<Record><ID>1</ID><XM>José Müller</XM></Record><Record><ID>2</ID><XM>Zoë</XM></Record>';
    const bytes = iconv.encode(xml('<?xml version="1.0" encoding="ISO-8859-1"?>', records), 'latin1');
    const rows = byId(await rowsOf({ 'a.xml': bytes }));
    expect(rows.get('1')?.values.XM).toBe('José Müller');
    expect(rows.get('2')?.values.XM).toBe('Zoë');
    expect([...rows.values()].some((r) => r.problems)).toBe(false);
  });
});

describe('xml-files: Latin-1 text with accented letters side by side', () => {
  // In GBK two high bytes are one character: `ção` reads `玢o`, `©` with a no-break space `�`. Read
  // as GBK for that alone, every accented value of a true Latin-1 export was quarantined, and no
  // `encoding` the source takes says Latin-1.
  it('a Portuguese, Spanish and German file declaring ISO-8859-1 reads as written', async () => {
    const names = [
      'Informação e Ações Ltda',
      'Conceição São Paulo',
      'Compañía Müller',
      '©\u00a0Acme\u00a0GmbH',
    ];
    const records = names.map((n, i) => `<Record><ID>${i + 1}</ID><XM>${n}</XM></Record>`).join('');
    for (const declared of ['ISO-8859-1', 'windows-1252']) {
      const declaration = `<?xml version="1.0" encoding="${declared}"?>`;
      const rows = byId(await rowsOf({ 'a.xml': iconv.encode(xml(declaration, records), 'latin1') }));
      expect(
        names.map((_, i) => rows.get(String(i + 1))?.values.XM),
        declared,
      ).toEqual(names);
      expect([...rows.values()].some((r) => r.problems)).toBe(false);
    }
  });

  it('GBK bytes declared ISO-8859-1 holding rarer hanzi and full-width punctuation are still doubted', async () => {
    const records = '<Record><ID>1</ID><MC>青岛鑫淼焱垚餐饮有限公司（分店），张三、李四</MC></Record>';
    const bytes = iconv.encode(xml('<?xml version="1.0" encoding="ISO-8859-1"?>', records), 'gbk');
    const rows = byId(await rowsOf({ 'a.xml': bytes }));
    expect(rows.get('1')?.values.MC).toBeNull();
    expect(rows.get('1')?.problems?.[0]?.message).toMatch(/read as gb18030 text/);
  });

  it('GBK bytes declared ISO-8859-1 that are valid UTF-8 by chance name GBK, not UTF-8', async () => {
    // `通` in GBK (CD A8) is the combining `ͨ` in UTF-8: advised to read it as UTF-8, the source
    // would be set so and the value trusted as that character.
    const bytes = iconv.encode(
      xml('<?xml version="1.0" encoding="ISO-8859-1"?>', '<Record><ID>1</ID><MC>通</MC></Record>'),
      'gbk',
    );
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
    const rows = byId(await rowsOf({ 'a.xml': bytes }));
    expect(rows.get('1')?.values.MC).toBeNull();
    expect(rows.get('1')?.problems?.[0]?.message).toMatch(/read as gb18030 text/);
  });
});
